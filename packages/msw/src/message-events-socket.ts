/**
 * The `message-events` mock over a WebSocket (msw `ws.link`), honouring cancel frames.
 *
 * @module
 */
import type { EncoderOptions } from '@sluice/core'
import { ws } from 'msw'
import { sleep } from './body-stream.ts'
import { attachRecorder, type CallRecorder, createCallLog, type RecordedCall } from './call-recorder.ts'
import { compileScenario } from './compile-scenario.ts'
import type { MockSource } from './create-mock-handler.ts'
import { defaultErrorMessage } from './create-mock-handler.ts'
import { isReplaySource, replayFrames } from './replay.ts'
import { planStream } from './stream-plan.ts'
import { encodeWireFrames } from './wire-frames.ts'

/** The msw WebSocket handler type, plus the recorder. */
export type MockWebSocketHandler = ReturnType<ReturnType<typeof ws.link>['addEventListener']> & CallRecorder

/** Options of {@link messageEventsSocket}. */
export interface MessageEventsSocketOptions {
  /** Passed to the encoder: `{ envelope: 'flat' | 'event-payload' | 'type-data', numberFrames, authorName }`. */
  encoderOptions?: EncoderOptions & Record<string, unknown>
  /**
   * Broadcast the user's message back before answering, as seed 004's channel does (every
   * message is broadcast to the channel): `message_new {id: "<message id>-user", content,
   * author_name: "You", author_type: "user", metadata: {streaming: false}}`. Default false.
   */
  echoUserMessage?: boolean
}

/** The text of the last user message in a request body (`{messages: [{role, content}]}`). */
function lastUserText(body: Record<string, unknown>): string | undefined {
  const messages = Array.isArray(body.messages) ? body.messages : []
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = record(messages[index])
    if (message.role === 'user' && typeof message.content === 'string') return message.content
  }
  return undefined
}

/** Frame types that ask the server to stop a message (`encodeCancelFrame` sends `stream_cancel`). */
const cancelTypes = new Set(['stream_cancel', 'cancel', 'message_cancel', 'stop'])

/** A response in flight on one socket. */
interface ActiveStream {
  messageId: string
  call: RecordedCall
  stop: AbortController
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

function parseMessage(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}

/**
 * A WebSocket mock at `url` (msw `ws.link`) speaking `message-events` as seed 004's backend
 * does. Every message the client sends starts a response: the scenario streamed as
 * `message_new` (placeholder, `metadata.streaming: true`) / `message_stream` (`message_id`,
 * `chunk`, `is_final`) / `message_update` (the final content) frames, for the message id the
 * client named (`message_id`) or `sluice-<n>`. A cancel frame
 * (`{"type":"stream_cancel","message_id":…}`) stops that response and answers
 * `stream_cancelled {message_id}`; the call is recorded with `cancelled: true`. Closing the
 * socket mid-answer records `aborted: true`. Faults: `disconnectAfter` closes the socket (1011),
 * `stall` stops sending, `errorMidstream` sends `message_error`, `httpError` closes the socket
 * with 1011 and the error message as the reason.
 *
 * @example
 * ```ts
 * const socket = messageEventsSocket('wss://chat.test/socket', scenario().text('Hello!').tokensPerSecond(20))
 * server.use(socket)
 * // … the app sends, then stops …
 * expect(socket.lastCall?.cancelled).toBe(true)
 * ```
 */
export function messageEventsSocket(
  url: string,
  source: MockSource,
  options: MessageEventsSocketOptions = {},
): MockWebSocketHandler {
  const log = createCallLog()
  const link = ws.link(url)
  const handler = link.addEventListener('connection', ({ client }) => {
    const active = new Map<string, ActiveStream>()

    async function respond(body: unknown): Promise<void> {
      const call = log.record({ url: client.url.href, method: 'MESSAGE', headers: {}, body })
      call.status = 101
      const fields = record(body)
      const named = fields.message_id ?? fields.messageId
      const messageId = typeof named === 'string' && named !== '' ? named : `sluice-${log.calls.length}`
      const stream: ActiveStream = { messageId, call, stop: new AbortController() }
      active.set(messageId, stream)
      const userText = options.echoUserMessage ? lastUserText(fields) : undefined
      if (userText !== undefined) {
        const echoId = `${messageId}-user`
        const echo = encodeWireFrames(
          'message-events',
          [
            { type: 'message-start', messageId: echoId, role: 'user' },
            { type: 'text-delta', messageId: echoId, id: 'text-0', delta: userText },
            { type: 'message-end', messageId: echoId },
          ],
          'frames',
          options.encoderOptions,
        )
        for (const frame of echo) client.send(frame.text)
      }
      let plan: ReturnType<typeof planStream>
      if (isReplaySource(source)) {
        const frames = replayFrames(source).map((frame) => ({
          ...frame,
          text: frame.text.replace(/\r?\n$/, ''),
        }))
        plan = planStream(frames, source.timing, source.faults, 'frames', {
          chunk: false,
          ...(source.delays === undefined ? {} : { delays: source.delays }),
        })
      } else {
        const definition = source.definition
        if (definition.faults.httpError !== undefined) {
          const { status, message } = definition.faults.httpError
          await sleep(definition.timing.firstByte ?? 0, stream.stop.signal)
          call.completed = true
          client.close(1011, message ?? defaultErrorMessage(status))
          return
        }
        const events = compileScenario(definition, { steps: 'all' }, messageId)
        const frames = encodeWireFrames('message-events', events, 'frames', {
          ...(definition.model === undefined ? {} : { model: definition.model }),
          ...options.encoderOptions,
        })
        plan = planStream(frames, definition.timing, definition.faults, 'frames', { chunk: false })
      }
      for (const chunk of plan.chunks) {
        await sleep(chunk.delay, stream.stop.signal)
        if (stream.stop.signal.aborted) return
        client.send(chunk.text)
      }
      if (plan.ending === 'stall') return
      active.delete(messageId)
      if (plan.ending === 'end') call.completed = true
      else client.close(1011, 'The mock dropped the connection (disconnectAfter).')
    }

    function cancel(body: Record<string, unknown>): void {
      const named = body.message_id ?? body.messageId ?? body.id
      const streams = typeof named === 'string' ? [active.get(named)] : [...active.values()]
      for (const stream of streams) {
        if (stream === undefined) continue
        stream.stop.abort()
        stream.call.cancelled = true
        active.delete(stream.messageId)
        const [frame] = encodeWireFrames(
          'message-events',
          [{ type: 'message-abort', messageId: stream.messageId }],
          'frames',
          options.encoderOptions,
        )
        if (frame !== undefined) client.send(frame.text)
      }
    }

    client.addEventListener('message', (event) => {
      const body = parseMessage(event.data)
      const fields = record(body)
      const type = fields.type ?? fields.event
      if (typeof type === 'string' && cancelTypes.has(type))
        cancel(record(fields.data ?? fields.payload ?? fields))
      else void respond(body)
    })
    client.addEventListener('close', () => {
      for (const stream of active.values()) {
        stream.stop.abort()
        stream.call.aborted = true
      }
      active.clear()
    })
  })
  return attachRecorder(handler, log)
}
