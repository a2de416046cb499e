/**
 * The request the relay sends upstream, in the provider's own shape: URL, auth header and
 * body, built from the conversation with the converters in `@sluice/core` (OpenAI Chat,
 * Anthropic) and the ones below for the providers core has none for (OpenAI Responses,
 * Ollama, Gemini). Agent backends get Sluice's default body, as `createChat` would send it.
 *
 * @module
 */
import {
  defaultRequestBody,
  type Message,
  type ProtocolId,
  type ToolCallPart,
  toAnthropicRequest,
  toOpenAIChatMessages,
} from '@sluice/core'

/** The providers with a known request shape; any other protocol is an agent backend at `baseURL`. */
export type ProviderProtocolId = 'openai-chat' | 'openai-responses' | 'anthropic' | 'ollama' | 'gemini'

/** What {@link buildUpstreamRequest} needs. */
export interface UpstreamRequestOptions {
  provider: ProtocolId
  baseURL?: string
  apiKey?: string
  model?: string
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

function text(message: Message): string {
  let joined = ''
  for (const part of message.parts) if (part.type === 'text') joined += part.text
  return joined
}

function answeredCalls(message: Message): ToolCallPart[] {
  return message.parts.filter(
    (part): part is ToolCallPart =>
      part.type === 'tool-call' &&
      part.providerExecuted !== true &&
      (part.state === 'output-available' || part.state === 'output-error'),
  )
}

function resultText(call: ToolCallPart): string {
  if (call.state === 'output-error') return call.errorText ?? 'The tool failed.'
  return typeof call.output === 'string' ? call.output : JSON.stringify(call.output ?? null)
}

function sent(message: Message): boolean {
  return (
    message.role !== 'tool' &&
    !(message.role === 'assistant' && (message.status === 'error' || message.status === 'pending'))
  )
}

/**
 * The conversation as an OpenAI Responses `input` (and `instructions` from system messages):
 * tool calls as `function_call` items followed by their `function_call_output`.
 *
 * @example
 * ```ts
 * toOpenAIResponsesRequest(messages) // { instructions?: '…', input: [{ role: 'user', content: 'Hi' }] }
 * ```
 */
export function toOpenAIResponsesRequest(messages: readonly Message[]): {
  instructions?: string
  input: unknown[]
} {
  const instructions: string[] = []
  const input: unknown[] = []
  for (const message of messages) {
    if (!sent(message)) continue
    if (message.role === 'system') {
      instructions.push(text(message))
      continue
    }
    const content = text(message)
    if (content !== '') input.push({ role: message.role, content })
    if (message.role !== 'assistant') continue
    for (const call of answeredCalls(message)) {
      input.push({
        type: 'function_call',
        call_id: call.toolCallId,
        name: call.toolName,
        arguments: call.inputText !== '' ? call.inputText : JSON.stringify(call.input ?? {}),
      })
      input.push({ type: 'function_call_output', call_id: call.toolCallId, output: resultText(call) })
    }
  }
  return instructions.length === 0 ? { input } : { instructions: instructions.join('\n\n'), input }
}

/**
 * The conversation as Ollama `/api/chat` messages: like OpenAI Chat, but tool call arguments
 * are objects and results name their tool.
 *
 * @example
 * ```ts
 * toOllamaMessages(messages) // [{ role: 'user', content: 'Hi' }]
 * ```
 */
export function toOllamaMessages(messages: readonly Message[]): unknown[] {
  const names = new Map<string, string>()
  for (const message of messages)
    for (const call of answeredCalls(message)) names.set(call.toolCallId, call.toolName)
  return toOpenAIChatMessages(messages).map((message) => {
    if (message.role === 'assistant') {
      const calls = message.tool_calls?.map((call) => {
        let parsed: unknown = {}
        try {
          parsed = JSON.parse(call.function.arguments)
        } catch {
          // Arguments the model wrote as broken JSON go back as text.
          parsed = call.function.arguments
        }
        return { function: { name: call.function.name, arguments: parsed } }
      })
      return calls
        ? { role: 'assistant', content: message.content ?? '', tool_calls: calls }
        : { role: 'assistant', content: message.content ?? '' }
    }
    if (message.role === 'tool')
      return { role: 'tool', content: message.content, tool_name: names.get(message.tool_call_id) ?? '' }
    return message
  })
}

/**
 * The conversation as a Gemini `generateContent` request: `contents` of `user` / `model`
 * turns (tool calls as `functionCall` parts, results as `functionResponse` parts in the user
 * turn that follows) and `systemInstruction`.
 *
 * @example
 * ```ts
 * toGeminiRequest(messages) // { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }
 * ```
 */
export function toGeminiRequest(messages: readonly Message[]): {
  contents: unknown[]
  systemInstruction?: { parts: { text: string }[] }
} {
  const system: string[] = []
  const contents: unknown[] = []
  for (const message of messages) {
    if (!sent(message)) continue
    if (message.role === 'system') {
      system.push(text(message))
      continue
    }
    if (message.role === 'user') {
      contents.push({ role: 'user', parts: [{ text: text(message) }] })
      continue
    }
    const parts: unknown[] = []
    const content = text(message)
    if (content !== '') parts.push({ text: content })
    const calls = answeredCalls(message)
    for (const call of calls) parts.push({ functionCall: { name: call.toolName, args: call.input ?? {} } })
    if (parts.length > 0) contents.push({ role: 'model', parts })
    if (calls.length > 0) {
      contents.push({
        role: 'user',
        parts: calls.map((call) => ({
          functionResponse: {
            name: call.toolName,
            response:
              call.state === 'output-error' ? { error: resultText(call) } : { output: call.output ?? null },
          },
        })),
      })
    }
  }
  return system.length === 0
    ? { contents }
    : { contents, systemInstruction: { parts: [{ text: system.join('\n\n') }] } }
}

/**
 * Build the upstream request for `messages`.
 *
 * @example
 * ```ts
 * const request = buildUpstreamRequest({ provider: 'anthropic', apiKey: 'sk-ant-…', model: 'claude-sonnet-4-5' }, messages)
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
