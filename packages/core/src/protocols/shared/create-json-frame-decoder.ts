/**
 * The frame loop of every protocol whose frames are JSON values: parse, hand the value to the
 * protocol's mapping, apply the one policy for a malformed frame, and turn any exception inside
 * the mapping into a `message-error` that keeps the partial answer.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageError } from '../../message.ts'
import type { Frame, ProtocolDecoder } from '../../protocol.ts'
import { parseJsonFrame } from '../json-frame.ts'
import type { MessageEmitter } from './create-message-emitter.ts'
import { WireValueError } from './wire-value.ts'

/** The wire mapping a protocol gives {@link createJsonFrameDecoder}. Every method pushes into the message. */
export interface JsonFrameMapping {
  /** One parsed frame. `frame` is absent when the value comes from a whole JSON body (`replayJsonBody`). */
  value(value: unknown, frame: Frame | undefined): void
  /**
   * A frame to handle before parsing (`data: [DONE]`, an `event: error` whatever its payload):
   * return `true` when it was handled.
   */
  literal?(frame: Frame): boolean
  /**
   * The source ended and the message has not. `cutOff` says the last frame was malformed (cut
   * by the end of the body). Usually `message.endOfSource(…)` with what the wire was missing.
   */
  endOfSource(cutOff: boolean): void
  /** What the end of a whole JSON body means (`replayJsonBody`); default: `endOfSource(false)`. */
  endOfBody?(): void
  /**
   * Frames after a `complete` end still reach `value` (which may `reopen` the message, as
   * AG-UI's next `RUN_STARTED` does). Default: everything after the end is ignored.
   */
  continuesAfterEnd?: boolean
}

/**
 * What the frame loop drives: the one message of a response (a {@link MessageEmitter}), or, for a
 * wire that carries many messages on one connection (`message-events`), anything with the same
 * members. A target that is never terminal lives on after a malformed frame: `fail` reported it,
 * and the frames after it are read.
 */
export type FrameTarget = Pick<MessageEmitter, 'isTerminal' | 'isComplete' | 'fail' | 'take'>

/** A {@link ProtocolDecoder} that also takes already parsed values (a whole JSON body replayed). */
export interface JsonFrameDecoder extends ProtocolDecoder {
  /** Decode one parsed value as if it had been a frame. */
  decodeValue(value: unknown): ChatEvent[]
  /** A whole JSON body ended (see {@link JsonFrameMapping.endOfBody}). */
  endOfBody(): ChatEvent[]
}

/**
 * The `message-error` for an exception thrown inside a decoder: a {@link WireValueError} keeps
 * its own code and words; anything else is a bug or a value the mapping did not foresee.
 *
 * @example
 * ```ts
 * decoderFailure('anthropic', new TypeError('x is undefined'))
 * // { code: 'decoder-error', message: 'The anthropic decoder failed on a frame (TypeError: x is undefined); …' }
 * ```
 */
export function decoderFailure(protocolName: string, error: unknown): MessageError {
  if (error instanceof WireValueError) return { code: error.code, message: error.message }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return {
    code: 'decoder-error',
    message: `The ${protocolName} decoder failed on a frame (${reason}); the answer so far is kept. Check that the endpoint speaks the ${protocolName} protocol, and report the frame to Sluice if it does.`,
  }
}

/**
 * A decoder over `mapping` for the message `message` (or any {@link FrameTarget}).
 *
 * - Blank frames (keep-alives, a trailing newline) carry nothing.
 * - A frame that is not JSON is held: if another frame follows, the stream is broken and the
 *   message ends `error` with the parse error; if it was the last frame, the end of the body cut
 *   it, and `endOfSource(true)` decides (interrupted, keeping the text, or complete when the
 *   finish was already seen).
 * - Frames after the message ended are ignored (with `continuesAfterEnd`, only after an error, interrupt or abort).
 * - An exception thrown by the mapping ends the message `error` ({@link decoderFailure}); the
 *   events queued before it are kept.
 *
 * @example
 * ```ts
 * const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId: 'ollama-response' })
 * const decoder = createJsonFrameDecoder(message, 'Ollama', {
 *   value(value) {
 *     if (isRecord(value) && value.done === true) message.end({ finishReason: 'stop' })
 *   },
 *   endOfSource: (cutOff) =>
 *     message.endOfSource(`The Ollama stream ended before "done": true${cutOff ? ' (its last line was cut off)' : ''}.`),
 * })
 * decoder.decode({ data: '{"done":true}' }) // [message-start, message-end]
 * ```
 */
export function createJsonFrameDecoder(
  message: FrameTarget,
  protocolName: string,
  mapping: JsonFrameMapping,
): JsonFrameDecoder {
  let malformed: MessageError | undefined
  /** The message ended and the wire cannot continue it: frames are ignored. */
  const closed = (): boolean =>
    message.isTerminal && !(mapping.continuesAfterEnd === true && message.isComplete)

  function guarded(run: () => void): ChatEvent[] {
    try {
      run()
    } catch (error) {
      message.fail(decoderFailure(protocolName, error))
    }
    return message.take()
  }

  return {
    decode(frame: Frame): ChatEvent[] {
      if (closed()) return []
      return guarded(() => {
        const blank = frame.data.trim() === ''
        if (malformed !== undefined && !blank) {
          // A frame followed the malformed one, so it was not a tail cut by the end of the body.
          message.fail(malformed)
          if (message.isTerminal) return
          // A target of many messages lives on: the error is reported, this frame is read.
          malformed = undefined
        }
        if (mapping.literal?.(frame) === true || blank) return
        const parsed = parseJsonFrame(frame.data, protocolName)
        if (parsed.ok) mapping.value(parsed.value, frame)
        else malformed = parsed.error
      })
    },
    decodeValue(value: unknown): ChatEvent[] {
      if (closed()) return []
      return guarded(() => mapping.value(value, undefined))
    },
    end(): ChatEvent[] {
      if (message.isTerminal) return message.take()
      return guarded(() => mapping.endOfSource(malformed !== undefined))
    },
    endOfBody(): ChatEvent[] {
      if (message.isTerminal) return message.take()
      return guarded(() => (mapping.endOfBody ?? (() => mapping.endOfSource(false)))())
    },
  }
}

/**
 * Decode a whole (non-streaming) JSON body by replaying it as the frames that would have
 * streamed it, so the stream and the body share one mapping. `values` are those frames, already
 * as values (never re-serialized, so a deep value cannot overflow `JSON.stringify` on the way).
 *
 * @example
 * ```ts
 * const decoder = createAnthropicDecoder({ messageId })
 * replayJsonBody(decoder, [{ type: 'message_start', message: body }, { type: 'message_stop' }])
 * ```
 */
export function replayJsonBody(decoder: JsonFrameDecoder, values: Iterable<unknown>): ChatEvent[] {
  const events: ChatEvent[] = []
  for (const value of values) for (const event of decoder.decodeValue(value)) events.push(event)
  for (const event of decoder.endOfBody()) events.push(event)
  return events
}
