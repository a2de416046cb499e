/**
 * What runs in the playground, read from and written to the page URL, so any state can be
 * linked: `?provider=anthropic&scenario=tools&tps=5&conversation=c-12`. A real backend can be
 * named in the URL too (what the end-to-end tests against the reference backends do):
 * `?backend=ws://127.0.0.1:8704/ws&backendProtocol=message-events`.
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'
import { useSyncExternalStore } from 'react'

/** The scenarios every provider can play (CONTRACT.md lists them as the minimum). */
export const scenarioIds = [
  'text',
  'markdown',
  'reasoning',
  'tools',
  'long',
  'slow',
  'error-midstream',
  'http-error',
  'disconnect',
  'math',
  'suggestions',
] as const

/** One scenario id. */
export type ScenarioId = (typeof scenarioIds)[number]

/** Faults layered over the chosen scenario (each absent means "the scenario's own"). */
export interface Faults {
  /** Milliseconds before the first byte. */
  latency?: number
  /** Streaming speed, in tokens per second. */
  tokensPerSecond?: number
  /** Cut the connection after this many streamed events. */
  disconnectAfter?: number
  /** Answer with this HTTP status instead of a stream. */
  httpError?: number
}

/** How the page URL names a real backend (`backendTransport` and the rest are optional). */
export interface BackendTarget {
  /** `backend=<url>`: an `http(s)://` or `ws(s)://` endpoint or base URL. */
  url: string
  /** `backendProtocol=<ProtocolId>`; default `openai-chat`. */
  protocol: ProtocolId
  /** `backendTransport=auto|fetch|eventsource|websocket`. */
  transport?: 'auto' | 'fetch' | 'eventsource' | 'websocket'
  /** `backendInlineTags=1`: read `<think>` / `<tool_call>` tags in the text. */
  inlineTags?: boolean
  /** `backendModel=<name>`. */
  model?: string
  /** `backendResume=1`: the backend keeps streams (the `@sluice/server` relay); answers survive a reload. */
  resume?: boolean
}

/** The URL parameters of a {@link BackendTarget}. */
export const backendParameters = {
  url: 'backend',
  protocol: 'backendProtocol',
  transport: 'backendTransport',
  inlineTags: 'backendInlineTags',
  model: 'backendModel',
  resume: 'backendResume',
} as const satisfies Record<keyof BackendTarget, string>

const backendTransports = ['auto', 'fetch', 'eventsource', 'websocket'] as const

/** Everything the URL says. */
export interface PlaygroundUrlState {
  provider: ProtocolId
  scenario: ScenarioId
  faults: Faults
  /** `real` talks to the backend configured in the Backend panel instead of the mocks. */
  backend: 'mock' | 'real'
  /** A real backend named by the URL itself (`backend=<url>`); it wins over the Backend panel's settings. */
  backendTarget?: BackendTarget
  /** The open conversation; absent until the first message creates one. */
  conversation?: string
}

/** A change to the URL state; `conversation: undefined` closes the open conversation. */
export type UrlStateChange = { [Key in keyof PlaygroundUrlState]?: PlaygroundUrlState[Key] | undefined }

/** The URL parameter of each fault. */
export const faultParameters = {
  latency: 'latency',
  tokensPerSecond: 'tps',
  disconnectAfter: 'disconnect',
  httpError: 'httpError',
} as const satisfies Record<keyof Faults, string>

const defaultProvider: ProtocolId = 'openai-chat'
const defaultScenario: ScenarioId = 'markdown'

function isProtocolId(value: string | null): value is ProtocolId {
  return value !== null && (protocolIds as string[]).includes(value)
}

function isScenarioId(value: string | null): value is ScenarioId {
  return value !== null && (scenarioIds as readonly string[]).includes(value)
}

function positiveNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const number = Number(value)
  return Number.isFinite(number) && number >= 0 ? number : undefined
}

/** Only endpoints a browser can reach with fetch or a WebSocket: no `javascript:` or `data:` URL from a link. */
function backendUrl(value: string | null): string | undefined {
  if (value === null) return undefined
  try {
    const url = new URL(value)
    return ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The real backend a query string names, if any.
 *
 * @example
 * ```ts
 * parseBackendTarget(new URLSearchParams('backend=ws://127.0.0.1:8704/ws&backendProtocol=message-events'))
 * // { url: 'ws://127.0.0.1:8704/ws', protocol: 'message-events' }
 * ```
 */
export function parseBackendTarget(parameters: URLSearchParams): BackendTarget | undefined {
  const url = backendUrl(parameters.get(backendParameters.url))
  if (url === undefined) return undefined
  const protocol = parameters.get(backendParameters.protocol)
  const target: BackendTarget = { url, protocol: isProtocolId(protocol) ? protocol : defaultProvider }
  const transport = parameters.get(backendParameters.transport)
  if (transport !== null && (backendTransports as readonly string[]).includes(transport)) {
    target.transport = transport as NonNullable<BackendTarget['transport']>
  }
  const inlineTags = parameters.get(backendParameters.inlineTags)
  if (inlineTags !== null) target.inlineTags = inlineTags === '1' || inlineTags === 'true'
  const model = parameters.get(backendParameters.model)
  if (model !== null) target.model = model
  const resume = parameters.get(backendParameters.resume)
  if (resume !== null) target.resume = resume === '1' || resume === 'true'
  return target
}

/**
 * Read the state from a query string. Unknown or malformed values fall back to the defaults,
 * so a hand-edited link never breaks the page.
 *
 * @example
 * ```ts
 * parseUrlState('?provider=ollama&scenario=slow&tps=5')
 * // { provider: 'ollama', scenario: 'slow', faults: { tokensPerSecond: 5 }, backend: 'mock' }
 * ```
 */
export function parseUrlState(search: string): PlaygroundUrlState {
  const parameters = new URLSearchParams(search)
  const provider = parameters.get('provider')
  const scenario = parameters.get('scenario')
  const faults: Faults = {}
  for (const key of Object.keys(faultParameters) as (keyof Faults)[]) {
    const value = positiveNumber(parameters.get(faultParameters[key]))
    if (value !== undefined) faults[key] = value
  }
  const state: PlaygroundUrlState = {
    provider: isProtocolId(provider) ? provider : defaultProvider,
    scenario: isScenarioId(scenario) ? scenario : defaultScenario,
    faults,
    backend: parameters.get('backend') === 'real' ? 'real' : 'mock',
  }
  const backendTarget = parseBackendTarget(parameters)
  if (backendTarget !== undefined) {
    state.backend = 'real'
    state.backendTarget = backendTarget
  }
  const conversation = parameters.get('conversation')
  if (conversation) state.conversation = conversation
  return state
}

/**
 * Write the state as a query string (provider and scenario always, the rest when set).
 *
 * @example
 * ```ts
 * serializeUrlState({ provider: 'gemini', scenario: 'tools', faults: {}, backend: 'mock' }) // '?provider=gemini&scenario=tools'
 * ```
 */
export function serializeUrlState(state: PlaygroundUrlState): string {
  const parameters = new URLSearchParams()
  parameters.set('provider', state.provider)
  parameters.set('scenario', state.scenario)
  for (const key of Object.keys(faultParameters) as (keyof Faults)[]) {
    const value = state.faults[key]
    if (value !== undefined) parameters.set(faultParameters[key], String(value))
  }
  if (state.backend === 'real' && state.backendTarget !== undefined) {
    const target = state.backendTarget
    parameters.set(backendParameters.url, target.url)
    parameters.set(backendParameters.protocol, target.protocol)
    if (target.transport !== undefined) parameters.set(backendParameters.transport, target.transport)
    if (target.inlineTags !== undefined)
      parameters.set(backendParameters.inlineTags, target.inlineTags ? '1' : '0')
    if (target.model !== undefined) parameters.set(backendParameters.model, target.model)
    if (target.resume !== undefined) parameters.set(backendParameters.resume, target.resume ? '1' : '0')
  } else if (state.backend === 'real') {
    parameters.set('backend', 'real')
  }
  if (state.conversation !== undefined) parameters.set('conversation', state.conversation)
  return `?${parameters.toString()}`
}

const listeners = new Set<() => void>()
let cachedSearch: string | undefined
let cachedState: PlaygroundUrlState | undefined

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

/**
 * The current URL state, the same object until the URL changes.
 *
 * @example
 * ```ts
 * readUrlState().provider // 'openai-chat'
 * ```
 */
export function readUrlState(): PlaygroundUrlState {
  const search = window.location.search
  if (search !== cachedSearch || cachedState === undefined) {
    cachedSearch = search
    cachedState = parseUrlState(search)
  }
  return cachedState
}

/**
 * Merge a change into the URL state and write the URL: a new history entry when the provider,
 * scenario, conversation or backend changes (Back returns to it), a replaced one for fault
 * tweaks. `backendTarget: undefined` forgets a backend the URL named (the Backend panel's
 * settings apply again).
 *
 * @example
 * ```ts
 * updateUrlState({ scenario: 'tools' })
 * ```
 */
export function updateUrlState(change: UrlStateChange): void {
  const current = readUrlState()
  const next: PlaygroundUrlState = {
    provider: change.provider ?? current.provider,
    scenario: change.scenario ?? current.scenario,
    faults: change.faults ?? current.faults,
    backend: change.backend ?? current.backend,
  }
  // The URL's backend stays while the page talks to it; going back to the mocks drops it.
  const backendTarget = 'backendTarget' in change ? change.backendTarget : current.backendTarget
  if (next.backend === 'real' && backendTarget !== undefined) next.backendTarget = backendTarget
  const conversation = 'conversation' in change ? change.conversation : current.conversation
  if (conversation !== undefined) next.conversation = conversation
  const search = serializeUrlState(next)
  if (search === window.location.search) return
  const navigates =
    next.provider !== current.provider ||
    next.scenario !== current.scenario ||
    next.conversation !== current.conversation ||
    next.backend !== current.backend ||
    next.backendTarget?.url !== current.backendTarget?.url
  const url = `${window.location.pathname}${search}${window.location.hash}`
  if (navigates) window.history.pushState(null, '', url)
  else window.history.replaceState(null, '', url)
  for (const listener of listeners) listener()
}

/**
 * The URL state as React state, and {@link updateUrlState} to change it.
 *
 * @example
 * ```tsx
 * const [state, update] = useUrlState()
 * update({ scenario: 'tools' })
 * ```
 */
export function useUrlState(): [PlaygroundUrlState, (change: UrlStateChange) => void] {
  const state = useSyncExternalStore(subscribe, readUrlState)
  return [state, updateUrlState]
}
