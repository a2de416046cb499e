/**
 * The `message-events` protocol: one WebSocket (or SSE stream) carrying many chat messages as
 * `message_new` / `message_stream` / `message_update` events keyed by message id.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageError, MessageRole } from '../../message.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  errorFromBackend,
  errorFromBackendResponse,
  type FrameTarget,
  finishReasonFromBackend,
  streamInterrupted,
  usageFromBackend,
} from '../shared/index.ts'

/** The message id used when a frame names none and the caller gave none. */
export const messageEventsDefaultMessageId = 'message-events-message'
/** The one text block of a message on this wire. */
const textId = 'text-0'
/**
 * How many finished message ids the decoder remembers (to ignore their redelivered frames).
 * Bounded so a socket that lives for days does not grow without limit; the reducer's own
 * sequence check still protects messages forgotten here.
 */
const rememberedFinishedMessages = 1024

/** The events this wire knows, by normalized name. */
type WireEvent = 'new' | 'stream' | 'update' | 'error' | 'cancelled'

const wireEventByName = new Map<string, WireEvent>([
  ['message_new', 'new'],
  ['message_stream', 'stream'],
  ['message_delta', 'stream'],
  ['message_update', 'update'],
  ['message_error', 'error'],
  ['message_cancelled', 'cancelled'],
  ['message_canceled', 'cancelled'],
  ['stream_cancelled', 'cancelled'],
  ['stream_canceled', 'cancelled'],
])

const finalStatuses = new Set(['complete', 'completed', 'done', 'finished', 'success', 'succeeded'])
const errorStatuses = new Set(['error', 'failed', 'failure'])
const cancelledStatuses = new Set(['cancelled', 'canceled', 'aborted', 'stopped'])
const roles = new Set<MessageRole>(['user', 'assistant', 'system', 'tool'])

/** What the decoder knows about one message on the socket. */
interface MessageState {
  finished: boolean
  textStarted: boolean
  /** The highest `seq` applied; frames at or below it are redeliveries (or late) and are dropped. */
  lastSequence: number | undefined
  /**
   * The text streamed so far, while a `message_update` may still replace it: seed 004 sends the
   * final version after the final chunk, and only a version that differs needs to be applied.
   */
  text: string
  /** Ended `complete` by a chunk with `is_final: true`; its `message_update` is still to come. */
  awaitingUpdate: boolean
  /** Tool calls named in a final chunk's `metadata.tool_calls`, still running. */
  runningTools: string[]
}

/** Author types (`author_type`, `sender_type`) → roles. */
const roleByAuthorType = new Map<string, MessageRole>([
  ['user', 'user'],
  ['human', 'user'],
  ['assistant', 'assistant'],
  ['agent', 'assistant'],
  ['ai', 'assistant'],
  ['bot', 'assistant'],
  ['model', 'assistant'],
  ['system', 'system'],
  ['tool', 'tool'],
])

/** Who wrote a message, from `role`, or from the author type a chat backend records. */
function roleOf(fields: Record<string, unknown>): MessageRole | undefined {
  const role = stringField(fields.role)
  if (role !== undefined && roles.has(role as MessageRole)) return role as MessageRole
  for (const name of ['author_type', 'authorType', 'sender_type', 'senderType', 'author_role']) {
    const type = stringField(fields[name])?.toLowerCase()
    const mapped = type === undefined ? undefined : roleByAuthorType.get(type)
    if (mapped !== undefined) return mapped
  }
  return undefined
}

/** The message metadata a frame carries for the UI: the author's display name (seed 004 `author_name`). */
function authorMetadata(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const author = isRecord(fields.author) ? fields.author : undefined
  const authorName =
    stringField(fields.author_name) ??
    stringField(fields.authorName) ??
    stringField(fields.sender_name) ??
    stringField(author?.name) ??
    stringField(fields.author)
  return authorName === undefined || authorName === '' ? undefined : { authorName }
}

/** `metadata.streaming` when the frame says it (seed 004), else `undefined`. */
function streamingFlag(fields: Record<string, unknown>): boolean | undefined {
  const metadata = isRecord(fields.metadata) ? fields.metadata : undefined
  return typeof metadata?.streaming === 'boolean' ? metadata.streaming : undefined
}

/** One frame, out of its envelope. */
interface Envelope {
  name: string
  fields: Record<string, unknown>
  /** The message id the frame names, if it names one. */
  messageId: string | undefined
  sequence: number | undefined
}

function readEnvelope(value: Record<string, unknown>, frame: Frame): Envelope | undefined {
  const name = stringField(value.type) ?? stringField(value.event) ?? frame.event
  if (name === undefined) return undefined
  const fields = isRecord(value.data) ? value.data : isRecord(value.payload) ? value.payload : value
  const messageId =
    stringField(fields.id) ??
    stringField(fields.message_id) ??
    stringField(fields.messageId) ??
    stringField(value.message_id) ??
    stringField(value.messageId)
  const sseId = frame.id !== undefined && /^\d+$/.test(frame.id) ? Number(frame.id) : undefined
  const sequence =
    numberField(fields.seq) ??
    numberField(fields.sequence) ??
    numberField(value.seq) ??
    numberField(value.sequence) ??
    sseId
  return { name: name.toLowerCase().replace(/[.-]/g, '_'), fields, messageId, sequence }
}

/**
 * The event of a frame that carries its sequence number. Only one may: the reducer ignores an
 * event whose sequence is not above the message's last applied one, so a second event with
 * the same number would be dropped. It is the event that must not apply twice: the
 * `message-start` (a replayed one would reopen a finished message), else the token, else the
 * frame's first event. The frame's other events are harmless when replayed (`text-start` of
 * an existing block, anything on a finished message).
 */
function primaryEvent(events: ChatEvent[]): ChatEvent | undefined {
  return (
    events.find((event) => event.type === 'message-start') ??
    events.find((event) => event.type === 'text-delta') ??
    events[0]
  )
}

function textField(fields: Record<string, unknown>): string | undefined {
  return (
    stringField(fields.delta) ??
    stringField(fields.content) ??
    stringField(fields.chunk) ??
    stringField(fields.text)
  )
}

/**
 * A decoder for one `message-events` connection (usually a WebSocket: default framing
 * `frames`, one JSON object per WebSocket message; SSE and NDJSON carry the same objects).
 *
 * ## Wire format
 *
 * Each frame is one event in any of these envelopes (all accepted, in any mix):
 *
 * ```json
 * {"type": "message_stream", "data": {"id": "m1", "delta": "Hel", "seq": 3}}
 * {"event": "message_stream", "payload": {"id": "m1", "delta": "Hel", "seq": 3}}
 * {"type": "message_stream", "id": "m1", "delta": "Hel", "seq": 3}
 * ```
 *
 * (with SSE framing, the name may also come from the `event:` line and the object hold the
 * fields alone). Event names are matched ignoring case, with `.` and `-` read as `_`.
 *
 * | event | fields | meaning |
 * |---|---|---|
 * | `message_new` | `id` (or `message_id`), `role?`, `content?` | creates the message. An assistant message (the default role) is a placeholder that streams next, starting with `content` if given. Any other role (`user`, `system`, `tool`) is complete at once, its `content` its text |
 * | `message_stream` (or `message_delta`) | `id`, `delta` (or `content`/`chunk`/`text`), `seq?` | appends a token. A message never announced by `message_new` is created here |
 * | `message_update` | `id`, `content?`, `status?`, `finish_reason?`, `usage?`, `error?` | the message's final version: with `status` absent or `complete` (`completed`, `done`), `message-end` whose `content` replaces the streamed text exactly; finish reason normalized, `stop` when absent. `status: "error"` (`failed`) → `message-error` (with `error`), `status: "cancelled"` (`canceled`, `aborted`, `stopped`) → `message-abort`, the text replaced by `content` first in both cases. Any other status (`streaming`, `in_progress`) is an in-progress snapshot: the text becomes `content` and later `message_stream` tokens append to it |
 * | `message_error` | `id`, `error` (string or `{message, code?}`) | `message-error` |
 * | `message_cancelled`, `stream_cancelled` | `id` or `message_id` | `message-abort` (without an id: every message still streaming) |
 *
 * `usage` is `{input_tokens, output_tokens, total_tokens}` (OpenAI's `prompt_tokens`/
 * `completion_tokens` and camelCase are read too). Unknown events (`ping`, `session_*`, …)
 * and unknown fields are ignored.
 *
 * ### Many messages on one socket
 *
 * Every event uses the message id the frame names (`data.id`, `data.message_id`, or
 * `message_id` on the envelope); `options.messageId` (default `message-events-message`) is only
 * used for a frame that names none. Interleaved streams for different ids stay separate.
 * A finished message is never reopened by a later frame.
 *
 * ### Sequence numbers, redelivery and order
 *
 * `seq` or `sequence` (in the fields or on the envelope; with SSE, a numeric `id:` line) is
 * the frame's sequence number, per message or per socket (either works: only its order within
 * one message is used). It becomes the `sequence` of the frame's main event (its
 * `message-start`, else its token, else its first event), so the reducer also ignores a replayed
 * frame, even one decoded by a fresh decoder after a reconnect. Frames are applied **on arrival**: a frame whose `seq` is at or
 * below the highest one already applied for that message is dropped, so a redelivered frame
 * never duplicates text. A frame that arrives late (after a higher `seq` of the same message)
 * is dropped too: its token is missing from the streamed text until `message_update`
 * replaces the text with the final version (which is why servers that may reorder must send
 * one). Frames without `seq` are always applied.
 *
 * ### Errors and the end
 *
 * A frame that is not valid JSON, once another frame follows it, becomes a `message-error` for
 * every message still streaming (or, when none is, for the fallback id): the decoder cannot
 * tell whose frame it was; the frames after it are read as usual. When the connection ends,
 * `end()` returns a `message-interrupt` for every message still streaming (partial text kept),
 * a malformed last frame included (the decoder kit's one policy: the end cut it).
 *
 * @example
 * ```ts
 * const decoder = messageEventsProtocol.createDecoder()
 * decoder.decode({ data: '{"type":"message_new","data":{"id":"a1","role":"assistant"}}' }) // message-start a1
 * decoder.decode({ data: '{"type":"message_stream","data":{"id":"a1","delta":"Hi","seq":1}}' }) // text-start, text-delta 'Hi'
 * decoder.decode({ data: '{"type":"message_update","data":{"id":"a1","content":"Hi!","status":"complete"}}' })
 * // text-end, message-end { content: 'Hi!', finishReason: 'stop' }
 * ```
 */
export function createMessageEventsDecoder(options: DecoderOptions = {}): ProtocolDecoder {
  const fallbackMessageId = options.messageId ?? messageEventsDefaultMessageId
  const messages = new Map<string, MessageState>()
  let finishedCount = 0

  function finish(state: MessageState): void {
    state.finished = true
    // The streamed text is only needed to compare with a final version still to come.
    if (!state.awaitingUpdate) state.text = ''
    finishedCount += 1
    if (finishedCount <= rememberedFinishedMessages) return
    // Forget the oldest finished message (Map iteration follows insertion order).
    for (const [id, candidate] of messages) {
      if (candidate.finished) {
        messages.delete(id)
        finishedCount -= 1
        return
      }
    }
  }

  /**
   * Track a new message. `message-start` is emitted only when asked (an announcement, or a role
   * other than assistant): for a message first seen through a token or its final update the
   * reducer creates the assistant message from that event, and a redelivered frame can then
   * never reopen a finished message (a `message-start` would).
   */
  function begin(
    events: ChatEvent[],
    messageId: string,
    role: MessageRole | undefined,
    start: { metadata?: Record<string, unknown> | undefined; pushed?: boolean } = {},
  ): MessageState {
    const state: MessageState = {
      finished: false,
      textStarted: false,
      lastSequence: undefined,
      text: '',
      awaitingUpdate: false,
      runningTools: [],
    }
    messages.set(messageId, state)
    if (role !== undefined) {
      const event: ChatEvent = { type: 'message-start', messageId, role }
      if (start.metadata !== undefined) event.metadata = start.metadata
      if (start.pushed) event.pushed = true
      events.push(event)
    }
    return state
  }

  function appendText(events: ChatEvent[], messageId: string, state: MessageState, delta: string): void {
    if (delta === '') return
    state.text += delta
    if (!state.textStarted) {
      state.textStarted = true
      events.push({ type: 'text-start', messageId, id: textId })
    }
    events.push({ type: 'text-delta', messageId, id: textId, delta })
  }

  function replaceText(
    events: ChatEvent[],
    messageId: string,
    state: MessageState,
    text: string | undefined,
  ): void {
    if (text === undefined) return
    state.textStarted = true
    state.text = text
    events.push({ type: 'text-end', messageId, id: textId, text })
  }

  /**
   * The tool calls a final chunk names in `metadata.tool_calls` (seed 004: the backend runs
   * them after the text and appends their results as more chunks): shown running until the
   * message's final version arrives.
   */
  function startTools(events: ChatEvent[], messageId: string, state: MessageState, calls: unknown[]): void {
    for (const [index, call] of calls.entries()) {
      if (!isRecord(call)) continue
      const fn = isRecord(call.function) ? call.function : undefined
      const toolName = stringField(call.name) ?? stringField(fn?.name) ?? stringField(call.tool_name)
      if (toolName === undefined) continue
      const toolCallId =
        stringField(call.id) ?? stringField(call.tool_call_id) ?? `${messageId}-call-${index}`
      if (state.runningTools.includes(toolCallId)) continue
      const input = call.input ?? call.arguments ?? fn?.arguments ?? call.args
      events.push({ type: 'tool-call-start', messageId, toolCallId, toolName })
      const end: ChatEvent = { type: 'tool-call-end', messageId, toolCallId }
      if (typeof input === 'string') end.inputText = input
      else if (input !== undefined && input !== null) end.input = input
      events.push(end, { type: 'tool-running', messageId, toolCallId })
      state.runningTools.push(toolCallId)
    }
  }

  /** The final version came: tools named earlier have run (their results are in the text). */
  function endTools(events: ChatEvent[], messageId: string, state: MessageState): void {
    for (const toolCallId of state.runningTools)
      events.push({ type: 'tool-result', messageId, toolCallId, output: undefined })
    state.runningTools = []
  }

  function openMessageIds(): string[] {
    const ids: string[] = []
    for (const [id, state] of messages) if (!state.finished) ids.push(id)
    return ids
  }

  /**
   * The `message_update` after a final chunk ended the message: seed 004 sends the saved
   * version, which replaces the text exactly. Nothing happens when it is what streamed. A
   * different text reopens the complete message and ends it again with that text, in one
   * batch, so the message never shows as streaming.
   */
  function finalVersion(
    events: ChatEvent[],
    messageId: string,
    state: MessageState,
    fields: Record<string, unknown>,
  ): void {
    state.awaitingUpdate = false
    const content = stringField(fields.content) ?? stringField(fields.text)
    const text = state.text
    state.text = ''
    if (content === undefined || content === text) return
    events.push(
      { type: 'message-start', messageId },
      { type: 'message-end', messageId, finishReason: 'stop', content },
    )
  }

  function apply(events: ChatEvent[], kind: WireEvent, envelope: Envelope, messageId: string): void {
    const { fields } = envelope
    let state = messages.get(messageId)
    if (state?.awaitingUpdate && kind === 'update') {
      finalVersion(events, messageId, state, fields)
      return
    }
    if (state?.finished) return
    switch (kind) {
      case 'new': {
        if (state !== undefined) return // a duplicate announcement
        const role = roleOf(fields) ?? 'assistant'
        const metadata = authorMetadata(fields)
        const content = stringField(fields.content) ?? stringField(fields.text)
        // Seed 004: `metadata.streaming: true` is a placeholder that streams next, `false` a
        // message that arrives whole (another agent in the channel, the echo of the user's own
        // message). Without the flag, only the assistant streams.
        const streaming = streamingFlag(fields) ?? role === 'assistant'
        if (!streaming) {
          state = begin(events, messageId, role, { metadata, pushed: true })
          if (content !== undefined && content !== '') {
            appendText(events, messageId, state, content)
            events.push({ type: 'text-end', messageId, id: textId })
          }
          events.push({ type: 'message-end', messageId })
          finish(state)
          return
        }
        state = begin(events, messageId, role, { metadata })
        if (content !== undefined) appendText(events, messageId, state, content)
        return
      }
      case 'stream': {
        state ??= begin(events, messageId, undefined)
        const chunkMetadata = isRecord(fields.metadata) ? fields.metadata : undefined
        const error = errorFromBackend(chunkMetadata?.error)
        const chunk = textField(fields) ?? ''
        if (error !== undefined) {
          // Seed 004 yields the error as the final chunk and names it in the metadata: the
          // chunk is the error's wording, shown once, as the error.
          if (!chunk.includes(error.message)) appendText(events, messageId, state, chunk)
          if (state.textStarted) events.push({ type: 'text-end', messageId, id: textId })
          events.push({ type: 'message-error', messageId, error })
          finish(state)
          return
        }
        appendText(events, messageId, state, chunk)
        if (fields.is_final !== true && fields.isFinal !== true) return
        const toolCalls = chunkMetadata?.tool_calls
        if (Array.isArray(toolCalls) && toolCalls.length > 0) {
          // The backend runs these next and streams their results: the message is not done.
          startTools(events, messageId, state, toolCalls)
          return
        }
        if (state.textStarted) events.push({ type: 'text-end', messageId, id: textId })
        events.push({ type: 'message-end', messageId, finishReason: 'stop' })
        state.awaitingUpdate = true
        finish(state)
        return
      }
      case 'update': {
        if (state === undefined) {
          const role = roleOf(fields) ?? 'assistant'
          state = begin(events, messageId, role === 'assistant' ? undefined : role, {
            metadata: authorMetadata(fields),
          })
        }
        const content = stringField(fields.content) ?? stringField(fields.text)
        const status =
          stringField(fields.status)?.toLowerCase() ??
          (streamingFlag(fields) === true ? 'streaming' : undefined)
        const usage = usageFromBackend(fields.usage)
        if (status === undefined || finalStatuses.has(status)) {
          endTools(events, messageId, state)
          const rawFinishReason = stringField(fields.finish_reason) ?? stringField(fields.finishReason)
          const end: ChatEvent = {
            type: 'message-end',
            messageId,
            finishReason: rawFinishReason === undefined ? 'stop' : finishReasonFromBackend(rawFinishReason),
          }
          if (rawFinishReason !== undefined && rawFinishReason !== end.finishReason)
            end.rawFinishReason = rawFinishReason
          if (usage !== undefined) end.usage = usage
          if (content !== undefined) end.content = content
          events.push(end)
          finish(state)
          return
        }
        replaceText(events, messageId, state, content)
        if (usage !== undefined) events.push({ type: 'usage', messageId, usage })
        if (errorStatuses.has(status)) {
          const error = errorFromBackend(fields.error) ?? {
            message: `Message "${messageId}" ended with status "${status}" and no error message.`,
          }
          events.push({ type: 'message-error', messageId, error })
          finish(state)
        } else if (cancelledStatuses.has(status)) {
          events.push({ type: 'message-abort', messageId })
          finish(state)
        }
        return
      }
      case 'error': {
        state ??= begin(events, messageId, undefined)
        const error = errorFromBackend(fields.error) ??
          errorFromBackend(fields.message) ?? {
            message: `Message "${messageId}" failed and the server sent no error message.`,
          }
        events.push({ type: 'message-error', messageId, error })
        finish(state)
        return
      }
      case 'cancelled': {
        if (state === undefined) return // nothing to cancel
        events.push({ type: 'message-abort', messageId })
        finish(state)
        return
      }
      default: {
        const unknownKind: never = kind
        throw new Error(`message-events: unhandled event kind ${String(unknownKind)}`)
      }
    }
  }

  /** The events of the frame being decoded, for every message it touches. */
  let queued: ChatEvent[] = []
  /** Every message still streaming: the connection's events go to them, not to one message. */
  const openMessages: FrameTarget = {
    // The connection carries any number of messages: it never ends, only its messages do.
    isTerminal: false,
    isComplete: false,
    /** A frame that cannot be read (malformed JSON, a decoder failure) fails every message still streaming. */
    fail(error: MessageError): void {
      const open = openMessageIds()
      for (const messageId of open.length === 0 ? [fallbackMessageId] : open) {
        if (messages.get(messageId)?.finished) continue
        const state = messages.get(messageId) ?? begin(queued, messageId, undefined)
        queued.push({ type: 'message-error', messageId, error })
        finish(state)
      }
    },
    take(): ChatEvent[] {
      const taken = queued
      queued = []
      return taken
    },
  }

  function decodeValue(value: unknown, frame: Frame | undefined): void {
    if (!isRecord(value)) return
    const envelope = readEnvelope(value, frame ?? { data: '' })
    if (envelope === undefined) return
    const kind = wireEventByName.get(envelope.name)
    if (kind === undefined) return
    const events = queued
    if (kind === 'cancelled' && envelope.messageId === undefined) {
      for (const messageId of openMessageIds()) apply(events, kind, envelope, messageId)
      return
    }
    const messageId = envelope.messageId ?? fallbackMessageId
    const state = messages.get(messageId)
    const { sequence } = envelope
    if (sequence !== undefined && state !== undefined) {
      if (state.lastSequence !== undefined && sequence <= state.lastSequence) return
    }
    const first = events.length
    apply(events, kind, envelope, messageId)
    if (sequence !== undefined) {
      const applied = messages.get(messageId)
      if (applied !== undefined) applied.lastSequence = sequence
      const primary = primaryEvent(events.slice(first))
      if (primary !== undefined) primary.sequence = sequence
    }
  }

  return createJsonFrameDecoder(openMessages, 'message-events', {
    value: decodeValue,
    endOfSource(cutOff) {
      for (const messageId of openMessageIds()) {
        queued.push(
          streamInterrupted(
            messageId,
            `The message-events connection closed while message "${messageId}" was still streaming (no message_update arrived${cutOff ? '; its last frame was cut off' : ''}). The text so far is kept; retry to regenerate it.`,
          ),
        )
        const state = messages.get(messageId)
        if (state !== undefined) finish(state)
      }
    },
  })
}

/**
 * The `message-events` protocol (default framing `frames`: one WebSocket message per frame).
 * See {@link createMessageEventsDecoder} for the wire format.
 *
 * @example
 * ```ts
 * import { readChatEvents } from '@sluice/core'
 * for await (const event of readChatEvents(socketMessages, 'message-events')) console.log(event.messageId, event.type)
 * ```
 */
export const messageEventsProtocol: Protocol = {
  id: 'message-events',
  framing: 'frames',
  createDecoder: createMessageEventsDecoder,
  decodeError: (body: unknown, status: number) => errorFromBackendResponse(body, status, ['error', 'detail']),
}

/**
 * The frame a client sends to stop one message on a `message-events` socket:
 * `{"type":"stream_cancel","message_id":"…"}`. The server answers with `stream_cancelled`
 * (or `message_cancelled`) for that id, which the decoder turns into a `message-abort`.
 *
 * @example
 * ```ts
 * socket.send(encodeCancelFrame('a1')) // '{"type":"stream_cancel","message_id":"a1"}'
 * ```
 */
export function encodeCancelFrame(messageId: string): string {
  return JSON.stringify({ type: 'stream_cancel', message_id: messageId })
}
