/**
 * `resume`: answers that survive a dropped connection and a reload, against a server that
 * keeps streams (the `@sluice/server` relay, or anything with the same routes). Each answer
 * is sent with a `streamId`, which the message keeps in `metadata.streamId`; a connection that
 * drops mid-answer reconnects with `GET ?streamId=…` and `Last-Event-ID` and continues the same
 * decoder, so nothing is duplicated or lost; a chat created on a conversation whose last answer
 * was still streaming (a reload, a second tab) follows it from its first event; `stop()` sends
 * `DELETE ?streamId=…`, which stops the model on the server.
 *
 * @module
 */
import type { ChatEvent } from '../events.ts'
import { isTerminalEvent } from '../events.ts'
import { createFramer } from '../framing/create-framer.ts'
import { createTextChunkDecoder } from '../framing/create-text-chunk-decoder.ts'
import type { ProtocolDecoder } from '../protocol.ts'
import type { ChatStore } from '../store.ts'
import { readErrorResponse } from './read-error-response.ts'
import { messageStreamId, type ResumeOptions, streamIdMetadataKey } from './resume-metadata.ts'
import { sleep } from './retry-policy.ts'
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

/** What the resumable transport needs from the chat. */
export interface ResumableTransportOptions {
  resume: ResumeOptions
  /** The chat's store: a reload's replay starts the message over, and stream ids are read from it. */
  store: ChatStore
  fetch?: typeof fetch
}

/**
 * A transport for servers that keep streams: POST `{…body, streamId}`, then, when the
 * connection drops, GET with `Last-Event-ID` on the same decoder, until a terminal event or the
 * server says the stream ended. Stop (the request's signal) sends DELETE. Always SSE.
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

    let stopSent = false
    const onStop = () => {
      if (stopSent) return
      stopSent = true
      // Fire and forget: the stop already happened here; the DELETE stops the model on the server.
      fetchFunction()(withQuery(request.api, streamId), { method: 'DELETE', headers: request.headers }).catch(
        () => {},
      )
    }
    request.signal.addEventListener('abort', onStop, { once: true })

    const decoder: ProtocolDecoder = request.protocol.createDecoder({ messageId: request.messageId })
    let lastEventId = request.lastEventId
    let failures = 0
    try {
      for (let connection = 0; ; connection++) {
        const initial = connection === 0 && !following
        const headers: Record<string, string> = { accept: 'text/event-stream', ...request.headers }
        if (initial) headers['content-type'] = 'application/json'
        if (!initial && lastEventId !== undefined) headers['last-event-id'] = lastEventId
        let response: Response
        try {
          response = await fetchFunction()(
            initial ? request.api : withQuery(request.api, streamId),
            initial
              ? {
                  method: 'POST',
                  headers,
                  body: JSON.stringify({ ...request.body, streamId }),
                  signal: request.signal,
                }
              : { method: 'GET', headers, signal: request.signal },
          )
        } catch (cause) {
          if (request.signal.aborted) return
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
          await sleep(Math.min(baseDelay * 2 ** (failures - 1), 5000), request.signal).catch(() => {})
          if (request.signal.aborted) return
          continue
        }
        if (!response.ok) {
          if (initial || response.status !== 404 || lastEventId === undefined)
            throw await readErrorResponse(response, request.protocol)
          // Gone mid-answer (expired): what arrived is kept, the rest cannot come.
          yield {
            type: 'message-interrupt',
            messageId: request.messageId,
            error: {
              message: `Stream "${streamId}" is no longer on the server (expired). Retry to ask again.`,
            },
          }
          return
        }
        if (!initial && lastEventId === undefined) {
          // Following from the first event (a reload, a second tab): what the page had saved is
          // replaced by the replay, which carries all of it.
          options.store.getState().updateMessage(request.messageId, (current) => ({ ...current, parts: [] }))
        }
        const serverStatus = initial ? 'running' : response.headers.get('x-sluice-stream-status')
        let ended = false
        if (response.body !== null) {
          const framer = createFramer('sse')
          const text = createTextChunkDecoder()
          const reader = response.body.getReader()
          const cancel = () => {
            reader.cancel().catch(() => {})
          }
          request.signal.addEventListener('abort', cancel, { once: true })
          try {
            while (!ended) {
              let result: ReadableStreamReadResult<Uint8Array>
              try {
                result = await reader.read()
              } catch {
                break
              }
              if (result.done) break
              request.observer.byte()
              for (const frame of framer.push(text.decode(result.value))) {
                for (const event of decoder.decode(frame)) {
                  yield event
                  if (isTerminalEvent(event)) ended = true
                }
                // Acknowledged after its events were handed on: resuming never skips an event.
                if (frame.id !== undefined) {
                  lastEventId = frame.id
                  request.observer.eventId(frame.id)
                }
                if (ended) break
              }
            }
          } finally {
            request.signal.removeEventListener('abort', cancel)
            if (!ended) cancel()
          }
        }
        if (ended || request.signal.aborted) return
        // The connection ended without the answer's end. A stream the server already finished
        // ends the message the way it ended there; a running one is reconnected to.
        const ending =
          serverStatus === 'running' || serverStatus === null
            ? undefined
            : endingFor(serverStatus, request.messageId, streamId)
        if (ending !== undefined) {
          yield ending
          return
        }
        if (serverStatus === 'complete') {
          yield* decoder.end()
          return
        }
        if (++failures > attempts) break
        await sleep(Math.min(baseDelay * 2 ** (failures - 1), 5000), request.signal).catch(() => {})
        if (request.signal.aborted) return
      }
      yield {
        type: 'message-interrupt',
        messageId: request.messageId,
        error: {
          message: `The connection to ${request.api} dropped ${attempts + 1} times while streaming "${streamId}". Call resume() to try again.`,
        },
      }
    } finally {
      request.signal.removeEventListener('abort', onStop)
    }
  }

  return { request }
}
