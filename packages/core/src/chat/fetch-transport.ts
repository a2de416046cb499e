/**
 * The default transport: one `fetch` per request, the answer read as SSE, NDJSON or plain
 * text (the protocol's framing, or `framing`), or as one JSON body when the server sends
 * JSON instead of a stream (or `stream: false` asked for it).
 *
 * @example
 * ```ts
 * const chat = createChat({ api: '/api/chat', protocol: 'anthropic', transport: createFetchTransport({ credentials: 'include' }) })
 * ```
 * @module
 */
import { createParser } from 'eventsource-parser'
import type { Framing } from '../protocol.ts'
import { readChatEvents } from '../read-chat-events.ts'
import { framingMismatch, isJsonType, mediaType, quoteBody } from './content-type.ts'
import { readCappedBody } from './read-capped-body.ts'
import { readErrorResponse } from './read-error-response.ts'
import { defaultMaxBodyBytes, readJsonResponse } from './read-json-response.ts'
import {
  createStallTimer,
  defaultHttpFirstByteTimeout,
  defaultHttpIdleTimeout,
  type StallTimer,
} from './stall-timer.ts'
import { ChatRequestError, type Transport, type TransportRequest } from './transport.ts'

/** Options for {@link createFetchTransport}. */
export interface FetchTransportOptions {
  /** The fetch to use (a proxy, a test double). Read at request time, so mocks installed later apply. */
  fetch?: typeof fetch
  /** HTTP method; `POST` unless told. */
  method?: string
  credentials?: RequestCredentials
  /** Change the request before it is sent (signing, a resume URL). */
  prepareRequest?: (
    init: RequestInit & { url: string },
    request: TransportRequest,
  ) => RequestInit & { url: string }
  /**
   * Milliseconds from the request until the first byte of the answer's body; past it the answer
   * ends `interrupted` (code `first-byte-timeout`). Default 120 s; `0` turns it off. The chat's
   * own `firstByteTimeout` wins.
   */
  firstByteTimeout?: number
  /**
   * The longest silence between two chunks of the body, in milliseconds; past it the answer ends
   * `interrupted` with its text kept (code `idle-timeout`). Default 60 s; `0` turns it off. SSE
   * comments (`: ping`) count as chunks. The chat's own `idleTimeout` wins.
   */
  idleTimeout?: number
  /**
   * The largest JSON answer read, in bytes (default 16 MiB); a larger one fails with code
   * `body-too-large` without being held whole. The chat's own `maxBodyBytes` wins.
   */
  maxBodyBytes?: number
}

/**
 * Create a fetch transport.
 *
 * The request is `POST api` with the JSON body the controller built and
 * `Accept: text/event-stream, application/x-ndjson, application/json, text/plain`; on
 * `resume()` it carries `Last-Event-ID`. Aborting the request's signal aborts the fetch (the
 * server sees the connection close) and cancels the body reader.
 *
 * What the body must be: the protocol's framing (or `framing`), or one JSON answer. An HTML page
 * (an app's page or SPA fallback where the API should be) and a stream in the other framing
 * (NDJSON for an SSE protocol, SSE for an NDJSON one, unless `framing` was set) fail with a
 * message that says what came (code `unexpected-content-type`). A silent server ends the answer
 * after `firstByteTimeout` / `idleTimeout`; error and JSON bodies are read with a byte cap.
 *
 * @example
 * ```ts
 * createChat({ api: 'https://api.openai.com/v1/chat/completions', protocol: 'openai-chat', transport: createFetchTransport() })
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  return {
    async *request(request) {
      const { url, init } = buildRequest(options, request)
      // Aborted by the stall timer, so a timed-out request closes its connection.
      const controller = new AbortController()
      const onAbort = () => controller.abort(request.signal.reason)
      if (request.signal.aborted) onAbort()
      else request.signal.addEventListener('abort', onAbort, { once: true })
      // A signal of `prepareRequest`'s own still aborts the request.
      const own = init.signal
      if (own && own !== request.signal) {
        if (own.aborted) controller.abort(own.reason)
        else own.addEventListener('abort', () => controller.abort(own.reason), { once: true })
      }
      const timer = createStallTimer({
        firstByteTimeout: request.firstByteTimeout ?? options.firstByteTimeout ?? defaultHttpFirstByteTimeout,
        idleTimeout: request.idleTimeout ?? options.idleTimeout ?? defaultHttpIdleTimeout,
        url,
        transport: 'fetch',
        onlyWhileReading: true,
        onStall: (error) => controller.abort(error),
      })
      try {
        yield* answer(options, request, url, { ...init, signal: controller.signal }, timer)
      } finally {
        timer.dispose()
        request.signal.removeEventListener('abort', onAbort)
      }
    },
  }
}

function buildRequest(
  options: FetchTransportOptions,
  request: TransportRequest,
): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: request.stream
      ? 'text/event-stream, application/x-ndjson, application/json;q=0.9, text/plain;q=0.8'
      : 'application/json',
    ...request.headers,
  }
  if (request.lastEventId !== undefined) headers['last-event-id'] = request.lastEventId
  let init: RequestInit & { url: string } = {
    url: request.api,
    method: options.method ?? 'POST',
    headers,
    signal: request.signal,
  }
  if (init.method !== 'GET' && init.method !== 'HEAD') init.body = JSON.stringify(request.body)
  if (options.credentials !== undefined) init.credentials = options.credentials
  if (options.prepareRequest) init = options.prepareRequest(init, request)
  const { url, ...requestInit } = init
  return { url, init: requestInit }
}

/** Send the request and yield the answer's events (the body in its framing, or one JSON answer). */
async function* answer(
  options: FetchTransportOptions,
  request: TransportRequest,
  url: string,
  init: RequestInit,
  timer: StallTimer,
) {
  const fetchFunction = options.fetch ?? globalThis.fetch
  let response: Response
  try {
    response = await timer.race(fetchFunction(url, init))
  } catch (cause) {
    if (request.signal.aborted) throw cause
    if (timer.error) throw timer.error
    throw new ChatRequestError(
      'network',
      {
        message: `Could not reach ${url}: ${(cause as Error)?.message ?? String(cause)}. Check the URL and your connection.`,
      },
      { cause },
    )
  }
  if (!response.ok) {
    throw await readErrorResponse(response, request.protocol, { read: (reader) => timedRead(reader, timer) })
  }

  const contentType = response.headers.get('content-type')
  if (!request.stream || isJsonType(mediaType(contentType))) {
    yield* readJsonResponse(response, request, {
      maxBytes: request.maxBodyBytes ?? options.maxBodyBytes ?? defaultMaxBodyBytes,
      read: (reader) => timedRead(reader, timer),
      failure: () => timer.error,
    })
    return
  }
  if (response.body === null) {
    throw new ChatRequestError('interrupted', {
      message: `The response from ${url} had no body. The server must send the answer as a stream or as JSON.`,
    })
  }
  const framing: Framing = request.framing ?? request.protocol.framing
  if (framing !== 'frames') {
    const mismatch = framingMismatch(framing, contentType, request.framing !== undefined)
    if (mismatch) throw await mismatchError(response, request, url, mismatch, timer)
  }
  const readOptions: { framing: Framing; signal: AbortSignal; messageId: string; inlineTags?: boolean } = {
    framing,
    signal: request.signal,
    messageId: request.messageId,
  }
  if (request.inlineTags !== undefined) readOptions.inlineTags = request.inlineTags
  yield* readChatEvents(observedBody(response.body, request, framing, timer), request.protocol, readOptions)
}

/** One read of a whole body, raced against the stall timer; a chunk restarts its idle clock. */
async function timedRead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  timer: StallTimer,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const result = await timer.race(reader.read())
  if (!result.done) timer.progress()
  return result
}

/** The error for a body in the wrong format, quoting an HTML page's title. */
async function mismatchError(
  response: Response,
  request: TransportRequest,
  url: string,
  mismatch: NonNullable<ReturnType<typeof framingMismatch>>,
  timer: StallTimer,
): Promise<ChatRequestError> {
  const protocol = request.protocol.id
  let detail: string
  if (mismatch.html) {
    let title = ''
    try {
      title = quoteBody(
        (await readCappedBody(response, 16 * 1024, { read: (reader) => timedRead(reader, timer) })).text,
        'text/html',
        120,
      )
    } catch {
      // The page's text is only a courtesy.
    }
    detail =
      `${title === '' ? '' : ` ("${title}")`}. The URL probably points at the web app (a page or its SPA fallback), not the API: ` +
      'check the `api` option and that the server routes it to the chat endpoint.'
  } else {
    response.body?.cancel().catch(() => {})
    detail =
      `. The server sends the answer in another framing: if it really sends ${protocol} in it, set framing: '${mismatch.actual}'; ` +
      'otherwise point `api` at an endpoint that streams this protocol.'
  }
  return new ChatRequestError('http', {
    message: `Protocol "${protocol}" expected ${mismatch.expected} from ${url}, but received ${mismatch.received}${detail}`,
    status: response.status,
    code: 'unexpected-content-type',
  })
}

/**
 * The body's chunks, reported to the observer as they pass. The reader is cancelled when the
 * request aborts or the consumer stops early, so the connection is released at once. Each read
 * races the stall timer: a silent server ends the body with the timeout's error.
 */
async function* observedBody(
  body: ReadableStream<Uint8Array>,
  request: TransportRequest,
  framing: Framing,
  timer: StallTimer,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  const onAbort = () => {
    reader.cancel(request.signal.reason).catch(() => {})
  }
  request.signal.addEventListener('abort', onAbort, { once: true })
  // Track SSE ids for `resume()`. Only dispatched events count: an id whose event was cut off
  // mid-way must not be acknowledged, or resuming would skip that event.
  const textDecoder = framing === 'sse' ? new TextDecoder() : undefined
  const idParser =
    framing === 'sse'
      ? createParser({
          onEvent(event) {
            if (event.id !== undefined) request.observer.eventId(event.id)
          },
        })
      : undefined
  let done = false
  try {
    while (true) {
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await timer.race(reader.read())
      } catch (cause) {
        if (request.signal.aborted) throw cause
        if (timer.error) throw timer.error
        throw new ChatRequestError(
          'interrupted',
          {
            message: `The connection to ${request.api} was lost mid-answer: ${(cause as Error)?.message ?? String(cause)}.`,
          },
          { cause },
        )
      }
      if (result.done) {
        done = true
        return
      }
      timer.progress()
      request.observer.byte()
      if (idParser) idParser.feed(textDecoder!.decode(result.value, { stream: true }))
      yield result.value
    }
  } finally {
    request.signal.removeEventListener('abort', onAbort)
    if (!done) reader.cancel().catch(() => {})
  }
}
