/**
 * Helpers for the chat controller tests: response bodies the test feeds chunk by chunk, and
 * OpenAI Chat Completions SSE frames (the wire the fetch tests speak).
 */
import type { Message } from '../../../packages/core/src/message.ts'
import { messageText } from '../../../packages/core/src/message.ts'

/** A response body the test writes to, with a record of whether the client cancelled it. */
export interface ControlledBody {
  stream: ReadableStream<Uint8Array>
  send(text: string): void
  close(): void
  /** Break the connection mid-stream. */
  fail(error?: Error): void
  /** Resolves when the client cancelled the body (stop, abort). */
  readonly cancelled: Promise<void>
  readonly isCancelled: boolean
}

export function controlledBody(): ControlledBody {
  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let resolveCancelled!: () => void
  let isCancelled = false
  const cancelled = new Promise<void>((resolve) => {
    resolveCancelled = resolve
  })
  const stream = new ReadableStream<Uint8Array>({
    start(start) {
      controller = start
    },
    cancel() {
      isCancelled = true
      resolveCancelled()
    },
  })
  return {
    stream,
    send(text) {
      if (!isCancelled) controller.enqueue(encoder.encode(text))
    },
    close() {
      if (!isCancelled) controller.close()
    },
    fail(error = new Error('socket hang up')) {
      if (!isCancelled) controller.error(error)
    },
    cancelled,
    get isCancelled() {
      return isCancelled
    },
  }
}

/** A body with all of `text` in it, in one chunk. */
export function bodyOf(text: string): ReadableStream<Uint8Array> {
  const body = controlledBody()
  body.send(text)
  body.close()
  return body.stream
}

/** One OpenAI Chat Completions chunk carrying a content delta, as an SSE event. */
export function openaiDelta(content: string, id?: string): string {
  const chunk = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  }
  return `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(chunk)}\n\n`
}

/** The finish chunk and `[DONE]`. */
export function openaiFinish(reason = 'stop'): string {
  const chunk = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: {}, finish_reason: reason }],
  }
  return `data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`
}

export const sseHeaders = { 'content-type': 'text/event-stream' }

/**
 * Wait until `check` passes (polling every few ms), or fail after `timeout` ms. The default is
 * generous: it bounds a wait for an event, not a speed (2 s ran out once on a loaded CI machine
 * where the unit suite took 2.5 times as long as usual).
 */
export async function waitFor(check: () => boolean, timeout = 10_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`waitFor timed out after ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** The messages of a store state, in order. */
export function messagesOf(state: {
  messageIds: readonly string[]
  messages: Readonly<Record<string, Message>>
}): Message[] {
  return state.messageIds.map((id) => state.messages[id]!)
}

/** The last message of a state. */
export function lastMessage(state: {
  messageIds: readonly string[]
  messages: Readonly<Record<string, Message>>
}): Message {
  const id = state.messageIds[state.messageIds.length - 1]
  if (id === undefined) throw new Error('no messages')
  return state.messages[id]!
}

export { messageText }

/** Sequential ids: `id-1`, `id-2`, … */
export function sequentialIds(prefix = 'id'): () => string {
  let count = 0
  return () => `${prefix}-${++count}`
}
