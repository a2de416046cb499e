/**
 * The browser's request body, read as hostile input: `createChat`'s default body
 * `{ messages: [{ role, content, toolCalls?, files? }], streamId? }` becomes core `Message`s, which the
 * provider request converters take. Anything malformed is a 400 naming the field.
 *
 * @module
 */
import type { FilePart, Message, MessagePart, ToolCallPart } from '@sluice/core'
import { isValidStreamId } from './stream-store.ts'

/** Limits on what one request may carry. */
export interface RequestLimits {
  /** Most messages in `messages`. Default 500. */
  maxMessages: number
  /** Most characters in one message's content. Default 200,000. */
  maxContentLength: number
  /** Most tool calls in one message. Default 64. */
  maxToolCalls: number
  /** Most files (attachments) on one message. Default 16. */
  maxFiles?: number
  /**
   * Most characters in one file's URL (a `data:` URL holds the whole file, base64). Default
   * 28,000,000 (about 20 MiB of file).
   */
  maxFileUrlLength?: number
}

const defaultMaxFiles = 16
const defaultMaxFileUrlLength = 28_000_000
/** `data:<type>;base64,<data>`: the only inline form the providers take. */
const BASE64_DATA_URL = /^data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[^;,]*)*;base64,[A-Za-z0-9+/=]*$/
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/

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

function parseFile(value: unknown, where: string, limits: RequestLimits): FilePart {
  if (!isRecord(value)) reject(`${where} must be an object {url, mediaType, name?, size?}.`)
  const url = own(value, 'url')
  const mediaType = own(value, 'mediaType')
  const maxLength = limits.maxFileUrlLength ?? defaultMaxFileUrlLength
  if (typeof url !== 'string' || url === '') reject(`${where}.url must be a non-empty string.`)
  if (url.length > maxLength) {
    throw new ChatRequestRejection(
      413,
      `Sluice relay: ${where}.url has ${url.length} characters; at most ${maxLength} are accepted (maxFileUrlLength). Upload large files and send their https URL.`,
    )
  }
  // Only what a provider can read: an https/http URL or base64 inline data. A blob: URL only
  // the browser can read, and javascript:/file: never reach the provider.
  if (!/^https?:\/\//i.test(url) && !BASE64_DATA_URL.test(url)) {
    reject(`${where}.url must be an http(s) URL or a data:<type>;base64, URL.`)
  }
  if (typeof mediaType !== 'string' || mediaType.length > 255 || !MEDIA_TYPE.test(mediaType)) {
    reject(`${where}.mediaType must be a media type such as image/png.`)
  }
  const part: FilePart = { type: 'file', url, mediaType: mediaType.toLowerCase() }
  const name = own(value, 'name')
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > 1024)
      reject(`${where}.name must be a string of at most 1024 characters.`)
    part.name = name
  }
  const size = own(value, 'size')
  if (size !== undefined) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      reject(`${where}.size must be a whole number of bytes.`)
    part.size = size
  }
  return part
}

function parseFiles(value: unknown, where: string, limits: RequestLimits): FilePart[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) reject(`${where}.files must be an array.`)
  const maxFiles = limits.maxFiles ?? defaultMaxFiles
  if (value.length > maxFiles) {
    throw new ChatRequestRejection(
      413,
      `Sluice relay: ${where}.files has ${value.length} entries; at most ${maxFiles} are accepted (maxFiles).`,
    )
  }
  return value.map((file: unknown, index) => parseFile(file, `${where}.files[${index}]`, limits))
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
    // Files first, as createChat puts them in the user message (and providers read them best before the text).
    const parts: MessagePart[] = parseFiles(own(entry, 'files'), where, limits)
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
