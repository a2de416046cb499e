/**
 * What one chat request looks like for each protocol: the endpoint, the transport, the body the
 * provider expects and its auth headers. The same shapes go to the mocks and to real backends,
 * so a scenario that works here works against the real API.
 *
 * @module
 */
import {
  type Message,
  messageText,
  type OpenAIChatRequestMessage,
  type ProtocolId,
  toAnthropicRequest,
  toOpenAIChatMessages,
} from '@sluice/core'
import type { BackendSettings } from '../settings/backend-settings.ts'

/** The options `useConversationChat` needs for one protocol and target. */
export interface RequestConfig {
  api: string
  protocol: ProtocolId
  transport: 'fetch' | 'eventsource' | 'websocket'
  body: (messages: readonly Message[]) => object
  headers: () => Record<string, string>
  inlineTags: boolean
  /**
   * Run the agent loop: the protocol leaves tools to the app, so an answer that called tools is
   * sent back with their results (`sendAutomaticallyWhen`). Agent protocols stream their own
   * results and never loop.
   */
  agentLoop: boolean
  /**
   * The server keeps streams (the `@sluice/server` relay): answers survive a dropped connection
   * and a reload (`resume` in `createChat`). Only over fetch.
   */
  resume: boolean
}

/** The wires of the providers themselves: tool results are the app's to send back. */
const providerWires = new Set<ProtocolId>([
  'openai-chat',
  'openai-responses',
  'anthropic',
  'ollama',
  'gemini',
])

/**
 * Whether a protocol runs the agent loop in the playground: the provider wires, and seed 002's
 * `stream-delta` (its `OpenAIProvider` hands back the accumulated `tool_calls` with
 * `finish_reason: "tool_calls"`; the framework's app runs them and calls `complete()` again with
 * the results in `messages`). Its mock answers one step per request, like the providers'.
 *
 * @example
 * ```ts
 * runsAgentLoop('anthropic') // true
 * runsAgentLoop('stream-delta') // true
 * runsAgentLoop('ai-sdk') // false: the server runs its tools
 * ```
 */
export function runsAgentLoop(protocol: ProtocolId): boolean {
  return providerWires.has(protocol) || protocol === 'stream-delta'
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

/** A tool call's arguments as an object (Ollama and Gemini take objects, not JSON text). */
function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

/** Tool call id → tool name, for the result messages that name the tool instead of the call. */
function toolNames(wire: readonly OpenAIChatRequestMessage[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const message of wire) {
    if (message.role !== 'assistant') continue
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name)
  }
  return names
}

/**
 * Ollama `/api/chat` messages: the Chat Completions shape, but tool arguments are an object and
 * a result names its tool (`tool_name`) rather than the call.
 */
function ollamaMessages(messages: readonly Message[]): object[] {
  const wire = toOpenAIChatMessages(messages)
  const names = toolNames(wire)
  return wire.map((message) => {
    if (message.role === 'tool') {
      const name = names.get(message.tool_call_id)
      return { role: 'tool', content: message.content, ...(name === undefined ? {} : { tool_name: name }) }
    }
    if (message.role !== 'assistant' || message.tool_calls === undefined) return message
    return {
      role: 'assistant',
      content: message.content ?? '',
      tool_calls: message.tool_calls.map((call) => ({
        function: { name: call.function.name, arguments: argumentsObject(call.function.arguments) },
      })),
    }
  })
}

/**
 * OpenAI Responses `input` items: messages, each tool call as a `function_call` item and its
 * result as a `function_call_output` item.
 */
function responsesInput(messages: readonly Message[]): object[] {
  const input: object[] = []
  for (const message of toOpenAIChatMessages(messages)) {
    if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.tool_call_id, output: message.content })
    } else if (message.role === 'assistant') {
      if (message.content !== null && message.content !== '') {
        input.push({ role: 'assistant', content: message.content })
      }
      for (const call of message.tool_calls ?? []) {
        input.push({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })
      }
    } else if (message.role === 'user') {
      input.push({ role: 'user', content: message.content })
    }
  }
  return input
}

/** A tool result as the object Gemini's `functionResponse.response` takes. */
function functionResponse(content: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content)
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
    return { output: value }
  } catch {
    return { output: content }
  }
}

/**
 * Gemini `contents`: `model` turns with `functionCall` parts, and the results as one `user` turn
 * of `functionResponse` parts (Gemini names the function, not the call).
 */
function geminiContents(messages: readonly Message[]): { role: 'user' | 'model'; parts: object[] }[] {
  const wire = toOpenAIChatMessages(messages)
  const names = toolNames(wire)
  const contents: { role: 'user' | 'model'; parts: object[] }[] = []
  for (const message of wire) {
    if (message.role === 'tool') {
      const part = {
        functionResponse: {
          name: names.get(message.tool_call_id) ?? 'tool',
          response: functionResponse(message.content),
        },
      }
      const last = contents.at(-1)
      // The results of one step travel together, in the user turn after the calls.
      if (last?.role === 'user' && last.parts.every((existing) => 'functionResponse' in existing)) {
        last.parts.push(part)
      } else {
        contents.push({ role: 'user', parts: [part] })
      }
    } else if (message.role === 'assistant') {
      const parts: object[] = []
      if (message.content !== null && message.content !== '') parts.push({ text: message.content })
      for (const call of message.tool_calls ?? []) {
        parts.push({
          functionCall: { name: call.function.name, args: argumentsObject(call.function.arguments) },
        })
      }
      if (parts.length > 0) contents.push({ role: 'model', parts })
    } else if (message.role === 'user') {
      contents.push({ role: 'user', parts: [{ text: message.content }] })
    }
  }
  return contents
}

/** A tool call as seed 002's `ToolCall { id, name, arguments: dict }`. */
interface EcsAgentToolCall {
  id: string
  name: string
  arguments: Record<string, unknown>
}

/**
 * Seed 002's `messages: list[Message]`: `{role, content}` turns, an answer that called tools as
 * an assistant message with its `tool_calls` in the shape the stream delivered them, and each
 * result as a `role: "tool"` message naming its call (`tool_call_id`), after the calls.
 */
function ecsAgentMessages(messages: readonly Message[]): object[] {
  return toOpenAIChatMessages(messages).map((message) => {
    if (message.role === 'user' && typeof message.content !== 'string') {
      return {
        role: 'user',
        content: message.content.map((part) => ('text' in part ? part.text : '')).join(''),
      }
    }
    if (message.role !== 'assistant' || message.tool_calls === undefined) return message
    const toolCalls: EcsAgentToolCall[] = message.tool_calls.map((call) => ({
      id: call.id,
      name: call.function.name,
      arguments: argumentsObject(call.function.arguments),
    }))
    return { role: 'assistant', content: message.content, tool_calls: toolCalls }
  })
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
      // The provider wires carry the tool calls and their results, so the agent loop's request
      // lets the model go on from them.
      case 'openai-chat':
        return {
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: toOpenAIChatMessages(messages),
        }
      case 'openai-responses':
        return { model, stream: true, input: responsesInput(messages), messages: undefined }
      case 'anthropic':
        return { model, max_tokens: 1024, stream: true, ...toAnthropicRequest(messages) }
      case 'ollama':
        return { model, stream: true, messages: ollamaMessages(messages) }
      case 'gemini':
        return { contents: geminiContents(messages), messages: undefined }
      case 'stream-delta':
        // The agent loop sends the calls and their results back (seed 002: the app runs them).
        return { messages: ecsAgentMessages(messages), ...(model === '' ? {} : { model }) }
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
    agentLoop: runsAgentLoop(protocol),
    resume: false,
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
    agentLoop: runsAgentLoop(settings.protocol),
    resume: settings.resume === true && transport === 'fetch',
  }
}
