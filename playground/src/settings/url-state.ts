/**
 * What runs in the playground, read from and written to the page URL, so any state can be
 * linked: `?provider=anthropic&scenario=tools&tps=5&conversation=c-12`.
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'
import { useCallback, useSyncExternalStore } from 'react'

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

/** Everything the URL says. */
export interface PlaygroundUrlState {
  provider: ProtocolId
  scenario: ScenarioId
  faults: Faults
  /** `real` talks to the backend configured in the Backend panel instead of the mocks. */
  backend: 'mock' | 'real'
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
  if (state.backend === 'real') parameters.set('backend', 'real')
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
 * The URL state as React state. `update` merges a change and writes the URL: a new history
 * entry when the provider, scenario or conversation changes (Back returns to it), a replaced
 * one for fault tweaks.
 *
 * @example
 * ```tsx
 * const [state, update] = useUrlState()
 * update({ scenario: 'tools' })
 * ```
 */
export function useUrlState(): [PlaygroundUrlState, (change: UrlStateChange) => void] {
  const state = useSyncExternalStore(subscribe, readUrlState)
  const update = useCallback((change: UrlStateChange) => {
    const current = readUrlState()
    const next: PlaygroundUrlState = {
      provider: change.provider ?? current.provider,
      scenario: change.scenario ?? current.scenario,
      faults: change.faults ?? current.faults,
      backend: change.backend ?? current.backend,
    }
    const conversation = 'conversation' in change ? change.conversation : current.conversation
    if (conversation !== undefined) next.conversation = conversation
    const search = serializeUrlState(next)
    if (search === window.location.search) return
    const navigates =
      next.provider !== current.provider ||
      next.scenario !== current.scenario ||
      next.conversation !== current.conversation ||
      next.backend !== current.backend
    const url = `${window.location.pathname}${search}${window.location.hash}`
    if (navigates) window.history.pushState(null, '', url)
    else window.history.replaceState(null, '', url)
    for (const listener of listeners) listener()
  }, [])
  return [state, update]
}
