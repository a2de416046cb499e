/**
 * The relay: a Fetch API handler that keeps the provider key on the server, forwards the
 * browser's conversation to the provider, and streams the answer back as SSE (unchanged, or
 * translated into another protocol) through a stream store, so it can be resumed, followed
 * and stopped from any instance.
 *
 * @module
 */
import {
  type ChatEvent,
  createFramer,
  createTextChunkDecoder,
  type Frame,
  type Message,
  type MessageError,
  type Protocol,
  type ProtocolCodec,
  type ProtocolDecoder,
  type ProtocolEncoder,
  type ProtocolId,
  protocols,
} from '@sluice/core'
import { aiSdkResponseHeaders, encoders, serializeFrame } from '@sluice/core/encoders'
import { createMemoryStreamStore } from './memory-stream-store.ts'
import { ChatRequestRejection, parseChatRequest, type RequestLimits } from './request-messages.ts'
import {
  type FinishedStreamStatus,
  isValidStreamId,
  type StreamEvent,
  type StreamEventInput,
  type StreamStore,
  StreamStoreError,
  type StreamWriter,
} from './stream-store.ts'
import { buildUpstreamRequest, type UpstreamRequest } from './upstream-request.ts'

/** Options for {@link createChatHandler}. */
export interface ChatHandlerOptions {
  /** The upstream wire: any protocol id a provider or agent backend speaks over HTTP. */
  provider: ProtocolId
  /** The provider's API root (`https://api.openai.com/v1`), or an agent backend's full URL. Defaults per provider. */
  baseURL?: string | undefined
  /** Sent as the provider's auth header (`Authorization: Bearer`, `x-api-key`, `x-goog-api-key`). */
  apiKey?: string | undefined
  model?: string | undefined
  /** What the browser reads. Default: the provider's protocol, passed through unchanged. */
  clientProtocol?: ProtocolId
  /** Where streams are kept for resume and stop. Default: a {@link createMemoryStreamStore} of its own. */
  store?: StreamStore
  /** Extra upstream body fields (tools, temperature, max_tokens…), or a function of the conversation. */
  body?: object | ((messages: readonly Message[]) => object)
  /** Extra upstream headers. */
  headers?: Record<string, string>
  /** Replace the upstream request entirely (a proxy, a signed URL); receives the one the relay built. */
  prepareRequest?: (request: UpstreamRequest, messages: readonly Message[]) => UpstreamRequest
  /** The fetch used upstream. Default `globalThis.fetch`. */
  fetch?: typeof fetch
  /**
   * `true`: the browser's POST connection closing (a reload, a closed tab) aborts the upstream
   * request, for deployments that keep no store to resume from. Default `false`: the answer
   * keeps generating into the store; only DELETE stops it.
   */
  stopOnDisconnect?: boolean
  /** Largest POST body, in bytes. Default 1 MiB. */
  maxRequestBytes?: number
  /** Largest upstream error body read, in bytes. Default 64 KiB. */
  maxErrorBytes?: number
  /** Cap on one unfinished upstream line or SSE event, in characters. Default 1 MiB. */
  maxFrameSize?: number
  /** Limits on the conversation a POST may carry. */
  limits?: Partial<RequestLimits>
  /** Ids for streams the client did not name. Default `crypto.randomUUID()`. */
  generateStreamId?: () => string
  /** Told about failures the client only sees as an error event (the store failed, the upstream broke). */
  onError?: (error: Error, context: { streamId: string }) => void
}

/** The relay: `(request: Request) => Promise<Response>`. */
export type ChatHandler = (request: Request) => Promise<Response>

const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // nginx and some proxies buffer responses unless told not to: that would hold every token.
  'x-accel-buffering': 'no',
}

/** Which stream ended how, read from the events the upstream produced. */
function statusOf(event: ChatEvent): FinishedStreamStatus | undefined {
  switch (event.type) {
    case 'message-end':
      return 'complete'
    case 'message-error':
      return 'error'
    case 'message-abort':
      return 'cancelled'
    case 'message-interrupt':
      return 'interrupted'
    default:
      return undefined
  }
}

function toStreamEvent(frame: Frame): StreamEventInput {
  // A raw frame (Gemini's bare JSON error body) has no SSE shape of its own: it travels as data.
  const event: StreamEventInput = { data: frame.data }
  if (frame.event !== undefined && frame.event !== '' && !frame.raw)
    event.event = frame.event.replace(/[\r\n]/g, '')
  return event
}

function serialize(event: StreamEvent): string {
  const frame: Frame = { id: String(event.index), data: event.data }
  if (event.event !== undefined) frame.event = event.event
  return serializeFrame(frame, 'sse')
}

/** Read at most `limit` bytes of a body; the rest is cancelled. */
async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (body === null) return { text: '', truncated: false }
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) return { text: text + decoder.decode(), truncated: false }
      size += value.byteLength
      if (size > limit) {
        await reader.cancel().catch(() => {})
        return { text, truncated: true }
      }
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    reader.releaseLock()
  }
}

/**
 * Create the relay.
 *
 * - `POST {messages, streamId?}`: the answer as SSE, every event with an `id:`, and the header
 *   `x-sluice-stream-id`. The provider's HTTP errors come back with their status, in the client
 *   protocol's error shape.
 * - `GET ?streamId=…` with `Last-Event-ID` (or `lastEventId=` in the query): the events after
 *   that id, then live; from the first event without it. `x-sluice-stream-status` says where
 *   the stream is. 404 when unknown. Never calls the provider.
 * - `DELETE ?streamId=…`: 202; the upstream request is aborted on whichever instance runs it.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createChatHandler, toNodeListener } from '@sluice/server'
 * const handler = createChatHandler({
 *   provider: 'openai-chat',
 *   baseURL: 'https://api.openai.com/v1',
 *   apiKey: process.env.OPENAI_API_KEY,
 *   model: 'gpt-4o-mini',
 *   clientProtocol: 'ai-sdk',
 * })
 * createServer(toNodeListener(handler)).listen(3000)
 * // Next.js: export const POST = handler; export const GET = handler; export const DELETE = handler
 * ```
 */
export function createChatHandler(options: ChatHandlerOptions): ChatHandler {
  const provider: Protocol | undefined = protocols[options.provider]
  if (provider === undefined || !Object.hasOwn(protocols, options.provider)) {
    throw new TypeError(
      `createChatHandler: unknown provider "${String(options.provider)}". Use a protocol id such as "openai-chat" or "anthropic".`,
    )
  }
  if (provider.framing === 'frames') {
    throw new TypeError(
      `createChatHandler: provider "${options.provider}" speaks over a WebSocket; the relay forwards HTTP streams only.`,
    )
  }
  const clientProtocol = options.clientProtocol ?? options.provider
  const clientCodec: ProtocolCodec | undefined = Object.hasOwn(encoders, clientProtocol)
    ? encoders[clientProtocol]
    : undefined
  if (clientCodec === undefined) {
    throw new TypeError(
      `createChatHandler: unknown clientProtocol "${String(clientProtocol)}". Use a protocol id such as "ai-sdk".`,
    )
  }
  const translating = clientProtocol !== options.provider
  const store = options.store ?? createMemoryStreamStore()
  const upstreamFetch = options.fetch
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024
  const maxErrorBytes = options.maxErrorBytes ?? 64 * 1024
  const maxFrameSize = options.maxFrameSize ?? 1024 * 1024
  const limits: RequestLimits = {
    maxMessages: 500,
    maxContentLength: 200_000,
    maxToolCalls: 64,
    ...options.limits,
  }
  const generateStreamId = options.generateStreamId ?? (() => crypto.randomUUID())
  const extraHeaders: Record<string, string> = clientProtocol === 'ai-sdk' ? { ...aiSdkResponseHeaders } : {}

  function errorResponse(
    status: number,
    message: string,
    code?: string,
    headers: Record<string, string> = {},
  ): Response {
    const body = clientCodec?.encodeError?.(status, message, code === undefined ? {} : { code }) ?? {
      error: { message, ...(code ? { code } : {}) },
    }
    return Response.json(body, { status, headers })
  }

  /** The client protocol's frames for an error the relay itself reports mid-stream. */
  function errorFrames(streamId: string, error: MessageError): Frame[] {
    const encoder = clientCodec!.createEncoder(options.model === undefined ? {} : { model: options.model })
    return encoder.encode({ type: 'message-error', messageId: streamId, error })
  }

  /**
   * The SSE body of one reader: the log from `after`, then live. A store failure mid-read ends
   * it with an error event in the client protocol (id: the next index), so the reader hears
   * what happened instead of a silent cut.
   */
  function sseBody(
    streamId: string,
    after: number | undefined,
    onCancel?: () => void,
  ): ReadableStream<Uint8Array> {
    const abort = new AbortController()
    const iterator = store
      .read(streamId, after === undefined ? { signal: abort.signal } : { after, signal: abort.signal })
      [Symbol.asyncIterator]()
    const textEncoder = new TextEncoder()
    let next = (after ?? -1) + 1
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const result = await iterator.next()
          if (result.done) {
            controller.close()
            return
          }
          next = result.value.index + 1
          controller.enqueue(textEncoder.encode(serialize(result.value)))
        } catch (cause) {
          const error = cause instanceof Error ? cause : new Error(String(cause))
          options.onError?.(error, { streamId })
          let text = ''
          for (const frame of errorFrames(streamId, {
            message: error.message,
            code: cause instanceof StreamStoreError ? `stream-${cause.code}` : 'relay-error',
          })) {
            text += serialize({ ...toStreamEvent(frame), index: next++ })
          }
          if (text !== '') controller.enqueue(textEncoder.encode(text))
          controller.close()
        }
      },
      async cancel() {
        abort.abort()
        onCancel?.()
        await iterator.return?.().catch(() => {})
      },
    })
  }

  /**
   * Read the upstream body into the store: frames passed through (same protocol), or decoded
   * and encoded into the client protocol. The decoder runs in both cases: it says how the
   * answer ended (the stream's status), and a decoder exception becomes an error event that
   * keeps what came before.
   */
  async function produce(
    streamId: string,
    writer: StreamWriter,
    response: Response,
    upstream: AbortController,
    stopped: () => boolean,
  ): Promise<void> {
    const decoder: ProtocolDecoder = provider!.createDecoder({ messageId: streamId })
    const encoder: ProtocolEncoder | undefined = translating
      ? clientCodec!.createEncoder(options.model === undefined ? {} : { model: options.model })
      : undefined
    const framer = createFramer(provider!.framing, {
      maxBufferSize: maxFrameSize,
      ...(provider!.readsRawLines ? { rawLines: true } : {}),
    })
    const text = createTextChunkDecoder()
    let status: FinishedStreamStatus | undefined
    let failedWith: StreamStoreError | undefined

    function decode(frame: Frame): ChatEvent[] {
      try {
        return decoder.decode(frame)
      } catch (cause) {
        return [
          {
            type: 'message-error',
            messageId: streamId,
            error: {
              message: `The ${options.provider} decoder failed on a frame from the provider: ${(cause as Error)?.message ?? String(cause)}. The answer so far is kept.`,
            },
          },
        ]
      }
    }
    function collect(events: ChatEvent[], batch: StreamEventInput[], passthrough: readonly Frame[]): void {
      for (const event of events) {
        status ??= statusOf(event)
        if (encoder) for (const frame of encoder.encode(event)) batch.push(toStreamEvent(frame))
      }
      if (!encoder) for (const frame of passthrough) batch.push(toStreamEvent(frame))
    }
    async function append(batch: StreamEventInput[]): Promise<boolean> {
      if (batch.length === 0) return true
      try {
        await writer.append(batch)
        return true
      } catch (cause) {
        failedWith =
          cause instanceof StreamStoreError ? cause : new StreamStoreError('unavailable', String(cause))
        upstream.abort(failedWith)
        return false
      }
    }

    const reader = response.body!.getReader()
    // Cancelling the reader settles a pending read at once; some fetch implementations (and
    // mocks) stop the body on abort without ever rejecting the read.
    const cancelOnAbort = () => {
      reader.cancel(upstream.signal.reason).catch(() => {})
    }
    upstream.signal.addEventListener('abort', cancelOnAbort, { once: true })
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (done && upstream.signal.aborted) throw upstream.signal.reason
        if (done) break
        const frames = framer.push(text.decode(value))
        if (frames.length === 0) continue
        const batch: StreamEventInput[] = []
        for (const frame of frames) collect(decode(frame), batch, [frame])
        if (!(await append(batch))) break
        // An error from a decoder ends the answer: what follows would be read by a broken state machine.
        if (status === 'error') break
      }
      if (failedWith === undefined && status !== 'error') {
        const batch: StreamEventInput[] = []
        const rest = [...framer.push(text.end()), ...framer.end()]
        for (const frame of rest) collect(decode(frame), batch, [frame])
        collect(decoder.end(), batch, [])
        if (encoder) for (const frame of encoder.end()) batch.push(toStreamEvent(frame))
        await append(batch)
      }
    } catch (cause) {
      if (failedWith === undefined && stopped()) {
        // Stop: the model is cut off; readers get the client protocol's abort where it has one.
        if (encoder) {
          const batch = [
            ...encoder.encode({ type: 'message-abort', messageId: streamId }),
            ...encoder.end(),
          ].map(toStreamEvent)
          await append(batch)
        }
        status = 'cancelled'
      } else if (failedWith === undefined) {
        // The provider's connection broke, or framing failed (an event past maxFrameSize).
        const message = `The ${options.provider} stream failed mid-answer: ${(cause as Error)?.message ?? String(cause)}. The answer so far is kept; retry to get the rest.`
        options.onError?.(new Error(message, { cause }), { streamId })
        const framing = (cause as Error)?.name === 'StreamFramingError'
        const events: ChatEvent[] = framing
          ? [{ type: 'message-error', messageId: streamId, error: { message } }]
          : [{ type: 'message-interrupt', messageId: streamId, error: { message } }]
        const batch: StreamEventInput[] = []
        collect(events, batch, [])
        if (!encoder && framing)
          for (const frame of errorFrames(streamId, { message })) batch.push(toStreamEvent(frame))
        await append(batch)
        status = framing ? 'error' : 'interrupted'
      }
    } finally {
      upstream.signal.removeEventListener('abort', cancelOnAbort)
      reader.cancel().catch(() => {})
    }
    if (failedWith !== undefined) {
      options.onError?.(failedWith, { streamId })
      await writer.finish(failedWith.code === 'too-large' ? 'error' : 'interrupted').catch(() => {})
      return
    }
    if (stopped()) status = 'cancelled'
    await writer.finish(status ?? 'interrupted').catch((error: unknown) => {
      options.onError?.(error instanceof Error ? error : new Error(String(error)), { streamId })
    })
  }

  async function post(request: Request): Promise<Response> {
    const declared = Number(request.headers.get('content-length') ?? '0')
    if (declared > maxRequestBytes)
      return errorResponse(
        413,
        `Sluice relay: the request body has ${declared} bytes; at most ${maxRequestBytes} are accepted (maxRequestBytes).`,
      )
    const { text, truncated } = await readCapped(request.body, maxRequestBytes)
    if (truncated)
      return errorResponse(
        413,
        `Sluice relay: the request body is larger than ${maxRequestBytes} bytes (maxRequestBytes).`,
      )
    let parsed: ReturnType<typeof parseChatRequest>
    try {
      parsed = parseChatRequest(JSON.parse(text) as unknown, limits)
    } catch (error) {
      if (error instanceof ChatRequestRejection) return errorResponse(error.status, error.message)
      return errorResponse(
        400,
        `Sluice relay: the request body is not JSON (${(error as Error).message}). Send {"messages":[…]} as application/json.`,
      )
    }
    const streamId = parsed.streamId ?? generateStreamId()
    let writer: StreamWriter | undefined
    try {
      writer = await store.create(streamId)
    } catch (error) {
      return errorResponse(503, (error as Error).message, 'stream-store-unavailable')
    }
    if (writer === undefined) {
      return errorResponse(
        409,
        `Sluice relay: stream "${streamId}" already exists. Resume it with GET ?streamId=${streamId}, or send a new streamId.`,
        'stream-exists',
      )
    }

    let upstreamRequest: UpstreamRequest
    try {
      upstreamRequest = buildUpstreamRequest(options, parsed.messages)
      if (options.prepareRequest) upstreamRequest = options.prepareRequest(upstreamRequest, parsed.messages)
    } catch (error) {
      await writer.discard()
      return errorResponse(500, (error as Error).message)
    }
    const upstream = new AbortController()
    let stopRequested = false
    const unsubscribeStop = writer.onStop(() => {
      stopRequested = true
      upstream.abort(new DOMException('The stream was stopped (DELETE).', 'AbortError'))
    })
    const unsubscribeFailure = writer.onFailure((error) => {
      options.onError?.(error, { streamId })
      upstream.abort(error)
    })

    let response: Response
    try {
      response = await (upstreamFetch ?? globalThis.fetch)(upstreamRequest.url, {
        method: 'POST',
        headers: upstreamRequest.headers,
        body: JSON.stringify(upstreamRequest.body),
        signal: upstream.signal,
      })
    } catch (cause) {
      unsubscribeStop()
      unsubscribeFailure()
      if (stopRequested) {
        // Stopped before the provider answered: an empty, finished stream, like any stopped one.
        await writer.finish('cancelled').catch(() => {})
        return new Response(sseBody(streamId, undefined), {
          status: 200,
          headers: {
            ...sseHeaders,
            ...extraHeaders,
            'x-sluice-stream-id': streamId,
            'x-sluice-stream-status': 'cancelled',
          },
        })
      }
      await writer.discard()
      return errorResponse(
        502,
        `Sluice relay: could not reach ${options.provider} at ${new URL(upstreamRequest.url).origin}: ${(cause as Error)?.message ?? String(cause)}.`,
        'upstream-unreachable',
      )
    }
    if (!response.ok || response.body === null) {
      unsubscribeStop()
      unsubscribeFailure()
      await writer.discard()
      const { text: errorText } = await readCapped(response.body, maxErrorBytes)
      let errorBody: unknown = errorText
      try {
        errorBody = JSON.parse(errorText) as unknown
      } catch {
        // Not JSON: the provider's text is the message.
      }
      const decoded = provider!.decodeError?.(errorBody, response.status)
      const message =
        decoded?.message ?? `${options.provider} answered ${response.status} ${response.statusText}`.trim()
      const headers: Record<string, string> = {}
      const retryAfter = response.headers.get('retry-after')
      if (retryAfter !== null && /^\d{1,6}$/.test(retryAfter)) headers['retry-after'] = retryAfter
      return errorResponse(response.ok ? 502 : response.status, message, decoded?.code, headers)
    }

    const activeWriter = writer
    void produce(streamId, activeWriter, response, upstream, () => stopRequested).finally(() => {
      unsubscribeStop()
      unsubscribeFailure()
    })
    const disconnect = () => {
      if (options.stopOnDisconnect && !stopRequested) {
        stopRequested = true
        upstream.abort(new DOMException('The client disconnected (stopOnDisconnect).', 'AbortError'))
      }
    }
    request.signal?.addEventListener('abort', disconnect, { once: true })
    return new Response(sseBody(streamId, undefined, disconnect), {
      status: 200,
      headers: { ...sseHeaders, ...extraHeaders, 'x-sluice-stream-id': streamId },
    })
  }

  function streamIdOf(url: URL): string | Response {
    const streamId = url.searchParams.get('streamId')
    if (!isValidStreamId(streamId)) {
      return errorResponse(
        400,
        'Sluice relay: pass ?streamId=<the x-sluice-stream-id of the POST> (1 to 128 characters of letters, digits and _ . : -).',
      )
    }
    return streamId
  }

  async function get(request: Request, url: URL): Promise<Response> {
    const streamId = streamIdOf(url)
    if (typeof streamId !== 'string') return streamId
    const lastEventId = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId')
    let after: number | undefined
    if (lastEventId !== null && lastEventId !== '') {
      if (!/^\d{1,15}$/.test(lastEventId)) {
        return errorResponse(
          400,
          `Sluice relay: Last-Event-ID "${lastEventId.slice(0, 40)}" is not an id this relay sent (ids are decimal numbers).`,
        )
      }
      after = Number(lastEventId)
    }
    let info: Awaited<ReturnType<StreamStore['info']>>
    try {
      info = await store.info(streamId)
    } catch (error) {
      return errorResponse(503, (error as Error).message, 'stream-store-unavailable')
    }
    if (info === undefined) {
      return errorResponse(
        404,
        `Sluice relay: stream "${streamId}" is unknown or expired. Send the message again.`,
        'stream-not-found',
      )
    }
    return new Response(sseBody(streamId, after), {
      status: 200,
      headers: {
        ...sseHeaders,
        ...extraHeaders,
        'x-sluice-stream-id': streamId,
        'x-sluice-stream-status': info.status,
      },
    })
  }

  async function remove(url: URL): Promise<Response> {
    const streamId = streamIdOf(url)
    if (typeof streamId !== 'string') return streamId
    let found: boolean
    try {
      found = await store.requestStop(streamId)
    } catch (error) {
      return errorResponse(503, (error as Error).message, 'stream-store-unavailable')
    }
    if (!found)
      return errorResponse(
        404,
        `Sluice relay: stream "${streamId}" is unknown or expired; nothing to stop.`,
        'stream-not-found',
      )
    return Response.json(
      { streamId, stopping: true },
      { status: 202, headers: { 'x-sluice-stream-id': streamId } },
    )
  }

  return async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url)
    switch (request.method) {
      case 'POST':
        return post(request)
      case 'GET':
        return get(request, url)
      case 'DELETE':
        return remove(url)
      default:
        return errorResponse(
          405,
          `Sluice relay: ${request.method} is not supported; use POST (send), GET (resume) or DELETE (stop).`,
          undefined,
          { allow: 'POST, GET, DELETE' },
        )
    }
  }
}
