/**
 * The request the relay sends upstream, in the provider's own shape: URL, auth header and
 * body, built from the conversation with the converters in `@sluice/core` (OpenAI Chat and
 * Responses, Anthropic, Ollama, Gemini: tool calls and results, attached files in each
 * provider's shape). Agent backends get Sluice's default body, as `createChat` would send it.
 *
 * @module
 */
import {
  defaultRequestBody,
  type Message,
  type ProtocolId,
  toAnthropicRequest,
  toGeminiRequest,
  toOllamaMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesRequest,
} from '@sluice/core'

/** The providers with a known request shape; any other protocol is an agent backend at `baseURL`. */
export type ProviderProtocolId = 'openai-chat' | 'openai-responses' | 'anthropic' | 'ollama' | 'gemini'

/** What {@link buildUpstreamRequest} needs. */
export interface UpstreamRequestOptions {
  provider: ProtocolId
  baseURL?: string | undefined
  apiKey?: string | undefined
  model?: string | undefined
  /** Extra body fields (tools, temperature, max_tokens…), merged over the built body. */
  body?: object | ((messages: readonly Message[]) => object)
  /** Extra headers (e.g. `OpenAI-Organization`, `anthropic-beta`). */
  headers?: Record<string, string>
}

/** One upstream request. */
export interface UpstreamRequest {
  url: string
  headers: Record<string, string>
  body: Record<string, unknown>
}

const defaultBaseURLs: Partial<Record<ProtocolId, string>> = {
  'openai-chat': 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
  ollama: 'http://localhost:11434',
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url
}

/**
 * Build the upstream request for `messages`.
 *
 * @example
 * ```ts
 * const request = buildUpstreamRequest({ provider: 'anthropic', apiKey: 'sk-ant-your-key', model: 'claude-sonnet-4-5' }, messages)
 * request.url // 'https://api.anthropic.com/v1/messages'
 * ```
 */
export function buildUpstreamRequest(
  options: UpstreamRequestOptions,
  messages: readonly Message[],
): UpstreamRequest {
  const base = options.baseURL ?? defaultBaseURLs[options.provider]
  if (base === undefined) {
    throw new TypeError(
      `createChatHandler: provider "${options.provider}" is an agent backend with no default address; pass baseURL (the full URL its POST goes to).`,
    )
  }
  const baseURL = trimSlash(base)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream, application/x-ndjson',
  }
  let url: string
  let body: Record<string, unknown>
  const model = options.model === undefined ? {} : { model: options.model }
  switch (options.provider) {
    case 'openai-chat':
      url = `${baseURL}/chat/completions`
      body = {
        ...model,
        stream: true,
        stream_options: { include_usage: true },
        messages: toOpenAIChatMessages(messages),
      }
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
      break
    case 'openai-responses':
      url = `${baseURL}/responses`
      body = { ...model, stream: true, ...toOpenAIResponsesRequest(messages) }
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
      break
    case 'anthropic':
      url = `${baseURL}/messages`
      body = { ...model, max_tokens: 4096, stream: true, ...toAnthropicRequest(messages) }
      headers['anthropic-version'] = '2023-06-01'
      if (options.apiKey) headers['x-api-key'] = options.apiKey
      break
    case 'ollama':
      url = `${baseURL}/api/chat`
      body = { ...model, stream: true, messages: toOllamaMessages(messages) }
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
      break
    case 'gemini': {
      if (options.model === undefined)
        throw new TypeError('createChatHandler: provider "gemini" needs model (it is part of the URL).')
      url = `${baseURL}/models/${encodeURIComponent(options.model)}:streamGenerateContent?alt=sse`
      body = { ...toGeminiRequest(messages) }
      if (options.apiKey) headers['x-goog-api-key'] = options.apiKey
      break
    }
    default:
      url = baseURL
      body = { ...model, ...defaultRequestBody(messages) }
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
  }
  const extra = typeof options.body === 'function' ? options.body(messages) : options.body
  if (extra !== undefined) Object.assign(body, extra)
  Object.assign(headers, options.headers)
  return { url, headers, body }
}
