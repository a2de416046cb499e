/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Default protocol of the real backend (a `ProtocolId`). */
  readonly VITE_SLUICE_PROTOCOL?: string
  /** Default base URL or endpoint of the real backend. */
  readonly VITE_SLUICE_BASE_URL?: string
  /** Default model name. */
  readonly VITE_SLUICE_MODEL?: string
  /** Default transport: `auto`, `fetch`, `eventsource` or `websocket`. */
  readonly VITE_SLUICE_TRANSPORT?: string
  /** `true` to turn `<think>` / `<tool_call>` tags into reasoning and tool calls. */
  readonly VITE_SLUICE_INLINE_TAGS?: string
  /** Development only: an API key used when the session has none. Never built into `dist/`. */
  readonly VITE_SLUICE_API_KEY?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
