/**
 * Reading what a client sent: a size-capped JSON body, and the conversation inside it. Everything
 * here is hostile input (a reference backend is a real server on a real port).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http'

/** The largest request body or WebSocket frame a reference backend reads. */
export const maximumRequestBytes = 1024 * 1024

/** A failure the client caused, answered with this HTTP status. */
export class RequestRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The request body as JSON (an empty body is `{}`), at most {@link maximumRequestBytes}.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(request)
 * ```
 */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > maximumRequestBytes) {
      throw new RequestRejected(413, `The request body is larger than ${maximumRequestBytes} bytes.`)
    }
    chunks.push(buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return parseJsonObject(text)
}

/**
 * Parse a JSON object (a body or a WebSocket frame); anything else is rejected with 400.
 *
 * @example
 * ```ts
 * parseJsonObject('{"messages":[]}') // { messages: [] }
 * ```
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  if (text.length > maximumRequestBytes) {
    throw new RequestRejected(413, `The frame is larger than ${maximumRequestBytes} bytes.`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new RequestRejected(
      400,
      'The request is not valid JSON. Send a JSON object such as {"messages": [...]}.',
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestRejected(400, 'The request must be a JSON object such as {"messages": [...]}.')
  }
  return value as Record<string, unknown>
}

/** A field of a wire object, own properties only. */
export function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null && Object.hasOwn(object, key)
    ? (object as Record<string, unknown>)[key]
    : undefined
}

/** The text of a message's `content`: a string, or the text parts of an array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (typeof field(part, 'text') === 'string' ? (field(part, 'text') as string) : ''))
    .join('')
}

/** One turn of the conversation a client sent. */
export interface ConversationTurn {
  role: string
  text: string
  /** A tool result's call id (`role: "tool"`). */
  toolCallId?: string
}

/**
 * The conversation in a request: `messages` (Chat Completions style, or Sluice's `parts`), else a
 * single `content` / `text` / `prompt` / `input` / `message` string as one user turn.
 *
 * @example
 * ```ts
 * conversation({ messages: [{ role: 'user', content: 'Hi' }] }) // [{ role: 'user', text: 'Hi' }]
 * ```
 */
export function conversation(body: Record<string, unknown>): ConversationTurn[] {
  const messages = field(body, 'messages')
  if (Array.isArray(messages)) {
    return messages.slice(-500).map((message) => {
      const role = field(message, 'role')
      const parts = field(message, 'parts')
      const turn: ConversationTurn = {
        role: typeof role === 'string' ? role : 'user',
        text: contentText(field(message, 'content') ?? parts),
      }
      const toolCallId = field(message, 'tool_call_id')
      if (typeof toolCallId === 'string') turn.toolCallId = toolCallId
      return turn
    })
  }
  for (const key of ['content', 'text', 'prompt', 'input', 'message']) {
    const value = field(body, key)
    if (typeof value === 'string') return [{ role: 'user', text: value }]
  }
  return []
}

/** The last user turn's text ('' when there is none). */
export function lastUserText(turns: readonly ConversationTurn[]): string {
  for (let index = turns.length - 1; index >= 0; index--) {
    if (turns[index]!.role === 'user') return turns[index]!.text
  }
  return ''
}

/** Whether the conversation ends with tool results (the client ran the tools and wants the answer). */
export function endsWithToolResults(turns: readonly ConversationTurn[]): boolean {
  return turns.at(-1)?.role === 'tool'
}
