/**
 * The conversation in the request shapes of OpenAI Responses, Ollama, Gemini and the AI SDK
 * (`UIMessage`s), tool calls and attached files included. OpenAI Chat and Anthropic are in
 * `./provider-messages.ts`. Each output type-checks against the provider's official SDK request
 * type (`test/types/provider-request-types.test.ts`).
 *
 * @module
 */
import type { Message } from '../message.ts'
import {
  fileParts,
  type GeminiFilePart,
  geminiFilePart,
  type OpenAIResponsesContentPart,
  ollamaFiles,
  openAIResponsesFilePart,
} from './provider-files.ts'
import { argumentsText, assistantSegments, isSent, plainText, resultText } from './provider-messages.ts'

/** An item of an OpenAI Responses `input`. */
export type OpenAIResponsesInputItem =
  | { role: 'user'; content: string | OpenAIResponsesContentPart[] }
  | { role: 'assistant'; content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }

/**
 * The conversation as an OpenAI Responses request: `instructions` (the system messages) and
 * `input`, with attached files as `input_image` / `input_file` and tool calls as
 * `function_call` items followed by their `function_call_output`.
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: 'https://api.openai.com/v1/responses',
 *   protocol: 'openai-responses',
 *   // `messages: undefined` leaves createChat's default `messages` out of the JSON.
 *   body: (messages) => ({ model: 'gpt-4.1', stream: true, ...toOpenAIResponsesRequest(messages), messages: undefined }),
 * })
 * ```
 */
export function toOpenAIResponsesRequest(messages: readonly Message[]): {
  instructions?: string
  input: OpenAIResponsesInputItem[]
} {
  const instructions: string[] = []
  const input: OpenAIResponsesInputItem[] = []
  for (const message of messages) {
    if (!isSent(message)) continue
    if (message.role === 'system') {
      instructions.push(plainText(message))
      continue
    }
    if (message.role === 'user') {
      const files = fileParts(message)
      const text = plainText(message)
      if (files.length === 0) {
        input.push({ role: 'user', content: text })
        continue
      }
      const content = files.map(openAIResponsesFilePart)
      if (text !== '') content.push({ type: 'input_text', text })
      input.push({ role: 'user', content })
      continue
    }
    for (const segment of assistantSegments(message)) {
      if (segment.text !== '') input.push({ role: 'assistant', content: segment.text })
      for (const call of segment.calls) {
        input.push({
          type: 'function_call',
          call_id: call.toolCallId,
          name: call.toolName,
          arguments: argumentsText(call),
        })
        input.push({ type: 'function_call_output', call_id: call.toolCallId, output: resultText(call) })
      }
    }
  }
  return instructions.length === 0 ? { input } : { instructions: instructions.join('\n\n'), input }
}

/** A message of an Ollama `/api/chat` request. */
export interface OllamaRequestMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string
  /** Base64 images, without the `data:` prefix. */
  images?: string[]
  tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[]
  tool_name?: string
}

function argumentsObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // Broken JSON from the model: keep it as text under one key, below.
  }
  return { input: text }
}

/**
 * The conversation as Ollama `/api/chat` messages: attached images as `images` (base64 without
 * the `data:` prefix; other files as a line of text naming them), tool calls with object
 * arguments, results as `role: "tool"` messages naming their tool.
 *
 * @example
 * ```ts
 * body: (messages) => ({ model: 'llava', stream: true, messages: toOllamaMessages(messages) })
 * ```
 */
export function toOllamaMessages(messages: readonly Message[]): OllamaRequestMessage[] {
  const wire: OllamaRequestMessage[] = []
  for (const message of messages) {
    if (!isSent(message)) continue
    if (message.role === 'system' || message.role === 'user') {
      const { images, mentions } = ollamaFiles(message)
      const content = [...mentions, plainText(message)].filter((line) => line !== '').join('\n')
      wire.push(
        images.length === 0 ? { role: message.role, content } : { role: message.role, content, images },
      )
      continue
    }
    for (const segment of assistantSegments(message)) {
      if (segment.calls.length === 0) {
        wire.push({ role: 'assistant', content: segment.text })
        continue
      }
      wire.push({
        role: 'assistant',
        content: segment.text,
        tool_calls: segment.calls.map((call) => ({
          function: { name: call.toolName, arguments: argumentsObject(argumentsText(call)) },
        })),
      })
      for (const call of segment.calls)
        wire.push({ role: 'tool', content: resultText(call), tool_name: call.toolName })
    }
  }
  return wire
}

/** A part of a Gemini `Content`. */
export type GeminiRequestPart =
  | GeminiFilePart
  | { functionCall: { name: string; args: Record<string, unknown> } }
  | { functionResponse: { name: string; response: Record<string, unknown> } }

/** A Gemini `Content` (one turn). */
export interface GeminiRequestContent {
  role: 'user' | 'model'
  parts: GeminiRequestPart[]
}

/**
 * The conversation as a Gemini `generateContent` request: `contents` of `user` / `model` turns
 * (attached files as `inlineData` or `fileData` parts, tool calls as `functionCall`, results as
 * `functionResponse` in the user turn that follows) and `systemInstruction`.
 *
 * @example
 * ```ts
 * body: (messages) => ({ ...toGeminiRequest(messages), messages: undefined }) // { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }
 * ```
 */
export function toGeminiRequest(messages: readonly Message[]): {
  contents: GeminiRequestContent[]
  systemInstruction?: { parts: { text: string }[] }
} {
  const system: string[] = []
  const contents: GeminiRequestContent[] = []
  for (const message of messages) {
    if (!isSent(message)) continue
    if (message.role === 'system') {
      system.push(plainText(message))
      continue
    }
    if (message.role === 'user') {
      const parts: GeminiRequestPart[] = fileParts(message).map(geminiFilePart)
      const text = plainText(message)
      if (text !== '' || parts.length === 0) parts.push({ text })
      contents.push({ role: 'user', parts })
      continue
    }
    for (const segment of assistantSegments(message)) {
      const parts: GeminiRequestPart[] = []
      if (segment.text !== '') parts.push({ text: segment.text })
      for (const call of segment.calls)
        parts.push({ functionCall: { name: call.toolName, args: argumentsObject(argumentsText(call)) } })
      if (parts.length > 0) contents.push({ role: 'model', parts })
      if (segment.calls.length === 0) continue
      contents.push({
        role: 'user',
        parts: segment.calls.map((call) => ({
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

/** A part of an AI SDK `UIMessage`, as this converter writes it. */
export type AISDKRequestPart =
  | { type: 'text'; text: string }
  | { type: 'file'; mediaType: string; url: string; filename?: string }
  | {
      type: 'dynamic-tool'
      toolName: string
      toolCallId: string
      state: 'output-available'
      input: unknown
      output: unknown
    }
  | {
      type: 'dynamic-tool'
      toolName: string
      toolCallId: string
      state: 'output-error'
      input: unknown
      errorText: string
    }

/** An AI SDK `UIMessage`, as `useChat` sends it and `convertToModelMessages` reads it. */
export interface AISDKRequestMessage {
  id: string
  role: 'system' | 'user' | 'assistant'
  parts: AISDKRequestPart[]
}

/**
 * The conversation as AI SDK `UIMessage`s (what `useChat` posts and a route handler passes to
 * `convertToModelMessages`): text parts, attached files as `file` parts (`mediaType`, `url`,
 * `filename`), answered tool calls as `dynamic-tool` parts.
 *
 * @example
 * ```ts
 * body: (messages) => ({ messages: toAISDKMessages(messages) })
 * ```
 */
export function toAISDKMessages(messages: readonly Message[]): AISDKRequestMessage[] {
  const wire: AISDKRequestMessage[] = []
  for (const message of messages) {
    if (!isSent(message) || message.role === 'tool') continue
    const parts: AISDKRequestPart[] = []
    for (const part of message.parts) {
      if (part.type === 'text' && part.text !== '') parts.push({ type: 'text', text: part.text })
      else if (part.type === 'file') {
        const file: AISDKRequestPart = { type: 'file', mediaType: part.mediaType, url: part.url }
        if (part.name !== undefined) file.filename = part.name
        parts.push(file)
      } else if (part.type === 'tool-call' && part.providerExecuted !== true) {
        const base = { type: 'dynamic-tool' as const, toolName: part.toolName, toolCallId: part.toolCallId }
        if (part.state === 'output-available')
          parts.push({
            ...base,
            state: 'output-available',
            input: part.input ?? {},
            output: part.output ?? null,
          })
        else if (part.state === 'output-error')
          parts.push({ ...base, state: 'output-error', input: part.input ?? {}, errorText: resultText(part) })
      }
    }
    wire.push({ id: message.id, role: message.role, parts })
  }
  return wire
}
