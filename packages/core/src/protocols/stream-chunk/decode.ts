/**
 * The `stream-chunk` protocol: a backend that streams `{text, is_complete, token_count}` objects.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, numberField, parseJsonFrame, stringField } from '../json-frame.ts'
import { finishReasonFromBackend } from '../shared/finish-reason.ts'
import { errorFromBackend, errorFromBackendResponse } from '../shared/provider-error.ts'
import { streamInterrupted } from '../shared/stream-interrupted.ts'

/** The message id used when the caller gives none (the wire carries no message id). */
export const streamChunkDefaultMessageId = 'stream-chunk-response'
/** The one text block of a stream-chunk message. */
const textId = 'text-0'

/** The JSON type of a value, as an error names it. */
function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** What is wrong with a chunk's fields (`text` a string, `is_complete` a boolean, `token_count` a number), if anything. */
function wrongField(value: Record<string, unknown>): string | undefined {
  const expected: [string, string, (field: unknown) => boolean][] = [
    ['text', 'a string', (field) => typeof field === 'string'],
    ['is_complete', 'a boolean', (field) => typeof field === 'boolean'],
    ['token_count', 'a number', (field) => typeof field === 'number' && Number.isFinite(field)],
  ]
  for (const [name, type, valid] of expected) {
    const field = value[name]
    if (field !== undefined && field !== null && !valid(field))
      return `"${name}" is ${typeName(field)}, expected ${type}`
  }
  return undefined
}

/**
 * A decoder for one `stream-chunk` response.
 *
 * ## Wire format
 *
 * Every frame (an SSE `data:` payload by default, or an NDJSON line, or a WebSocket message)
 * is one JSON object:
 *
 * ```json
 * {"text": "Hel", "is_complete": false, "token_count": 1}
 * {"text": "lo", "is_complete": false, "token_count": 2, "metadata": {"model": "m-7b"}}
 * {"text": "", "is_complete": true, "token_count": 2}
 * ```
 *
 * | field | type | meaning |
 * |---|---|---|
 * | `text` | string | appended to the message text (may be `""`) |
 * | `is_complete` | boolean | `true` ends the message, finish reason `stop`; the frame's own `text` is appended first |
 * | `token_count` | number | output tokens generated so far (cumulative: seed 001's "token count for progress tracking") → `usage.outputTokens`, shown as progress while streaming |
 * | `metadata` | object, optional | seed 001's "optional metadata (timing, token IDs)": merged into the message's metadata (`metadata` event), a later chunk's key replacing an earlier one's |
 * | `finish_reason` | string, optional | on the completing frame: overrides `stop` (`length`, `max_tokens`, …; normalized, the raw word kept in `rawFinishReason` when it differs) |
 * | `error` | string or `{message, code?}` | the backend failed: `message-error` with that message and code |
 *
 * - Every field is optional and unknown fields are ignored, so `{"token_count": 5}` alone
 *   just updates the usage. A field of the wrong type (`"token_count": "5"`) ends the message
 *   with a `message-error` that names it; the text so far is kept.
 * - Tool calls: the wire carries text only. A model's tool call arrives inside the text in its
 *   own tags (seed 001's chat template extracts them); read it with `inlineTags: true`. A frame that is not a JSON object, an empty frame (keep-alive)
 *   and the `[DONE]` sentinel some servers append are ignored.
 * - Frames after the completing frame or an error are ignored.
 * - A frame that is not valid JSON ends the message with a `message-error`.
 * - The wire carries no message id: events use `options.messageId` (default `stream-chunk-response`).
 * - If the stream ends without `is_complete: true` (or an error), `end()` returns a
 *   `message-interrupt`: the text so far is kept and the message can be retried.
 *
 * @example
 * ```ts
 * const decoder = streamChunkProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"text":"Hi","is_complete":false,"token_count":1}' })
 * // message-start, text-start, text-delta 'Hi', usage { outputTokens: 1 }
 * decoder.decode({ data: '{"text":"","is_complete":true,"token_count":1}' })
 * // text-end, message-end { finishReason: 'stop', usage: { outputTokens: 1 } }
 * ```
 */
export function createStreamChunkDecoder(options: DecoderOptions = {}): ProtocolDecoder {
  const messageId = options.messageId ?? streamChunkDefaultMessageId
  let started = false
  let textStarted = false
  let finished = false
  let outputTokens: number | undefined

  function start(events: ChatEvent[]): void {
    if (started) return
    started = true
    events.push({ type: 'message-start', messageId, role: 'assistant' })
  }

  return {
    decode(frame: Frame): ChatEvent[] {
      if (finished) return []
      const data = frame.data.trim()
      if (data === '' || data === '[DONE]') return []
      const events: ChatEvent[] = []
      const parsed = parseJsonFrame(data, 'stream-chunk')
      if (!parsed.ok) {
        finished = true
        start(events)
        events.push({ type: 'message-error', messageId, error: parsed.error })
        return events
      }
      const value = parsed.value
      if (!isRecord(value)) return []
      const error = errorFromBackend(value.error)
      if (error !== undefined) {
        finished = true
        start(events)
        events.push({ type: 'message-error', messageId, error })
        return events
      }
      start(events)
      const wrong = wrongField(value)
      if (wrong !== undefined) {
        finished = true
        if (textStarted) events.push({ type: 'text-end', messageId, id: textId })
        events.push({
          type: 'message-error',
          messageId,
          error: {
            code: 'invalid-event',
            message: `The stream-chunk stream for message "${messageId}" sent a chunk whose ${wrong}. The text so far is kept. Check that the backend sends StreamChunk { text, is_complete, token_count, metadata? } unchanged.`,
          },
        })
        return events
      }
      if (isRecord(value.metadata)) events.push({ type: 'metadata', messageId, metadata: value.metadata })
      const text = stringField(value.text)
      if (text !== undefined && text !== '') {
        if (!textStarted) {
          textStarted = true
          events.push({ type: 'text-start', messageId, id: textId })
        }
        events.push({ type: 'text-delta', messageId, id: textId, delta: text })
      }
      const tokenCount = numberField(value.token_count)
      const complete = value.is_complete === true
      if (tokenCount !== undefined && tokenCount !== outputTokens) {
        outputTokens = tokenCount
        // On the completing frame the count rides on message-end instead.
        if (!complete) events.push({ type: 'usage', messageId, usage: { outputTokens: tokenCount } })
      }
      if (complete) {
        finished = true
        if (textStarted) events.push({ type: 'text-end', messageId, id: textId })
        const rawFinishReason = stringField(value.finish_reason)
        const end: ChatEvent = {
          type: 'message-end',
          messageId,
          finishReason: rawFinishReason === undefined ? 'stop' : finishReasonFromBackend(rawFinishReason),
        }
        if (rawFinishReason !== undefined && rawFinishReason !== end.finishReason)
          end.rawFinishReason = rawFinishReason
        if (outputTokens !== undefined) end.usage = { outputTokens } satisfies Usage
        events.push(end)
      }
      return events
    },
    end(): ChatEvent[] {
      if (finished) return []
      finished = true
      const events: ChatEvent[] = []
      start(events)
      events.push(
        streamInterrupted(
          messageId,
          `The stream-chunk stream for message "${messageId}" ended before a frame with "is_complete": true. The text so far is kept; retry to get the rest.`,
        ),
      )
      return events
    },
  }
}

/**
 * The `stream-chunk` protocol (default framing `sse`; `ndjson` and `frames` carry the same
 * objects). See {@link createStreamChunkDecoder} for the wire format.
 *
 * @example
 * ```ts
 * import { collectMessage, protocols } from '@sluice/core'
 * const message = await collectMessage(response.body!, protocols['stream-chunk'])
 * // over a WebSocket or NDJSON body:
 * await collectMessage(source, 'stream-chunk', { framing: 'ndjson' })
 * ```
 */
export const streamChunkProtocol: Protocol = {
  id: 'stream-chunk',
  framing: 'sse',
  createDecoder: createStreamChunkDecoder,
  decodeResponse(body: unknown, options?: DecoderOptions): ChatEvent[] {
    // A non-streaming answer is one frame that is complete by definition.
    const decoder = createStreamChunkDecoder(options)
    const frame = isRecord(body) && body.error === undefined ? { ...body, is_complete: true } : body
    return [...decoder.decode({ data: JSON.stringify(frame) }), ...decoder.end()]
  },
  decodeError: (body: unknown, status: number) => errorFromBackendResponse(body, status, ['error', 'detail']),
}
