/**
 * The browser's request body, read as hostile input: `createChat`'s default body
 * `{ messages: [{ role, content, toolCalls? }], streamId? }` becomes core `Message`s, which the
 * provider request converters take. Anything malformed is a 400 naming the field.
 *
 * @module
 */
import type { Message, MessagePart, ToolCallPart } from '@sluice/core'
import { isValidStreamId } from './stream-store.ts'

/** Limits on what one request may carry. */
export interface RequestLimits {
  /** Most messages in `messages`. Default 500. */
  maxMessages: number
  /** Most characters in one message's content. Default 200,000. */
  maxContentLength: number
  /** Most tool calls in one message. Default 64. */
  maxToolCalls: number
}

/** What a POST asked for. */
export interface ParsedChatRequest {
  messages: Message[]
  streamId?: string
}

/** A request the relay refuses, with the status to answer. */
export class ChatRequestRejection extends Error {
  override readonly name = 'ChatRequestRejection'
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const roles: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'tool'])
const toolStates: ReadonlySet<string> = new Set([
  'input-streaming',
  'input-available',
  'running',
  'output-available',
  'output-error',
  'cancelled',
])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function reject(message: string): never {
  throw new ChatRequestRejection(400, `Sluice relay: ${message}`)
}

function parseToolCall(value: unknown, where: string): ToolCallPart {
  if (!isRecord(value)) reject(`${where} must be an object.`)
  const toolCallId = own(value, 'toolCallId')
  const toolName = own(value, 'toolName')
  if (typeof toolCallId !== 'string' || toolCallId === '' || toolCallId.length > 256) {
    reject(`${where}.toolCallId must be a string of 1 to 256 characters.`)
  }
  if (typeof toolName !== 'string' || toolName === '' || toolName.length > 256) {
    reject(`${where}.toolName must be a string of 1 to 256 characters.`)
  }
  const state = own(value, 'state')
  const part: ToolCallPart = {
    type: 'tool-call',
    toolCallId,
    toolName,
    state:
      typeof state === 'string' && toolStates.has(state)
        ? (state as ToolCallPart['state'])
        : 'input-available',
    inputText: '',
    input: own(value, 'input') ?? {},
  }
  if (Object.hasOwn(value, 'output')) part.output = own(value, 'output')
  const errorText = own(value, 'errorText')
  if (typeof errorText === 'string') part.errorText = errorText
  return part
}

/**
 * Read the POST body (already parsed JSON) into messages and an optional stream id.
 *
 * @example
 * ```ts
 * parseChatRequest({ messages: [{ role: 'user', content: 'Hi' }] }, limits).messages[0]?.role // 'user'
 * ```
 */
export function parseChatRequest(body: unknown, limits: RequestLimits): ParsedChatRequest {
  if (!isRecord(body))
    reject('the request body must be a JSON object like {"messages":[{"role":"user","content":"Hi"}]}.')
  const list = own(body, 'messages')
  if (!Array.isArray(list) || list.length === 0) {
    reject('"messages" must be a non-empty array of {role, content}, as createChat sends by default.')
  }
  if (list.length > limits.maxMessages) {
    throw new ChatRequestRejection(
      413,
      `Sluice relay: "messages" has ${list.length} entries; at most ${limits.maxMessages} are accepted (maxMessages).`,
    )
  }
  const messages: Message[] = []
  list.forEach((entry: unknown, index) => {
    const where = `messages[${index}]`
    if (!isRecord(entry)) reject(`${where} must be an object with "role" and "content".`)
    const role = own(entry, 'role')
    if (typeof role !== 'string' || !roles.has(role))
      reject(`${where}.role must be user, assistant, system or tool.`)
    const content = own(entry, 'content') ?? ''
    if (typeof content !== 'string') reject(`${where}.content must be a string.`)
    if (content.length > limits.maxContentLength) {
      throw new ChatRequestRejection(
        413,
        `Sluice relay: ${where}.content has ${content.length} characters; at most ${limits.maxContentLength} are accepted (maxContentLength).`,
      )
    }
    const parts: MessagePart[] = []
    if (content !== '') parts.push({ type: 'text', id: 'text', text: content, state: 'done' })
    const toolCalls = own(entry, 'toolCalls')
    if (toolCalls !== undefined) {
      if (!Array.isArray(toolCalls)) reject(`${where}.toolCalls must be an array.`)
      if (toolCalls.length > limits.maxToolCalls) {
        throw new ChatRequestRejection(
          413,
          `Sluice relay: ${where}.toolCalls has ${toolCalls.length} entries; at most ${limits.maxToolCalls} are accepted (maxToolCalls).`,
        )
      }
      toolCalls.forEach((call: unknown, callIndex) => {
        parts.push(parseToolCall(call, `${where}.toolCalls[${callIndex}]`))
      })
    }
    messages.push({ id: `request-${index}`, role: role as Message['role'], status: 'complete', parts })
  })
  const streamId = own(body, 'streamId')
  if (streamId === undefined || streamId === null) return { messages }
  if (!isValidStreamId(streamId))
    reject('"streamId" must be 1 to 128 characters of letters, digits and _ . : -.')
  return { messages, streamId }
}
