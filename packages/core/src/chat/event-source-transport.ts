/**
 * A transport over `EventSource` (a GET request the browser keeps open). EventSource cannot
 * send a body or headers, so the request travels in the URL; the answer is read as SSE.
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: '/api/stream',
 *   protocol: 'stream-chunk',
 *   transport: createEventSourceTransport({ url: (request) => `/api/stream?q=${encodeURIComponent(lastText(request))}` }),
 * })
 * ```
 * @module
 */
import { readChatEvents } from '../read-chat-events.ts'
import { createPushQueue } from './push-queue.ts'
import { createStallTimer, defaultHttpFirstByteTimeout, defaultHttpIdleTimeout } from './stall-timer.ts'
import { ChatRequestError, type Transport, type TransportRequest } from './transport.ts'

/** The parts of the `EventSource` API this transport uses (the DOM's, or a polyfill's). */
export interface EventSourceLike {
  readonly readyState: number
  close(): void
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void
}

/** An `EventSource` constructor. */
export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike

/** Options for {@link createEventSourceTransport}. */
export interface EventSourceTransportOptions {
  /** The constructor; `globalThis.EventSource` at request time unless given. */
  EventSource?: EventSourceConstructor
  /**
   * The URL to open for a request. By default `api` with the request body as JSON in the
   * `body` query parameter (`?body={"messages":[…]}`).
   */
  url?: (request: TransportRequest) => string
  withCredentials?: boolean
  /** Named SSE events to listen for besides unnamed (`message`) ones, e.g. Anthropic's event names. */
  eventNames?: readonly string[]
  /** The most messages held while the page is busy; default 10,000. */
  maxQueueSize?: number
  /**
   * Milliseconds from opening the source until its first message; past it the answer ends
   * `interrupted` (code `first-byte-timeout`). Default 120 s; `0` turns it off. The chat's own
   * `firstByteTimeout` wins.
   */
  firstByteTimeout?: number
  /**
   * The longest silence between two messages, in milliseconds; past it the answer ends
   * `interrupted` with its text kept (code `idle-timeout`). Default 60 s; `0` turns it off.
   * `EventSource` hides SSE comments, so a server's `: ping` keep-alives do not count: only
   * messages do. The chat's own `idleTimeout` wins.
   */
  idleTimeout?: number
}

function defaultUrl(request: TransportRequest): string {
  const base = typeof location === 'undefined' ? undefined : location.href
  const url = new URL(request.api, base)
  url.searchParams.set('body', JSON.stringify(request.body))
  return url.toString()
}

/**
 * Create an EventSource transport.
 *
 * The source is closed on the answer's terminal event, on `stop()` and on any error, so the
 * browser never reconnects by itself and re-requests a half-streamed answer; `resume()` is
 * the explicit way back.
 *
 * @example
 * ```ts
 * createChat({ api: '/api/stream', protocol: 'ai-sdk', transport: createEventSourceTransport() })
 * ```
 */
export function createEventSourceTransport(options: EventSourceTransportOptions = {}): Transport {
  return {
    async *request(request) {
      const EventSourceClass =
        options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource
      if (EventSourceClass === undefined) {
        throw new ChatRequestError('network', {
          message:
            'There is no EventSource in this environment. Pass one as createEventSourceTransport({ EventSource }) or use the fetch transport.',
        })
      }
      const url = (options.url ?? defaultUrl)(request)
      const source = new EventSourceClass(url, { withCredentials: options.withCredentials ?? false })
      let opened = false
      const queue = createPushQueue<string>(options.maxQueueSize ?? 10_000, () => source.close())
      const timer = createStallTimer({
        firstByteTimeout: request.firstByteTimeout ?? options.firstByteTimeout ?? defaultHttpFirstByteTimeout,
        idleTimeout: request.idleTimeout ?? options.idleTimeout ?? defaultHttpIdleTimeout,
        url,
        transport: 'EventSource',
        onStall(error) {
          source.close()
          queue.fail(error)
        },
      })
      const onMessage = (event: { data?: unknown; lastEventId?: string }) => {
        if (typeof event.data !== 'string') return
        opened = true
        timer.progress()
        request.observer.byte()
        if (event.lastEventId) request.observer.eventId(event.lastEventId)
        queue.push(event.data)
      }
      source.addEventListener('message', onMessage)
      for (const name of options.eventNames ?? []) source.addEventListener(name, onMessage)
      source.addEventListener('error', () => {
        timer.dispose()
        source.close()
        if (opened) {
          // The server closed the stream (or it dropped): whatever came is all there is. The
          // decoder's `end()` says whether that was the whole answer.
          queue.end()
        } else {
          queue.fail(
            new ChatRequestError('network', {
              message: `Could not open the event stream at ${url}. Check the URL, and that the server answers with Content-Type: text/event-stream.`,
            }),
          )
        }
      })
      const onAbort = () => {
        timer.dispose()
        source.close()
        queue.end()
      }
      request.signal.addEventListener('abort', onAbort, { once: true })
      try {
        const readOptions: {
          framing: 'frames'
          signal: AbortSignal
          messageId: string
          inlineTags?: boolean
        } = {
          framing: 'frames',
          signal: request.signal,
          messageId: request.messageId,
        }
        if (request.inlineTags !== undefined) readOptions.inlineTags = request.inlineTags
        // Wait for the first message outside the decoder: a source that never opens (a wrong
        // URL, an HTML page, the first-byte timeout) fails the request with its own error, not
        // as an interrupted stream.
        const messages = queue[Symbol.asyncIterator]()
        const first = await messages.next()
        if (first.done) return
        yield* readChatEvents(withFirst(first.value, messages), request.protocol, readOptions)
      } finally {
        timer.dispose()
        request.signal.removeEventListener('abort', onAbort)
        source.close()
      }
    },
  }
}

/** `first`, then the rest of `rest`; returning early returns `rest` too (closing the source). */
async function* withFirst(first: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield first
    while (true) {
      const next = await rest.next()
      if (next.done) return
      yield next.value
    }
  } finally {
    await rest.return?.()
  }
}
