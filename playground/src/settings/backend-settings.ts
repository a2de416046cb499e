/**
 * The real backend the playground can talk to instead of the mocks: a provider's base URL, an
 * Ollama host, or any SSE / NDJSON / WebSocket endpoint with a chosen protocol.
 *
 * Where things are kept:
 * - the API key in `sessionStorage` only (gone when the tab closes; never in the URL, never in
 *   `localStorage`, never sent anywhere but the backend it belongs to);
 * - the rest (URL, protocol, model, transport) in `localStorage`;
 * - defaults from `VITE_SLUICE_*` environment variables (see the README).
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'

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
}

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
 * The saved settings over the environment defaults.
 *
 * @example
 * ```ts
 * loadBackendSettings().url // 'http://localhost:11434'
 * ```
 */
export function loadBackendSettings(): BackendSettings {
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
