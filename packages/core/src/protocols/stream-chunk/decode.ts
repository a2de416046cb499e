/**
 * The `stream-chunk` protocol: a backend that streams `{text, is_complete, token_count}` objects.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { DecoderOptions, Protocol } from '../../protocol.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  errorFromBackend,
  errorFromBackendResponse,
  finishReasonFromBackend,
  type JsonFrameDecoder,
  replayJsonBody,
} from '../shared/index.ts'

/** The message id used when the caller gives none (the wire carries no message id). */
export const streamChunkDefaultMessageId = 'stream-chunk-response'

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
 * - A frame that is not valid JSON, followed by another frame, ends the message with a
 *   `message-error`; the last frame cut by the end of the body ends it `interrupted` (the decoder
 *   kit's one policy, see `protocols/shared`).
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
export function createStreamChunkDecoder(options: DecoderOptions = {}): JsonFrameDecoder {
  const message = createMessageEmitter({
    messageId: options.messageId,
    fallbackMessageId: streamChunkDefaultMessageId,
  })
  // One text block (`text-0`): the wire carries nothing that would end it before the last chunk.
  const blocks = createTextBlocks(message.messageId)
  let outputTokens: number | undefined

  return createJsonFrameDecoder(message, 'stream-chunk', {
    literal: (frame) => frame.data.trim() === '[DONE]',
    value(value) {
      if (!isRecord(value)) return
      const error = errorFromBackend(value.error)
      if (error !== undefined) {
        message.fail(error)
        return
      }
      message.start()
      const wrong = wrongField(value)
      if (wrong !== undefined) {
        blocks.close(message)
        message.fail({
          code: 'invalid-event',
          message: `The stream-chunk stream for message "${message.messageId}" sent a chunk whose ${wrong}. The text so far is kept. Check that the backend sends StreamChunk { text, is_complete, token_count, metadata? } unchanged.`,
        })
        return
      }
      if (isRecord(value.metadata))
        message.push({ type: 'metadata', messageId: message.messageId, metadata: value.metadata })
      blocks.append(message, 'text', stringField(value.text) ?? '')
      const tokenCount = numberField(value.token_count)
      const complete = value.is_complete === true
      if (tokenCount !== undefined && tokenCount !== outputTokens) {
        outputTokens = tokenCount
        // On the completing frame the count rides on message-end instead.
        if (!complete)
          message.push({ type: 'usage', messageId: message.messageId, usage: { outputTokens: tokenCount } })
      }
      if (!complete) return
      blocks.close(message)
      const rawFinishReason = stringField(value.finish_reason)
      const finishReason = rawFinishReason === undefined ? 'stop' : finishReasonFromBackend(rawFinishReason)
      message.end({
        finishReason,
        ...(rawFinishReason !== undefined && rawFinishReason !== finishReason ? { rawFinishReason } : {}),
        ...(outputTokens !== undefined ? { usage: { outputTokens } satisfies Usage } : {}),
      })
    },
    endOfSource(cutOff) {
      message.endOfSource(
        `The stream-chunk stream for message "${message.messageId}" ended before a frame with "is_complete": true${cutOff ? ' (its last frame was cut off)' : ''}. The text so far is kept; retry to get the rest.`,
      )
    },
  })
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
    const frame = isRecord(body) && body.error === undefined ? { ...body, is_complete: true } : body
    return replayJsonBody(createStreamChunkDecoder(options), [frame])
  },
  decodeError: (body: unknown, status: number) => errorFromBackendResponse(body, status, ['error', 'detail']),
}
