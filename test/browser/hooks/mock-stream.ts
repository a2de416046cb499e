/**
 * Test helpers for the hook tests: an MSW worker, response bodies the test feeds by hand, and
 * real provider frames from the encoders.
 */
import type { ChatEvent, Framing, ProtocolId } from '@sluice/core'
import { encoders, serializeFrames } from '@sluice/core/encoders'
import { setupWorker } from 'msw/browser'

/** One worker per test file; handlers are added per test with `worker.use`. */
export const worker = setupWorker()

export async function startWorker(): Promise<void> {
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'error',
    serviceWorker: { url: '/mockServiceWorker.js' },
  })
}

/** A response body the test writes to chunk by chunk, and can cut off like a dropped connection. */
export interface ControlledStream {
  body: ReadableStream<Uint8Array>
  push(text: string): void
  close(): void
  /** Drop the connection mid-stream (the reader sees a network error). */
  disconnect(): void
  /** True once the client cancelled the body (it aborted the request). */
  readonly cancelled: boolean
  /** Resolves when the client cancels the body. */
  whenCancelled: Promise<void>
}

export function controlledStream(): ControlledStream {
  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let cancelled = false
  let markCancelled!: () => void
  const whenCancelled = new Promise<void>((resolve) => {
    markCancelled = resolve
  })
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController
    },
    cancel() {
      cancelled = true
      markCancelled()
    },
  })
  return {
    body,
    push(text) {
      if (!cancelled && text !== '') controller.enqueue(encoder.encode(text))
    },
    close() {
      if (!cancelled) controller.close()
    },
    disconnect() {
      if (!cancelled) controller.error(new TypeError('network connection lost'))
    },
    get cancelled() {
      return cancelled
    },
    whenCancelled,
  }
}

/**
 * The wire text of a streamed text answer in a provider's format: `start` (sent with the first
 * token for OpenAI), one string per token, and `end` (finish chunk and `[DONE]`).
 */
export function providerAnswer(
  protocol: ProtocolId,
  tokens: readonly string[],
  framing: Framing = 'sse',
): { start: string; tokens: string[]; end: string } {
  const encoder = encoders[protocol].createEncoder({ model: 'gpt-4o' })
  const encode = (event: ChatEvent) => serializeFrames(encoder.encode(event), framing)
  const start = encode({ type: 'message-start', messageId: 'answer', role: 'assistant' })
  const encodedTokens = tokens.map((delta) =>
    encode({ type: 'text-delta', messageId: 'answer', id: 'text', delta }),
  )
  const end =
    encode({ type: 'text-end', messageId: 'answer', id: 'text' }) +
    encode({ type: 'message-end', messageId: 'answer', finishReason: 'stop' }) +
    serializeFrames(encoder.end(), framing)
  return { start, tokens: encodedTokens, end }
}

/** The whole wire text of events in a provider's format. */
export function providerBody(
  protocol: ProtocolId,
  events: readonly ChatEvent[],
  framing: Framing = 'sse',
): string {
  const encoder = encoders[protocol].createEncoder({ model: 'gpt-4o' })
  return (
    events.map((event) => serializeFrames(encoder.encode(event), framing)).join('') +
    serializeFrames(encoder.end(), framing)
  )
}

export const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

/** Resolves after `count` animation frames (the controller applies at most one batch per frame). */
export async function frames(count = 2): Promise<void> {
  for (let index = 0; index < count; index++) await new Promise((resolve) => requestAnimationFrame(resolve))
}

/** A fetch that records every request's signal, to prove the client aborted it. */
export function recordingFetch(): { fetch: typeof fetch; signals: AbortSignal[] } {
  const signals: AbortSignal[] = []
  return {
    signals,
    fetch: (input, init) => {
      if (init?.signal) signals.push(init.signal)
      return globalThis.fetch(input, init)
    },
  }
}
