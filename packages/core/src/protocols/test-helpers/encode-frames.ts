/**
 * Test helper: the frames a codec's encoder writes for a whole event sequence.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Frame, ProtocolEncoder } from '../../protocol.ts'

/**
 * Encode `events` with a fresh encoder of `codec` and close it (`end()`'s frames last).
 *
 * @example
 * ```ts
 * const frames = encodeFrames(streamDeltaCodec, [{ type: 'message-start', messageId: 'a1' }])
 * ```
 */
export function encodeFrames<Options>(
  codec: { createEncoder(options?: Options): ProtocolEncoder },
  events: readonly ChatEvent[],
  options?: Options,
): Frame[] {
  const encoder = codec.createEncoder(options)
  return [...events.flatMap((event) => encoder.encode(event)), ...encoder.end()]
}
