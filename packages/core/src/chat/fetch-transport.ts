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
import type { ChatEvent } from '../events.ts'
import type { Framing } from '../protocol.ts'
import { readChatEvents } from '../read-chat-events.ts'
import { readErrorResponse } from './read-error-response.ts'
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
}

/** `application/json` or any `+json` type, but not the streaming JSON types (NDJSON, JSON lines). */
function isJsonBody(contentType: string | null): boolean {
  if (contentType === null) return false
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || (type.endsWith('+json') && !type.includes('ndjson'))
}

/**
 * Create a fetch transport.
 *
 * The request is `POST api` with the JSON body the controller built and
 * `Accept: text/event-stream, application/x-ndjson, application/json, text/plain`; on
 * `resume()` it carries `Last-Event-ID`. Aborting the request's signal aborts the fetch (the
 * server sees the connection close) and cancels the body reader.
 *
 * @example
 * ```ts
 * createChat({ api: 'https://api.openai.com/v1/chat/completions', protocol: 'openai-chat', transport: createFetchTransport() })
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  return {
    async *request(request) {
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

      const fetchFunction = options.fetch ?? globalThis.fetch
      let response: Response
      try {
        response = await fetchFunction(url, requestInit)
      } catch (cause) {
        if (request.signal.aborted) throw cause
        throw new ChatRequestError(
          'network',
          {
            message: `Could not reach ${url}: ${(cause as Error)?.message ?? String(cause)}. Check the URL and your connection.`,
          },
          { cause },
        )
      }
      if (!response.ok) throw await readErrorResponse(response, request.protocol)

      if (!request.stream || isJsonBody(response.headers.get('content-type'))) {
        yield* readJsonResponse(response, request)
        return
      }
      if (response.body === null) {
        throw new ChatRequestError('interrupted', {
          message: `The response from ${url} had no body. The server must send the answer as a stream or as JSON.`,
        })
      }
      const framing: Framing = request.framing ?? request.protocol.framing
      const readOptions: { framing: Framing; signal: AbortSignal; messageId: string; inlineTags?: boolean } =
        {
          framing,
          signal: request.signal,
          messageId: request.messageId,
        }
      if (request.inlineTags !== undefined) readOptions.inlineTags = request.inlineTags
      yield* readChatEvents(observedBody(response.body, request, framing), request.protocol, readOptions)
    },
  }
}

/**
 * The body's chunks, reported to the observer as they pass. The reader is cancelled when the
 * request aborts or the consumer stops early, so the connection is released at once.
 */
async function* observedBody(
  body: ReadableStream<Uint8Array>,
  request: TransportRequest,
  framing: Framing,
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
        result = await reader.read()
      } catch (cause) {
        if (request.signal.aborted) throw cause
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
      request.observer.byte()
      if (idParser) idParser.feed(textDecoder!.decode(result.value, { stream: true }))
      yield result.value
    }
  } finally {
    request.signal.removeEventListener('abort', onAbort)
    if (!done) reader.cancel().catch(() => {})
  }
}

async function* readJsonResponse(response: Response, request: TransportRequest): AsyncGenerator<ChatEvent> {
  let text: string
  try {
    text = await response.text()
  } catch (cause) {
    if (request.signal.aborted) throw cause
    throw new ChatRequestError(
      'interrupted',
      { message: `The connection to ${request.api} was lost while reading the answer.` },
      { cause },
    )
  }
  request.observer.byte()
  const decodeResponse = request.protocol.decodeResponse
  if (decodeResponse === undefined) {
    throw new ChatRequestError('http', {
      message: `The server answered with JSON, but protocol "${request.protocol.id}" cannot read a non-streaming response. Ask the server for a stream.`,
      status: response.status,
    })
  }
  let body: unknown
  try {
    body = JSON.parse(text) as unknown
  } catch (cause) {
    throw new ChatRequestError(
      'http',
      {
        message: `The server's JSON answer is not valid JSON: ${(cause as Error).message}.`,
        status: response.status,
      },
      { cause },
    )
  }
  yield* decodeResponse.call(request.protocol, body, { messageId: request.messageId })
}
