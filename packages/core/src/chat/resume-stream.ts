/**
 * `resume`: answers that survive a dropped connection and a reload, against a server that
 * keeps streams (the `@sluice/server` relay, or anything with the same routes). Each answer
 * is sent with a `streamId`, which the message keeps in `metadata.streamId`; a connection that
 * drops mid-answer reconnects with `GET ?streamId=…` and `Last-Event-ID` and continues the same
 * decoder, so nothing is duplicated or lost; a chat created on a conversation whose last answer
 * was still streaming (a reload, a second tab) follows it from its first event; `stop()` sends
 * `DELETE ?streamId=…`, which stops the model on the server.
 *
 * Limits, as on the fetch transport (docs/limits-and-timeouts.md): every connection has the
 * chat's `firstByteTimeout` and `idleTimeout` (a silent server ends the answer `interrupted`,
 * its text kept, with a message naming the timeout; the stream stays on the server, so
 * `resume()` can continue it), error bodies are read with the 64 KiB cap, and an HTML page where
 * the stream should be fails with code `unexpected-content-type`.
 *
 * @module
 */
import { describeThrown } from '../chat-stream-error.ts'
import type { ChatEvent } from '../events.ts'
import { isTerminalEvent } from '../events.ts'
import { createFramer } from '../framing/create-framer.ts'
import { createTextChunkDecoder } from '../framing/create-text-chunk-decoder.ts'
import { StreamFramingError } from '../framing/stream-framing-error.ts'
import type { InlineTagTransform } from '../inline-tags.ts'
import type { Frame, Protocol } from '../protocol.ts'
import type { ChatStore } from '../store.ts'
import { framingMismatch, quoteBody } from './content-type.ts'
import { readCappedBody } from './read-capped-body.ts'
import { readErrorResponse } from './read-error-response.ts'
import { messageStreamId, type ResumeOptions, streamIdMetadataKey } from './resume-metadata.ts'
import { sleep } from './retry-policy.ts'
import {
  createStallTimer,
  defaultHttpFirstByteTimeout,
  defaultHttpIdleTimeout,
  type StallTimer,
} from './stall-timer.ts'
import { ChatRequestError, type Transport, type TransportRequest } from './transport.ts'

function newStreamId(): string {
  const cryptoObject = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  if (cryptoObject?.randomUUID) return cryptoObject.randomUUID()
  return `stream-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

function withQuery(api: string, streamId: string): string {
  return `${api}${api.includes('?') ? '&' : '?'}streamId=${encodeURIComponent(streamId)}`
}

/** How a stream that ended on the server (and gave this reader no terminal event) ends the message. */
function endingFor(status: string | null, messageId: string, streamId: string): ChatEvent | undefined {
  switch (status) {
    case 'cancelled':
      return { type: 'message-abort', messageId }
    case 'interrupted':
      return {
        type: 'message-interrupt',
        messageId,
        error: {
          message: `The server that ran stream "${streamId}" stopped before the answer was complete. Retry to ask again.`,
        },
      }
    case 'error':
      return {
        type: 'message-error',
        messageId,
        error: { message: `Stream "${streamId}" ended in an error on the server. Retry to ask again.` },
      }
    default:
      return undefined
  }
}

/**
 * One answer's decoder and inline-tag transform, shared by every connection of that answer (a
 * reconnection continues the same decoder). Nothing here throws: a decoder or inline-tag
 * exception, or an oversized frame, ends the message with a `message-error` that keeps what came.
 */
interface AnswerReader {
  /** The events of one SSE frame. */
  frame(frame: Frame): ChatEvent[]
  /** The framer overflowed: the frames it completed still count, then the message fails. */
  framingFailed(error: StreamFramingError): ChatEvent[]
  /** An event the transport made itself (an ending), passed through the inline tags. */
  own(event: ChatEvent): ChatEvent[]
  /** The server finished the stream without a terminal event: the decoder's end and held-back text. */
  end(): ChatEvent[]
  /** A terminal event went out; nothing more is read. */
  readonly ended: boolean
}

function createAnswerReader(
  protocol: Protocol,
  messageId: string,
  streamId: string,
  inlineTags: InlineTagTransform | undefined,
): AnswerReader {
  const decoder = protocol.createDecoder({ messageId })
  let ended = false

  function pass(events: readonly ChatEvent[], out: ChatEvent[]): void {
    for (const event of events) {
      for (const made of inlineTags ? inlineTags.transform(event) : [event]) {
        out.push(made)
        if (isTerminalEvent(made)) ended = true
      }
    }
  }

  function fail(out: ChatEvent[], code: string, message: string): ChatEvent[] {
    if (ended) return out
    const error: ChatEvent = { type: 'message-error', messageId, error: { code, message } }
    try {
      pass([error], out)
    } catch {
      out.push(error)
    }
    ended = true
    return out
  }

  function decoderFailed(out: ChatEvent[], cause: unknown): ChatEvent[] {
    return fail(
      out,
      'decoder-error',
      `The ${protocol.id} decoder failed on stream "${streamId}" (${describeThrown(cause)}). ` +
        `The answer up to that point is kept. Check that the server sends ${protocol.id} events as SSE; ` +
        'if it does, report this stream as a Sluice bug.',
    )
  }

  function frame(frame: Frame, out: ChatEvent[] = []): ChatEvent[] {
    if (ended) return out
    try {
      pass(decoder.decode(frame), out)
    } catch (cause) {
      return decoderFailed(out, cause)
    }
    return out
  }

  return {
    frame,
    framingFailed(error) {
      const out: ChatEvent[] = []
      for (const completed of error.frames) frame(completed, out)
      return fail(
        out,
        error.code,
        `Stream "${streamId}": ${error.message} The answer up to that point is kept.`,
      )
    },
    own(event) {
      const out: ChatEvent[] = []
      try {
        pass([event], out)
      } catch {
        out.push(event)
        ended = true
      }
      return out
    },
    end() {
      const out: ChatEvent[] = []
      try {
        pass(decoder.end(), out)
        if (inlineTags) for (const event of inlineTags.end()) out.push(event)
      } catch (cause) {
        return decoderFailed(out, cause)
      }
      return out
    },
    get ended() {
      return ended
    },
  }
}

/** What the resumable transport needs from the chat. */
export interface ResumableTransportOptions {
  resume: ResumeOptions
  /** The chat's store: a reload's replay starts the message over, and stream ids are read from it. */
  store: ChatStore
  fetch?: typeof fetch
}

/** One read of a body, raced against the connection's stall timer; a chunk restarts its idle clock. */
async function timedRead(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  timer: StallTimer,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const result = await timer.race(reader.read())
  if (!result.done) timer.progress()
  return result
}

/**
 * One connection's body as events; SSE ids are acknowledged after their events were handed on.
 * A read that fails ends the connection (the caller reconnects), except a timeout of `timer`,
 * which is thrown: the server is silent, not gone.
 */
async function* readConnection(
  body: ReadableStream<Uint8Array>,
  answer: AnswerReader,
  request: TransportRequest,
  acknowledge: (id: string) => void,
  timer: StallTimer,
): AsyncGenerator<ChatEvent, void, undefined> {
  const framer = createFramer('sse', request.protocol.readsRawLines ? { rawLines: true } : {})
  const text = createTextChunkDecoder()
  const reader = body.getReader()
  const cancel = () => {
    reader.cancel().catch(() => {})
  }
  request.signal.addEventListener('abort', cancel, { once: true })
  try {
    while (!answer.ended) {
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await timedRead(reader, timer)
      } catch {
        if (timer.error !== undefined) throw timer.error
        return
      }
      // An unfinished last event is dropped: its id was never acknowledged, so a resume resends it.
      if (result.done) return
      request.observer.byte()
      let frames: Frame[]
      try {
        frames = framer.push(text.decode(result.value))
      } catch (error) {
        if (!(error instanceof StreamFramingError)) throw error
        yield* answer.framingFailed(error)
        return
      }
      for (const frame of frames) {
        yield* answer.frame(frame)
        // Acknowledged after its events were handed on: resuming never skips an event.
        if (frame.id !== undefined) acknowledge(frame.id)
        if (answer.ended) return
      }
    }
  } finally {
    request.signal.removeEventListener('abort', cancel)
    if (!answer.ended) cancel()
  }
}

/** An HTML page where the SSE stream should be (an app's SPA fallback): what came, quoted by its title. */
async function htmlPageError(
  response: Response,
  request: TransportRequest,
  mismatch: NonNullable<ReturnType<typeof framingMismatch>>,
  timer: StallTimer,
): Promise<ChatRequestError> {
  let title = ''
  try {
    const page = await readCappedBody(response, 16 * 1024, { read: (reader) => timedRead(reader, timer) })
    title = quoteBody(page.text, 'text/html', 120)
  } catch {
    // The page's title is only a courtesy.
  }
  return new ChatRequestError('http', {
    message:
      `Protocol "${request.protocol.id}" expected ${mismatch.expected} from ${request.api} (resume), but received ${mismatch.received}` +
      `${title === '' ? '' : ` ("${title}")`}. The URL probably points at the web app (a page or its SPA fallback), not the stream server: ` +
      'check the `api` option and that the server routes it to the resumable chat endpoint.',
    status: response.status,
    code: 'unexpected-content-type',
  })
}

/**
 * A transport for servers that keep streams: POST `{…body, streamId}`, then, when the
 * connection drops, GET with `Last-Event-ID` on the same decoder, until a terminal event or the
 * server says the stream ended. Stop (the request's signal) sends DELETE. Always SSE.
 * `inlineTags` applies across reconnections as on one stream (a tag split by a drop is joined),
 * and a decoder exception or an oversized event ends the message with an error keeping its text.
 * Each connection has the chat's `firstByteTimeout` / `idleTimeout` (defaults 120 s / 60 s): a
 * silent server ends the answer `interrupted` (codes `first-byte-timeout`, `idle-timeout`), its
 * text kept; the stream is not deleted, so `resume()` continues it.
 *
 * @example
 * ```ts
 * const transport = createResumableTransport({ resume: {}, store: chat.store })
 * ```
 */
export function createResumableTransport(options: ResumableTransportOptions): Transport {
  const attempts = options.resume.attempts ?? 5
  const baseDelay = options.resume.delay ?? 250
  const fetchFunction = () => options.fetch ?? globalThis.fetch

  /** Wait before reconnection `failures`; false when the answer was stopped meanwhile. */
  async function backOff(failures: number, signal: AbortSignal): Promise<boolean> {
    await sleep(Math.min(baseDelay * 2 ** (failures - 1), 5000), signal).catch(() => {})
    return !signal.aborted
  }

  function open(
    request: TransportRequest,
    streamId: string,
    initial: boolean,
    lastEventId: string | undefined,
    signal: AbortSignal,
  ) {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...request.headers }
    if (initial) {
      headers['content-type'] = 'application/json'
      return fetchFunction()(request.api, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...request.body, streamId }),
        signal,
      })
    }
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
    return fetchFunction()(withQuery(request.api, streamId), {
      method: 'GET',
      headers,
      signal,
    })
  }

  function stopOnAbort(request: TransportRequest, streamId: string): () => void {
    const onStop = () => {
      // Fire and forget: the stop already happened here; the DELETE stops the model on the server.
      fetchFunction()(withQuery(request.api, streamId), { method: 'DELETE', headers: request.headers }).catch(
        () => {},
      )
    }
    request.signal.addEventListener('abort', onStop, { once: true })
    return () => request.signal.removeEventListener('abort', onStop)
  }

  async function* request(request: TransportRequest): AsyncGenerator<ChatEvent, void, undefined> {
    const message = options.store.getState().messages[request.messageId]
    const following = request.trigger === 'resume'
    const streamId = following ? messageStreamId(message) : newStreamId()
    if (streamId === undefined) {
      throw new ChatRequestError('http', {
        message: `resume: message "${request.messageId}" has no stream id (metadata.streamId), so the server cannot find its stream. Use retry() to ask again.`,
      })
    }
    // Told before anything is read, so a page saved from here on can follow the answer.
    if (!following)
      yield { type: 'metadata', messageId: request.messageId, metadata: { [streamIdMetadataKey]: streamId } }

    const inlineTags = request.inlineTags
      ? (await import('../inline-tags.ts')).createInlineTagTransform()
      : undefined
    const answer = createAnswerReader(request.protocol, request.messageId, streamId, inlineTags)
    const removeStop = stopOnAbort(request, streamId)
    let lastEventId = request.lastEventId
    const acknowledge = (id: string) => {
      lastEventId = id
      request.observer.eventId(id)
    }
    let failures = 0
    let timer: StallTimer | undefined
    let connectionAbort = () => {}
    try {
      for (let connection = 0; ; connection++) {
        const initial = connection === 0 && !following
        // Each connection has its own timeouts, and its own signal: a timeout closes the
        // connection (the server sees the client go) without the DELETE a stop sends, so the
        // stream stays on the server for `resume()`.
        timer?.dispose()
        request.signal.removeEventListener('abort', connectionAbort)
        const controller = new AbortController()
        connectionAbort = () => controller.abort(request.signal.reason)
        if (request.signal.aborted) return
        request.signal.addEventListener('abort', connectionAbort, { once: true })
        const connectionTimer = createStallTimer({
          firstByteTimeout: request.firstByteTimeout ?? defaultHttpFirstByteTimeout,
          idleTimeout: request.idleTimeout ?? defaultHttpIdleTimeout,
          url: request.api,
          transport: 'resume',
          onlyWhileReading: true,
          onStall: (error) => controller.abort(error),
        })
        timer = connectionTimer
        let response: Response
        try {
          response = await connectionTimer.race(
            open(request, streamId, initial, lastEventId, controller.signal),
          )
        } catch (cause) {
          if (request.signal.aborted) return
          if (connectionTimer.error !== undefined) throw connectionTimer.error
          if (initial) {
            throw new ChatRequestError(
              'network',
              {
                message: `Could not reach ${request.api}: ${(cause as Error)?.message ?? String(cause)}. Check the URL and your connection.`,
              },
              { cause },
            )
          }
          if (++failures > attempts) break
          if (!(await backOff(failures, request.signal))) return
          continue
        }
        if (!response.ok) {
          if (initial || response.status !== 404 || lastEventId === undefined)
            throw await readErrorResponse(response, request.protocol, {
              read: (reader) => timedRead(reader, connectionTimer),
            })
          response.body?.cancel().catch(() => {})
          // Gone mid-answer (expired): what arrived is kept, the rest cannot come.
          yield* answer.own({
            type: 'message-interrupt',
            messageId: request.messageId,
            error: {
              message: `Stream "${streamId}" is no longer on the server (expired). Retry to ask again.`,
            },
          })
          return
        }
        if (!initial && lastEventId === undefined) {
          // Following from the first event (a reload, a second tab): what the page had saved is
          // replaced by the replay, which carries all of it.
          options.store.getState().updateMessage(request.messageId, (current) => ({ ...current, parts: [] }))
        }
        const mismatch = framingMismatch('sse', response.headers.get('content-type'), false)
        if (mismatch?.html === true) throw await htmlPageError(response, request, mismatch, connectionTimer)
        const serverStatus = initial ? 'running' : response.headers.get('x-sluice-stream-status')
        if (response.body !== null)
          yield* readConnection(response.body, answer, request, acknowledge, connectionTimer)
        if (answer.ended || request.signal.aborted) return
        // The connection ended without the answer's end. A stream the server already finished
        // ends the message the way it ended there; a running one is reconnected to.
        const ending =
          serverStatus === 'running' || serverStatus === null
            ? undefined
            : endingFor(serverStatus, request.messageId, streamId)
        if (ending !== undefined) {
          yield* answer.own(ending)
          return
        }
        if (serverStatus === 'complete') {
          yield* answer.end()
          return
        }
        if (++failures > attempts) break
        if (!(await backOff(failures, request.signal))) return
      }
      yield* answer.own({
        type: 'message-interrupt',
        messageId: request.messageId,
        error: {
          message: `The connection to ${request.api} dropped ${attempts + 1} times while streaming "${streamId}". Call resume() to try again.`,
        },
      })
    } finally {
      timer?.dispose()
      request.signal.removeEventListener('abort', connectionAbort)
      removeStop()
    }
  }

  return { request }
}
