/**
 * The seam between the chat controller and the network. A transport turns one request into
 * the events of its answer; the controller owns everything else (the store, batching,
 * cancellation, retries, metrics). Sluice ships `fetch` (SSE, NDJSON, text or a JSON body),
 * `eventsource` (GET), `websocket` and `socketio`; write your own for anything else.
 *
 * @example
 * ```ts
 * import { createChat, type Transport } from '@sluice/core'
 * const echo: Transport = {
 *   async *request(request) {
 *     const last = request.messages.at(-1)
 *     request.observer.byte()
 *     yield { type: 'text-delta', messageId: request.messageId, id: 't', delta: `You said: ${last ? messageText(last) : ''}` }
 *     yield { type: 'message-end', messageId: request.messageId, finishReason: 'stop' }
 *   },
 * }
 * const chat = createChat({ api: 'local:echo', protocol: 'text', transport: echo })
 * ```
 * @module
 */
import type { ChatEvent } from '../events.ts'
import type { Message, MessageError } from '../message.ts'
import type { Framing, Protocol } from '../protocol.ts'

/** Why a request is made. */
export type RequestTrigger = 'send' | 'regenerate' | 'retry' | 'resume' | 'tool-results'

/** What a transport tells the controller while it reads (for metrics and resume). */
export interface TransportObserver {
  /** A network chunk or a socket message arrived. The first call ends the "before first byte" phase. */
  byte(): void
  /** An SSE `id:` was dispatched; `resume()` sends the last one as `Last-Event-ID`. */
  eventId(id: string): void
}

/** One request, as the controller hands it to a transport. */
export interface TransportRequest {
  /** The endpoint URL. */
  api: string
  trigger: RequestTrigger
  /** The assistant placeholder's id: the decoder's `messageId`. */
  messageId: string
  /** The conversation to send (without the placeholder). */
  messages: readonly Message[]
  /** The request body, built from the messages and the `body` option. */
  body: Record<string, unknown>
  headers: Record<string, string>
  protocol: Protocol
  framing?: Framing
  inlineTags?: boolean
  /** False when the server is asked for one JSON body instead of a stream. */
  stream: boolean
  /** Aborted by `stop()`, `dispose()` or a newer request; the transport must close the connection. */
  signal: AbortSignal
  /** Resume after this SSE id (`Last-Event-ID`). */
  lastEventId?: string
  /**
   * The chat's `firstByteTimeout` (milliseconds): how long the answer may take to send anything
   * at all. A transport honours it over its own option of the same name; past it, the answer
   * ends `interrupted` with a message that names the timeout.
   */
  firstByteTimeout?: number
  /**
   * The chat's `idleTimeout` (milliseconds): the longest silence between two pieces of the answer
   * once it began. Honoured over the transport's own option; past it, the answer ends
   * `interrupted`, its text kept, with a message that names the timeout.
   */
  idleTimeout?: number
  /**
   * The chat's `maxBodyBytes`: the largest whole body (a JSON answer) the transport reads.
   * Honoured over the transport's own option; past it the answer fails with a message naming
   * the cap, without the body ever being held whole. Streams are not capped in total (their
   * frames are, by the framer's `maxBufferSize`).
   */
  maxBodyBytes?: number
  observer: TransportObserver
}

/**
 * Carries requests to a server and yields the events of each answer.
 *
 * Events from single-answer transports may use any `messageId`: the controller maps them onto
 * the placeholder. Set {@link Transport.keepsMessageIds} when the wire's ids are meaningful
 * (one socket carrying many messages).
 */
export interface Transport {
  /**
   * Send one request and yield its events. Pull-based: the next event is read only when the
   * controller asks for it, so a slow consumer pushes back on the network. Throw a
   * {@link ChatRequestError} for failures; end without a terminal event and the controller
   * marks the message `interrupted`.
   */
  request(request: TransportRequest): AsyncIterable<ChatEvent>
  /** When true, events keep the message ids the wire gave them. */
  readonly keepsMessageIds?: boolean
  /**
   * Events the server sends that belong to no request (other messages on a shared socket).
   * The controller applies them as they come. Returns the unsubscribe function.
   */
  subscribe?(listener: (event: ChatEvent) => void): () => void
  /** Close connections the transport keeps open (a shared socket). */
  close?(): void
}

/** Why a request failed. */
export type ChatRequestErrorKind = 'http' | 'network' | 'interrupted'

/**
 * A request failed. `http`: the server answered with a non-2xx status (`error` holds the
 * provider's own message and the status). `network`: no response at all. `interrupted`: the
 * connection dropped after the answer began.
 *
 * @example
 * ```ts
 * throw new ChatRequestError('http', { message: 'Invalid API key', status: 401, code: 'invalid_api_key' })
 * ```
 */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError'
  readonly kind: ChatRequestErrorKind
  readonly error: MessageError
  /** The HTTP status (`error.status`), at the top level like on the `Error` the chat reports for a failed answer. */
  readonly status?: number
  /** The provider's error code (`error.code`), e.g. `invalid_api_key` or `rate_limit_exceeded`. */
  readonly code?: string
  /** Milliseconds the server asked to wait (`Retry-After`), when it did. */
  readonly retryAfter?: number

  constructor(
    kind: ChatRequestErrorKind,
    error: MessageError,
    options: { cause?: unknown; retryAfter?: number } = {},
  ) {
    super(error.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.error = error
    if (error.status !== undefined) this.status = error.status
    if (error.code !== undefined) this.code = error.code
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter
  }
}
