/**
 * The conversation in the request shape of the providers Sluice talks to directly, tool calls
 * and their results included, so an answer that called tools can be sent back to the model
 * (see `sendAutomaticallyWhen`), and the files a user attached in each provider's own shape
 * (see `./provider-files.ts`). The other providers' converters are in `./provider-requests.ts`.
 *
 * @module
 */
import type { Message, ToolCallPart } from '../message.ts'
import {
  type AnthropicFileBlock,
  anthropicFileBlock,
  fileParts,
  type OpenAIChatContentPart,
  openAIChatFilePart,
} from './provider-files.ts'

/**
 * A message the request should carry: not a failed or never-started answer, and not a bare
 * `tool` message (results travel with the tool calls of the assistant message they answer).
 */
export function isSent(message: Message): boolean {
  if (message.role === 'tool') return false
  return !(message.role === 'assistant' && (message.status === 'error' || message.status === 'pending'))
}

export function hasResult(call: ToolCallPart): boolean {
  return call.state === 'output-available' || call.state === 'output-error'
}

/** The arguments as the model wrote them: the streamed JSON text, else the parsed input. */
export function argumentsText(call: ToolCallPart): string {
  if (call.inputText !== '') return call.inputText
  return JSON.stringify(call.input ?? {})
}

/** A tool result as the text a provider takes: strings as they are, anything else as JSON. */
export function resultText(call: ToolCallPart): string {
  if (call.state === 'output-error') return call.errorText ?? 'The tool failed.'
  return typeof call.output === 'string' ? call.output : JSON.stringify(call.output ?? null)
}

/**
 * One assistant turn as segments: text, then the tool calls made after it. A message with
 * several steps (text, tools, text, tools…) becomes several segments, in order, because the
 * model saw each tool's result before it wrote what follows.
 */
export interface AssistantSegment {
  text: string
  calls: ToolCallPart[]
}

export function assistantSegments(message: Message): AssistantSegment[] {
  const segments: AssistantSegment[] = []
  let segment: AssistantSegment = { text: '', calls: [] }
  for (const part of message.parts) {
    if (part.type === 'text') {
      if (segment.calls.length > 0) {
        segments.push(segment)
        segment = { text: '', calls: [] }
      }
      segment.text += part.text
    } else if (part.type === 'tool-call' && part.providerExecuted !== true && hasResult(part)) {
      // A call without a result (cancelled, still running) is left out: the providers reject a
      // tool call that is not followed by its result.
      segment.calls.push(part)
    }
  }
  if (segment.text !== '' || segment.calls.length > 0) segments.push(segment)
  return segments
}

export function plainText(message: Message): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}

/** A message of the OpenAI Chat Completions request (`messages`), tool calls included. */
export type OpenAIChatRequestMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIChatContentPart[] }
  | {
      role: 'assistant'
      content: string | null
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[]
    }
  | { role: 'tool'; tool_call_id: string; content: string }

/**
 * The conversation as OpenAI Chat Completions `messages`: assistant tool calls as `tool_calls`,
 * each result as a `role: "tool"` message after them (also the shape of Ollama, vLLM, Groq and
 * the other OpenAI-compatible servers).
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: 'https://api.openai.com/v1/chat/completions',
 *   protocol: 'openai-chat',
 *   body: (messages) => ({ model: 'gpt-4o', stream: true, tools, messages: toOpenAIChatMessages(messages) }),
 *   sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
 * })
 * ```
 */
export function toOpenAIChatMessages(messages: readonly Message[]): OpenAIChatRequestMessage[] {
  const wire: OpenAIChatRequestMessage[] = []
  for (const message of messages) {
    if (!isSent(message)) continue
    if (message.role === 'system') {
      wire.push({ role: 'system', content: plainText(message) })
      continue
    }
    if (message.role === 'user') {
      const files = fileParts(message)
      const text = plainText(message)
      if (files.length === 0) {
        wire.push({ role: 'user', content: text })
        continue
      }
      const content = files.map(openAIChatFilePart)
      if (text !== '') content.push({ type: 'text', text })
      wire.push({ role: 'user', content })
      continue
    }
    for (const segment of assistantSegments(message)) {
      if (segment.calls.length === 0) {
        wire.push({ role: 'assistant', content: segment.text })
        continue
      }
      wire.push({
        role: 'assistant',
        content: segment.text === '' ? null : segment.text,
        tool_calls: segment.calls.map((call) => ({
          id: call.toolCallId,
          type: 'function',
          function: { name: call.toolName, arguments: argumentsText(call) },
        })),
      })
      for (const call of segment.calls) {
        wire.push({ role: 'tool', tool_call_id: call.toolCallId, content: resultText(call) })
      }
    }
  }
  return wire
}

/** A content block of an Anthropic Messages request. */
export type AnthropicRequestBlock =
  | { type: 'text'; text: string }
  | AnthropicFileBlock
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean }

/** A message of the Anthropic Messages request. */
export interface AnthropicRequestMessage {
  role: 'user' | 'assistant'
  content: string | AnthropicRequestBlock[]
}

/**
 * The conversation as an Anthropic Messages request: `system` (the system messages joined; the
 * API takes it apart from `messages`) and `messages`, with tool calls as `tool_use` blocks and
 * their results as `tool_result` blocks in the user turn that follows.
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: 'https://api.anthropic.com/v1/messages',
 *   protocol: 'anthropic',
 *   body: (messages) => ({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, tools, ...toAnthropicRequest(messages) }),
 *   sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
 * })
 * ```
 */
export function toAnthropicRequest(messages: readonly Message[]): {
  system?: string
  messages: AnthropicRequestMessage[]
} {
  const system: string[] = []
  const wire: AnthropicRequestMessage[] = []
  for (const message of messages) {
    if (!isSent(message)) continue
    if (message.role === 'system') {
      system.push(plainText(message))
      continue
    }
    if (message.role === 'user') {
      const files = fileParts(message)
      const text = plainText(message)
      if (files.length === 0) {
        wire.push({ role: 'user', content: text })
        continue
      }
      // Images and documents first: Anthropic's guidance is that Claude reads them best before the question.
      const content: AnthropicRequestBlock[] = files.map(anthropicFileBlock)
      if (text !== '') content.push({ type: 'text', text })
      wire.push({ role: 'user', content })
      continue
    }
    for (const segment of assistantSegments(message)) {
      if (segment.calls.length === 0) {
        wire.push({ role: 'assistant', content: segment.text })
        continue
      }
      const content: AnthropicRequestBlock[] = []
      if (segment.text !== '') content.push({ type: 'text', text: segment.text })
      for (const call of segment.calls) {
        content.push({ type: 'tool_use', id: call.toolCallId, name: call.toolName, input: call.input ?? {} })
      }
      wire.push({ role: 'assistant', content })
      wire.push({
        role: 'user',
        content: segment.calls.map((call) => {
          const block: AnthropicRequestBlock = {
            type: 'tool_result',
            tool_use_id: call.toolCallId,
            content: resultText(call),
          }
          if (call.state === 'output-error') block.is_error = true
          return block
        }),
      })
    }
  }
  return system.length === 0 ? { messages: wire } : { system: system.join('\n\n'), messages: wire }
}
