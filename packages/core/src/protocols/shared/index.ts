/**
 * The decoder kit: everything a protocol's `decode.ts` needs besides its own wire mapping.
 *
 * ## One decoder shape
 *
 * A decoder is `createXDecoder(options) → ProtocolDecoder`, built from three pieces:
 *
 * 1. **The message** — {@link createMessageEmitter}: resolves the message id (the caller's wins,
 *    then one adopted from the wire with `useWireId`, then the protocol's fallback), emits
 *    `message-start` once (automatically before the first `push`), ends the message once
 *    (`end`, `fail`, `interrupt`, `abort`) and queues events until `take()`.
 *    `finishSeen(fields)` + `endOfSource(message)` is the one rule every protocol follows when
 *    the body ends early: a finish reason was seen ⇒ `complete` (only the terminator was lost),
 *    otherwise `interrupted` with the partial content kept.
 * 2. **The frame loop** — {@link createJsonFrameDecoder} for JSON frames (SSE `data`, NDJSON
 *    lines, WebSocket messages): blank frames skipped; one policy for a malformed frame (followed
 *    by another frame ⇒ `error`; the last frame, cut by the end of the body ⇒
 *    `endOfSource(cutOff: true)`); frames after the end ignored; an exception thrown by the
 *    mapping ⇒ `message-error` ({@link decoderFailure}) keeping what was decoded.
 *    `literal(frame)` takes what is not JSON (`[DONE]`). {@link replayJsonBody} decodes a whole
 *    non-streaming JSON body by feeding it as the values it would have streamed.
 *    A wire that carries many messages on one connection (`message-events`) gives the loop a
 *    {@link FrameTarget} of its own instead of one emitter: a malformed frame fails the messages
 *    still streaming, and the connection's later frames are read.
 * 3. **Blocks** — {@link createTextBlocks} for wires that send bare text/reasoning deltas: it
 *    opens, switches and closes `text` / `reasoning` / `refusal` parts with deterministic ids.
 *
 * ## Wire values are hostile
 *
 * - {@link stringifyWireValue} instead of `JSON.stringify` on anything from the wire (nested too
 *   deep ⇒ a {@link WireValueError}, which the frame loop turns into a clear `message-error`).
 * - {@link isForbiddenKey} before any `target[key] = …` with a key from the wire
 *   (`__proto__`, `constructor`, `prototype`).
 * - State keyed by wire ids lives in a `Map`, never a plain object.
 *
 * ## Shared helpers, one naming scheme
 *
 * `usageFrom<Wire>` / `usageTo<Wire>`, `finishReasonFrom<Wire>` / `finishReasonTo<Wire>`,
 * `errorFrom<Wire>` (an error inside a frame) / `errorTo<Wire>` / `errorFrom<Wire>Response` (a
 * failed HTTP response's body and status), for the wires several protocols share: `OpenAI`
 * (OpenAI Chat, `stream-delta`) and `Backend` (the agent backends). Each protocol's own helpers
 * follow the same scheme in its `decode.ts`: `usageFromGemini`, `finishReasonFromGemini`,
 * `errorFromGemini`, `usageFromResponses`, `errorFromOpenAIResponse`, `finishReasonFromAnthropic`,
 * `errorFromAnthropicResponse`, `finishReasonFromOllama`, `errorFromOllama`, `usageFromAgUi`,
 * `errorFromAgUiResponse`, `errorFromAiSdkResponse`.
 * {@link decodeErrorBody} reads a failed HTTP response's body with a protocol's error reader.
 *
 * @example
 * ```ts
 * import { createJsonFrameDecoder, createMessageEmitter, createTextBlocks } from '../shared/index.ts'
 *
 * function createEchoDecoder(options: DecoderOptions = {}): ProtocolDecoder {
 *   const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId: 'echo' })
 *   const blocks = createTextBlocks(() => message.messageId)
 *   return createJsonFrameDecoder(message, 'echo', {
 *     value(value) {
 *       if (!isRecord(value)) return
 *       blocks.append(message, 'text', stringField(value.text) ?? '')
 *       if (value.done === true) {
 *         blocks.close(message)
 *         message.end({ finishReason: 'stop', usage: usageFromBackend(value.usage) })
 *       }
 *     },
 *     endOfSource(cutOff) {
 *       blocks.close(message)
 *       message.endOfSource(`The echo stream ended before "done": true${cutOff ? ' in the middle of a frame' : ''}; retry.`)
 *     },
 *   })
 * }
 * ```
 * @module
 */
export {
  createJsonFrameDecoder,
  decoderFailure,
  type FrameTarget,
  type JsonFrameDecoder,
  type JsonFrameMapping,
  replayJsonBody,
} from './create-json-frame-decoder.ts'
export {
  createMessageEmitter,
  type MessageEmitter,
  type MessageEmitterOptions,
  type MessageEndFields,
} from './create-message-emitter.ts'
export {
  createTextBlocks,
  type EventSink,
  type TextBlocks,
  type TextBlocksOptions,
  type TextBlockType,
} from './create-text-blocks.ts'
export { decodeErrorBody } from './decode-error-body.ts'
export {
  finishReasonFromBackend,
  finishReasonFromOpenAI,
  finishReasonToBackend,
  finishReasonToOpenAI,
} from './finish-reason.ts'
export {
  errorFromBackend,
  errorFromBackendResponse,
  errorFromOpenAI,
  errorToBackend,
} from './provider-error.ts'
export { streamInterrupted } from './stream-interrupted.ts'
export {
  type BackendUsage,
  type OpenAIUsage,
  usageFromBackend,
  usageFromOpenAI,
  usageToBackend,
  usageToOpenAI,
} from './usage.ts'
export {
  isForbiddenKey,
  maxWireDepth,
  mergeWireObjects,
  stringifyWireValue,
  tooDeepError,
  WireValueError,
  wireDepthExceeds,
} from './wire-value.ts'
