/**
 * The real backend the playground can talk to instead of the mocks: a provider's base URL, an
 * Ollama host, or any SSE / NDJSON / WebSocket endpoint with a chosen protocol.
 *
 * Where things are kept:
 * - the API key in `sessionStorage` only (gone when the tab closes; never in the URL, never in
 *   `localStorage`, never sent anywhere but the backend it belongs to);
 * - the rest (URL, protocol, model, transport) in `localStorage`;
 * - defaults from `VITE_SLUICE_*` environment variables (see the README);
 * - a backend named by the page URL (`?backend=<url>&backendProtocol=…`) wins over both, for
 *   this page only (it is not saved).
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'
import { type BackendTarget, parseBackendTarget } from './url-state.ts'

/** How requests travel to a real backend (`auto`: WebSocket for `ws(s)://`, else fetch). */
export type BackendTransport = 'auto' | 'fetch' | 'eventsource' | 'websocket'

/** A real backend. */
export interface BackendSettings {
  protocol: ProtocolId
  /** Base URL (OpenAI-compatible `…/v1`, Anthropic, Ollama host, Gemini `…/v1beta`) or the full endpoint. */
  url: string
  /** The model name sent in the body (or the Gemini URL). */
  model: string
  transport: BackendTransport
  /** Turn `<think>` / `<tool_call>` tags in the text into reasoning and tool calls (local models). */
  inlineTags: boolean
  /**
   * The backend keeps streams (the `@sluice/server` relay, or anything with its routes): answers
   * are sent with `resume`, so a reload or a second tab follows them and Stop stops the model.
   */
  resume?: boolean
}

/** The development relay's endpoint (`backends/relay/`, port 8706 in `npm run dev:backends`). */
export const devRelayUrl = 'http://127.0.0.1:8706/v1/chat/completions'

const settingsKey = 'sluice-playground:backend'
const apiKeyKey = 'sluice-playground:api-key'

/** A sensible model per provider, for a first try. */
export const defaultModels: Partial<Record<ProtocolId, string>> = {
  'openai-chat': 'gpt-4o-mini',
  'openai-responses': 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.2',
  gemini: 'gemini-2.5-flash',
}

/** Where each provider lives, for the URL placeholder. */
export const exampleUrls: Partial<Record<ProtocolId, string>> = {
  'openai-chat': 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  ollama: 'http://localhost:11434',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
}

/** One of the repository's reference backends (`backends/`, started by `npm run dev:backends`). */
export interface ReferenceBackend {
  /** The seed document it follows. */
  seed: string
  label: string
  settings: BackendSettings
}

/**
 * The reference backends on their development ports (`backends/README.md` lists the same ports).
 *
 * @example
 * ```ts
 * referenceBackends.find((backend) => backend.seed === 'seed-004')?.settings.url // 'ws://127.0.0.1:8704/ws'
 * ```
 */
export const referenceBackends: readonly ReferenceBackend[] = [
  {
    seed: 'relay',
    label: 'Dev relay: @sluice/server, resumable (OpenAI Chat, mocked provider)',
    settings: {
      protocol: 'openai-chat',
      url: devRelayUrl,
      model: 'gpt-4o-mini',
      transport: 'fetch',
      inlineTags: false,
      resume: true,
    },
  },
  {
    seed: 'seed-000',
    label: 'Seed 000: OpenAI-compatible, inline tags',
    settings: {
      protocol: 'openai-chat',
      url: 'http://127.0.0.1:8700/v1',
      model: 'seed-000-local',
      transport: 'auto',
      inlineTags: true,
    },
  },
  {
    seed: 'seed-001',
    label: 'Seed 001: StreamChunk (SSE)',
    settings: {
      protocol: 'stream-chunk',
      url: 'http://127.0.0.1:8701/stream',
      model: '',
      transport: 'fetch',
      inlineTags: false,
    },
  },
  {
    seed: 'seed-001',
    label: 'Seed 001: StreamChunk (WebSocket)',
    settings: {
      protocol: 'stream-chunk',
      url: 'ws://127.0.0.1:8701/ws',
      model: '',
      transport: 'websocket',
      inlineTags: false,
    },
  },
  {
    seed: 'seed-002',
    label: 'Seed 002: StreamDelta (SSE)',
    settings: {
      protocol: 'stream-delta',
      url: 'http://127.0.0.1:8702/stream',
      model: '',
      transport: 'fetch',
      inlineTags: false,
    },
  },
  {
    seed: 'seed-003',
    label: 'Seed 003: agent events (SSE)',
    settings: {
      protocol: 'agent-events',
      url: 'http://127.0.0.1:8703/stream',
      model: '',
      transport: 'fetch',
      inlineTags: false,
    },
  },
  {
    seed: 'seed-003',
    label: 'Seed 003: agent events (WebSocket)',
    settings: {
      protocol: 'agent-events',
      url: 'ws://127.0.0.1:8703/ws',
      model: '',
      transport: 'websocket',
      inlineTags: false,
    },
  },
  {
    seed: 'seed-004',
    label: 'Seed 004: FastAPI message events (WebSocket)',
    settings: {
      protocol: 'message-events',
      url: 'ws://127.0.0.1:8704/ws',
      model: '',
      transport: 'websocket',
      inlineTags: false,
    },
  },
]

const transports: readonly BackendTransport[] = ['auto', 'fetch', 'eventsource', 'websocket']

function environmentDefaults(): BackendSettings {
  // Each variable is read as `import.meta.env.NAME`: Vite replaces exactly these. Reading the
  // whole `import.meta.env` object would inline every `VITE_*` variable, the key included.
  const protocolSetting = import.meta.env.VITE_SLUICE_PROTOCOL as ProtocolId | undefined
  const transportSetting = import.meta.env.VITE_SLUICE_TRANSPORT as BackendTransport | undefined
  const protocol =
    protocolSetting !== undefined && protocolIds.includes(protocolSetting) ? protocolSetting : 'openai-chat'
  return {
    protocol,
    url: import.meta.env.VITE_SLUICE_BASE_URL ?? exampleUrls[protocol] ?? '',
    model: import.meta.env.VITE_SLUICE_MODEL ?? defaultModels[protocol] ?? '',
    transport:
      transportSetting !== undefined && transports.includes(transportSetting) ? transportSetting : 'auto',
    inlineTags: import.meta.env.VITE_SLUICE_INLINE_TAGS === 'true',
  }
}

/**
 * The saved settings over the environment defaults, and a backend the page URL names over both.
 *
 * @example
 * ```ts
 * loadBackendSettings().url // 'http://localhost:11434'
 * ```
 */
export function loadBackendSettings(): BackendSettings {
  const saved = savedSettings()
  const target =
    typeof window === 'undefined'
      ? undefined
      : parseBackendTarget(new URLSearchParams(window.location.search))
  return target === undefined ? saved : withTarget(saved, target)
}

/**
 * The settings a backend named by the URL gives: its URL and protocol, the rest from the URL
 * when given, else the protocol's defaults.
 *
 * @example
 * ```ts
 * withTarget(loadBackendSettings(), { url: 'ws://127.0.0.1:8704/ws', protocol: 'message-events' }).transport // 'auto'
 * ```
 */
export function withTarget(base: BackendSettings, target: BackendTarget): BackendSettings {
  return {
    protocol: target.protocol,
    url: target.url,
    model:
      target.model ??
      (target.protocol === base.protocol ? base.model : (defaultModels[target.protocol] ?? '')),
    transport: target.transport ?? 'auto',
    inlineTags: target.inlineTags ?? false,
    ...(target.resume === undefined ? {} : { resume: target.resume }),
  }
}

function savedSettings(): BackendSettings {
  const defaults = environmentDefaults()
  try {
    const saved = JSON.parse(localStorage.getItem(settingsKey) ?? 'null') as Partial<BackendSettings> | null
    if (saved === null || typeof saved !== 'object') return defaults
    return {
      protocol:
        saved.protocol !== undefined && protocolIds.includes(saved.protocol)
          ? saved.protocol
          : defaults.protocol,
      url: typeof saved.url === 'string' ? saved.url : defaults.url,
      model: typeof saved.model === 'string' ? saved.model : defaults.model,
      transport:
        saved.transport !== undefined && transports.includes(saved.transport)
          ? saved.transport
          : defaults.transport,
      inlineTags: typeof saved.inlineTags === 'boolean' ? saved.inlineTags : defaults.inlineTags,
      ...(saved.resume === true ? { resume: true } : {}),
    }
  } catch {
    return defaults
  }
}

/**
 * Save the settings (never the key: see {@link saveApiKey}).
 *
 * @example
 * ```ts
 * saveBackendSettings({ ...loadBackendSettings(), url: 'http://localhost:11434', protocol: 'ollama' })
 * ```
 */
export function saveBackendSettings(settings: BackendSettings): void {
  localStorage.setItem(settingsKey, JSON.stringify(settings))
}

/**
 * The API key of this browser session. In development only, `VITE_SLUICE_API_KEY` is the
 * fallback; a production build never contains it (the `DEV` branch is removed at build time).
 *
 * @example
 * ```ts
 * const key = loadApiKey()
 * ```
 */
export function loadApiKey(): string {
  const stored = sessionStorage.getItem(apiKeyKey)
  if (stored !== null) return stored
  return import.meta.env.DEV ? (import.meta.env.VITE_SLUICE_API_KEY ?? '') : ''
}

/**
 * Keep the key for this tab's session only (an empty key removes it).
 *
 * @example
 * ```ts
 * saveApiKey(input.value)
 * ```
 */
export function saveApiKey(key: string): void {
  if (key === '') sessionStorage.removeItem(apiKeyKey)
  else sessionStorage.setItem(apiKeyKey, key)
}
