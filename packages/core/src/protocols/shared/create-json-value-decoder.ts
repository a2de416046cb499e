/**
 * The frame loop shared by protocols whose every frame is one whole JSON value (Gemini SSE
 * chunks, Ollama NDJSON lines): parse, hand the value to the protocol's state, and tell a
 * malformed last frame (cut off by the end of the body) from a malformed frame in the middle.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageError } from '../../message.ts'
import type { Frame, ProtocolDecoder } from '../../protocol.ts'
import { parseJsonFrame } from '../json-frame.ts'

/** What a protocol's decoder state gives {@link createJsonValueDecoder}. */
export interface JsonValueDecoderState {
  /** Whether the stream has ended (finished, failed or interrupted); later frames are ignored. */
  readonly isTerminal: boolean
  /** The events of one parsed frame. */
  value(value: unknown): ChatEvent[]
  /** End the message with `error` (a `message-error`). */
  fail(error: MessageError): ChatEvent[]
  /** The events at the end of the body; `reason` says why the stream is incomplete, if known. */
  end(reason?: string): ChatEvent[]
}

/**
 * A {@link ProtocolDecoder} over `state`. Blank frames (a trailing newline, keep-alives) carry
 * nothing. A malformed frame followed by more frames is a broken stream: a `message-error`. A
 * malformed frame that is the last one is a frame cut off by the end of the body (the framer
 * flushes an unterminated line at the end): `end()` reports the stream as interrupted.
 *
 * @example
 * ```ts
 * const decoder = createJsonValueDecoder(new OllamaDecoderState(options), 'Ollama')
 * decoder.decode({ data: '{"message":{"role":"assistant","content":"Hi"},"done":false}' })
 * ```
 */
export function createJsonValueDecoder(state: JsonValueDecoderState, protocolName: string): ProtocolDecoder {
  let malformed: MessageError | undefined
  return {
    decode(frame: Frame): ChatEvent[] {
      if (frame.data.trim() === '' || state.isTerminal) return []
      if (malformed !== undefined) return state.fail(malformed)
      const parsed = parseJsonFrame(frame.data, protocolName)
      if (parsed.ok) return state.value(parsed.value)
      malformed = parsed.error
      return []
    },
    end: () => state.end(malformed === undefined ? undefined : 'its last frame was cut off'),
  }
}
