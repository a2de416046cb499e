/**
 * The `stream-delta` protocol: a backend that streams `{content, tool_calls, finish_reason, usage}`
 * objects whose `tool_calls` are accumulated (every frame carries every call so far).
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { DecoderOptions, Protocol } from '../../protocol.ts'
import { isRecord, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  errorFromBackend,
  errorFromBackendResponse,
  finishReasonFromOpenAI,
  type JsonFrameDecoder,
  replayJsonBody,
  stringifyWireValue,
  usageFromOpenAI,
} from '../shared/index.ts'

/** The message id used when the caller gives none (the wire carries no message id). */
export const streamDeltaDefaultMessageId = 'stream-delta-response'

/** What the decoder knows about one tool call. */
interface ToolCallState {
  id: string
  name: string | undefined
  /** The call's arguments text in the latest frame. */
  text: string
  /** The parsed arguments, when the wire sent them as a JSON value rather than a string. */
  input: unknown
  started: boolean
  /** The arguments stopped being an extension of what was emitted: no more deltas, `inputText` at the end. */
  rewritten: boolean
}

/**
 * A decoder for one `stream-delta` response.
 *
 * ## Wire format
 *
 * Every frame (an SSE `data:` payload by default, or an NDJSON line, or a WebSocket message)
 * is one JSON object; every field is optional and may be `null`:
 *
 * ```json
 * {"content": "Let me check", "tool_calls": null, "finish_reason": null, "usage": null}
 * {"content": null, "tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": "{\"ci"}], "finish_reason": null, "usage": null}
 * {"content": null, "tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}], "finish_reason": null, "usage": null}
 * {"content": null, "tool_calls": null, "finish_reason": "tool_calls", "usage": {"prompt_tokens": 20, "completion_tokens": 9, "total_tokens": 29}}
 * ```
 *
 * | field | type | meaning |
 * |---|---|---|
 * | `content` | string or null | appended to the message text |
 * | `reasoning_content` (or `reasoning`) | string or null, optional | appended to the reasoning (extension; DeepSeek-style servers) |
 * | `tool_calls` | array or null | **every tool call so far**, each `{id, name, arguments}` (or OpenAI's `{id, function: {name, arguments}}`) |
 * | `finish_reason` | null, `stop`, `length`, `tool_calls`, `content_filter` (other words: `other`, raw word kept) | ends the message |
 * | `usage` | `{prompt_tokens, completion_tokens, total_tokens}` or null | token counts → `inputTokens`, `outputTokens`, `totalTokens` |
 * | `error` | string or `{message, code?}`, optional | the backend failed: `message-error` |
 *
 * ### Accumulated tool calls
 *
 * `tool_calls` is a snapshot, not a delta: `null` or a missing field means "no change", and a
 * call's `arguments` grow from frame to frame. The decoder diffs each snapshot against what
 * it already emitted:
 *
 * - a call with a new `id` → `tool-call-start` (once its `name` is known), then its arguments
 *   so far as one `tool-call-delta`;
 * - a known call whose `arguments` extend the previous ones → `tool-call-delta` with only the
 *   new suffix (the events are O(new text), never the whole input again);
 * - `arguments` as a JSON value (object) instead of a string: diffed as its `JSON.stringify`
 *   text, and the object itself becomes the call's parsed `input` at the end;
 * - `arguments` that shrink or change other than by appending (a server that rewrites or
 *   re-formats them): no more deltas for that call; its streamed input text stays as it was
 *   until the end, where `tool-call-end` carries `inputText` = the last arguments sent, so
 *   the call ends with exactly what the server sent last;
 * - a call without `id` is keyed by its position in the array (`<messageId>-call-<index>`).
 *
 * ### End of the message
 *
 * A non-null `finish_reason` ends the message: open text and reasoning end, every open tool
 * call gets its `tool-call-end`, then `message-end` with the normalized finish reason (the raw
 * word in `rawFinishReason` when it differs) and the frame's usage. A usage-only frame after the finish (as
 * OpenAI's `include_usage` sends) still updates the usage; anything else after it is
 * ignored. If the stream ends without a `finish_reason` (or an error), `end()` returns a
 * `message-interrupt`. Malformed JSON followed by another frame → `message-error`; a malformed
 * last frame (cut by the end of the body) → `message-interrupt` (the decoder kit's one policy).
 * Empty frames and the `[DONE]`
 * sentinel are ignored. The wire carries no message id: events use `options.messageId`
 * (default `stream-delta-response`); text blocks are `text-0`, `text-1`, … (a new block after a tool
 * call), reasoning blocks `reasoning-0`, ….
 *
 * @example
 * ```ts
 * const decoder = streamDeltaProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"tool_calls":[{"id":"c1","name":"search","arguments":"{\\"q\\":"}]}' })
 * // message-start, tool-call-start c1 search, tool-call-delta '{"q":'
 * decoder.decode({ data: '{"tool_calls":[{"id":"c1","name":"search","arguments":"{\\"q\\":\\"cats\\"}"}]}' })
 * // tool-call-delta '"cats"}'
 * decoder.decode({ data: '{"finish_reason":"tool_calls"}' })
 * // tool-call-end c1, message-end { finishReason: 'tool-calls' }
 * ```
 */
export function createStreamDeltaDecoder(options: DecoderOptions = {}): JsonFrameDecoder {
  const message = createMessageEmitter({
    messageId: options.messageId,
    fallbackMessageId: streamDeltaDefaultMessageId,
  })
  const messageId = message.messageId
  const blocks = createTextBlocks(messageId)
  const calls = new Map<string, ToolCallState>()
  /** Position in the snapshot → call id, for calls whose later snapshots omit the id. */
  const idByIndex: string[] = []

  function applyToolCall(entry: unknown, index: number): void {
    if (!isRecord(entry)) return
    const fn = isRecord(entry.function) ? entry.function : undefined
    const id = stringField(entry.id) ?? idByIndex[index] ?? `${messageId}-call-${index}`
    idByIndex[index] = id
    const name = stringField(entry.name) ?? stringField(fn?.name)
    const rawArguments = entry.arguments ?? fn?.arguments
    let text = ''
    let input: unknown
    if (typeof rawArguments === 'string') text = rawArguments
    else if (rawArguments !== undefined && rawArguments !== null) {
      input = rawArguments
      text = stringifyWireValue(rawArguments, 'stream-delta', `the arguments of tool call "${id}"`)
    }
    let call = calls.get(id)
    if (call === undefined) {
      call = { id, name: undefined, text: '', input: undefined, started: false, rewritten: false }
      calls.set(id, call)
    }
    if (name !== undefined && name !== '') call.name = name
    if (input !== undefined) call.input = input
    if (!call.started) {
      call.text = text
      if (call.name === undefined) return // no name yet: start once a snapshot names it
      call.started = true
      blocks.close(message)
      message.push({ type: 'tool-call-start', messageId, toolCallId: id, toolName: call.name })
      if (text !== '') message.push({ type: 'tool-call-delta', messageId, toolCallId: id, delta: text })
      return
    }
    const previous = call.text
    call.text = text
    if (call.rewritten || text === previous) return
    // startsWith is a native comparison over text JSON.parse just produced anyway; only the
    // new suffix becomes an event.
    if (text.length > previous.length && text.startsWith(previous)) {
      message.push({ type: 'tool-call-delta', messageId, toolCallId: id, delta: text.slice(previous.length) })
    } else {
      call.rewritten = true
    }
  }

  function endToolCalls(): void {
    for (const call of calls.values()) {
      const end: ChatEvent = { type: 'tool-call-end', messageId, toolCallId: call.id }
      if (call.name !== undefined) end.toolName = call.name
      if (call.input !== undefined) end.input = call.input
      // A call that never got a name was never started: its input text arrives here whole.
      if (call.rewritten || !call.started) end.inputText = call.text
      message.push(end)
    }
    calls.clear()
  }

  return createJsonFrameDecoder(message, 'stream-delta', {
    literal: (frame) => frame.data.trim() === '[DONE]',
    // A usage report after the finish (OpenAI's `include_usage` order) still counts.
    continuesAfterEnd: true,
    value(value) {
      if (!isRecord(value)) return
      const usage = usageFromOpenAI(value.usage)
      if (message.isComplete) {
        if (usage !== undefined) message.push({ type: 'usage', messageId, usage })
        return
      }
      message.start()
      const error = errorFromBackend(value.error)
      if (error !== undefined) {
        message.fail(error)
        return
      }
      const reasoning = stringField(value.reasoning_content) ?? stringField(value.reasoning)
      blocks.append(message, 'reasoning', reasoning ?? '')
      blocks.append(message, 'text', stringField(value.content) ?? '')
      if (Array.isArray(value.tool_calls)) {
        for (const [index, entry] of value.tool_calls.entries()) applyToolCall(entry, index)
      }
      const rawFinishReason = stringField(value.finish_reason)
      if (rawFinishReason === undefined) {
        if (usage !== undefined) message.push({ type: 'usage', messageId, usage })
        return
      }
      blocks.close(message)
      endToolCalls()
      const finishReason = finishReasonFromOpenAI(rawFinishReason)
      message.end({
        finishReason,
        ...(finishReason !== rawFinishReason ? { rawFinishReason } : {}),
        ...(usage !== undefined ? { usage } : {}),
      })
    },
    endOfSource(cutOff) {
      message.endOfSource(
        `The stream-delta stream for message "${messageId}" ended before a frame with a "finish_reason"${cutOff ? ' (its last frame was cut off)' : ''}. The content so far is kept; unfinished tool calls are cancelled. Retry to get the rest.`,
      )
    },
  })
}

/**
 * The `stream-delta` protocol (default framing `sse`; `ndjson` and `frames` carry the same
 * objects). See {@link createStreamDeltaDecoder} for the wire format.
 *
 * @example
 * ```ts
 * import { collectMessage } from '@sluice/core'
 * const message = await collectMessage(response.body!, 'stream-delta')
 * ```
 */
export const streamDeltaProtocol: Protocol = {
  id: 'stream-delta',
  framing: 'sse',
  createDecoder: createStreamDeltaDecoder,
  decodeResponse(body: unknown, options?: DecoderOptions): ChatEvent[] {
    // A non-streaming answer is one snapshot that is finished by definition.
    const frame =
      isRecord(body) && body.error === undefined && body.finish_reason == null
        ? { ...body, finish_reason: 'stop' }
        : body
    return replayJsonBody(createStreamDeltaDecoder(options), [frame])
  },
  decodeError: (body: unknown, status: number) => errorFromBackendResponse(body, status, ['error', 'detail']),
}
