/**
 * What one chat request looks like for each protocol: the endpoint, the transport, the body the
 * provider expects and its auth headers. The same shapes go to the mocks and to real backends,
 * so a scenario that works here works against the real API.
 *
 * @module
 */
import { type Message, messageText, type ProtocolId } from '@sluice/core'
import type { BackendSettings } from '../settings/backend-settings.ts'

/** The options `useConversationChat` needs for one protocol and target. */
export interface RequestConfig {
  api: string
  protocol: ProtocolId
  transport: 'fetch' | 'eventsource' | 'websocket'
  body: (messages: readonly Message[]) => object
  headers: () => Record<string, string>
  inlineTags: boolean
}

/** Model names the mocks are asked for (they echo them back as real servers do). */
const mockModels: Partial<Record<ProtocolId, string>> = {
  'openai-chat': 'gpt-4o-mini',
  'openai-responses': 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.2',
  gemini: 'gemini-2.5-flash',
}

/** The path under the page where each protocol's mock answers (see `mocks/mock-router.ts`). */
export function mockPath(protocol: ProtocolId, model = mockModels[protocol] ?? 'mock-model'): string {
  switch (protocol) {
    case 'openai-chat':
      return 'mock/openai-chat/v1/chat/completions'
    case 'openai-responses':
      return 'mock/openai-responses/v1/responses'
    case 'anthropic':
      return 'mock/anthropic/v1/messages'
    case 'ollama':
      return 'mock/ollama/api/chat'
    case 'gemini':
      return `mock/gemini/v1beta/models/${model}:streamGenerateContent?alt=sse`
    default:
      return `mock/${protocol}`
  }
}

/**
 * The conversation as the model should see it: user messages and finished assistant answers
 * with text (a failed or empty answer is not part of what the model said; Anthropic rejects
 * empty content).
 */
function conversationTurns(messages: readonly Message[]): { role: 'user' | 'assistant'; content: string }[] {
  const turns: { role: 'user' | 'assistant'; content: string }[] = []
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'assistant') continue
    if (message.role === 'assistant' && message.status !== 'complete') continue
    const content = messageText(message)
    if (content.trim() === '') continue
    turns.push({ role: message.role, content })
  }
  return turns
}

/**
 * The request body for a protocol. The controller merges it over its default
 * `{ messages: [{ role, content }] }`; protocols whose API rejects unknown fields (OpenAI
 * Responses, Gemini) set `messages: undefined`, which `JSON.stringify` leaves out.
 *
 * @example
 * ```ts
 * requestBody('anthropic', 'claude-sonnet-4-5')(messages) // { model, max_tokens: 1024, stream: true, messages }
 * ```
 */
export function requestBody(protocol: ProtocolId, model: string): (messages: readonly Message[]) => object {
  return (messages) => {
    const turns = conversationTurns(messages)
    switch (protocol) {
      case 'openai-chat':
        return { model, stream: true, stream_options: { include_usage: true }, messages: turns }
      case 'openai-responses':
        return { model, stream: true, input: turns, messages: undefined }
      case 'anthropic':
        return { model, max_tokens: 1024, stream: true, messages: turns }
      case 'ollama':
        return { model, stream: true, messages: turns }
      case 'gemini':
        return {
          contents: turns.map((turn) => ({
            role: turn.role === 'assistant' ? 'model' : 'user',
            parts: [{ text: turn.content }],
          })),
          messages: undefined,
        }
      case 'ai-sdk':
        // The AI SDK's `useChat` sends UI messages (parts), which `convertToModelMessages` reads.
        return {
          messages: messages
            .filter((message) => message.role === 'user' || message.status === 'complete')
            .map((message) => ({
              id: message.id,
              role: message.role,
              parts: [{ type: 'text', text: messageText(message) }],
            })),
        }
      default:
        return { messages: turns, ...(model === '' ? {} : { model }) }
    }
  }
}

function joinPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`
}

/**
 * The endpoint of a real backend: a base URL gets the provider's path appended, a full endpoint
 * is used as given.
 *
 * @example
 * ```ts
 * realEndpoint({ protocol: 'ollama', url: 'http://localhost:11434', model: 'llama3.2', transport: 'auto', inlineTags: false })
 * // 'http://localhost:11434/api/chat'
 * ```
 */
export function realEndpoint(settings: BackendSettings): string {
  const url = settings.url.trim()
  switch (settings.protocol) {
    case 'openai-chat':
      return url.endsWith('/chat/completions') ? url : joinPath(url, '/chat/completions')
    case 'openai-responses':
      return url.endsWith('/responses') ? url : joinPath(url, '/responses')
    case 'anthropic':
      return url.endsWith('/messages') ? url : joinPath(url, '/v1/messages')
    case 'ollama':
      return url.endsWith('/api/chat') ? url : joinPath(url, '/api/chat')
    case 'gemini':
      return url.includes(':streamGenerateContent')
        ? url
        : joinPath(url, `/models/${encodeURIComponent(settings.model)}:streamGenerateContent?alt=sse`)
    default:
      return url
  }
}

/** Each provider's auth header (and Anthropic's opt-in for calls straight from a browser). */
export function authHeaders(protocol: ProtocolId, apiKey: string): Record<string, string> {
  switch (protocol) {
    case 'anthropic':
      return {
        ...(apiKey === '' ? {} : { 'x-api-key': apiKey }),
        'anthropic-version': '2023-06-01',
        // Anthropic refuses browser (CORS) requests without this explicit opt-in.
        'anthropic-dangerous-direct-browser-access': 'true',
      }
    case 'gemini':
      return apiKey === '' ? {} : { 'x-goog-api-key': apiKey }
    default:
      return apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }
  }
}

/** An absolute URL for a path under the page (the build is relocatable: `base: './'`). */
export function pageUrl(path: string, protocolScheme: 'http' | 'ws' = 'http'): string {
  const url = new URL(path, document.baseURI)
  if (protocolScheme === 'ws') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

/**
 * The request configuration for the mocks.
 *
 * @example
 * ```ts
 * mockRequestConfig('ollama').api // 'http://localhost:5173/mock/ollama/api/chat'
 * ```
 */
export function mockRequestConfig(protocol: ProtocolId): RequestConfig {
  const websocket = protocol === 'message-events'
  return {
    api: pageUrl(mockPath(protocol), websocket ? 'ws' : 'http'),
    protocol,
    transport: websocket ? 'websocket' : 'fetch',
    body: requestBody(protocol, mockModels[protocol] ?? ''),
    headers: () => ({}),
    inlineTags: false,
  }
}

/**
 * The request configuration for a real backend; the key is read per request, so a key typed
 * in the Backend panel applies at once.
 *
 * @example
 * ```ts
 * realRequestConfig(loadBackendSettings(), loadApiKey)
 * ```
 */
export function realRequestConfig(settings: BackendSettings, apiKey: () => string): RequestConfig {
  const api = realEndpoint(settings)
  const transport =
    settings.transport === 'auto' ? (/^wss?:/i.test(api) ? 'websocket' : 'fetch') : settings.transport
  return {
    api,
    protocol: settings.protocol,
    transport,
    body: requestBody(settings.protocol, settings.model),
    headers: () => authHeaders(settings.protocol, apiKey()),
    inlineTags: settings.inlineTags,
  }
}
