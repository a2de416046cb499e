/**
 * Test helper: encoded frames back through the wire to events, the way a client receives them.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { DecoderOptions, Frame, Framing, Protocol } from '../../protocol.ts'
import { cutBytes } from './cut-bytes.ts'

/**
 * Frames → wire text in `framing` → bytes cut at `cuts` → framer → `protocol`'s decoder → events.
 * With `framing: 'frames'` (a WebSocket) each frame stays whole: messages are never split.
 *
 * @example
 * ```ts
 * const events = decodeWire(streamDeltaProtocol, encodeFrames(streamDeltaCodec, events), 'ndjson', [3, 17])
 * ```
 */
export function decodeWire(
  protocol: Protocol,
  frames: readonly Frame[],
  framing: Framing,
  cuts: readonly number[],
  options?: DecoderOptions,
): ChatEvent[] {
  const text = createTextChunkDecoder()
  const framer = createFramer(framing)
  const decoder = protocol.createDecoder(options)
  const events: ChatEvent[] = []
  if (framing === 'frames') for (const frame of frames) events.push(...decoder.decode({ data: frame.data }))
  else {
    for (const chunk of cutBytes(serializeFrames(frames, framing), cuts)) {
      for (const frame of framer.push(text.decode(chunk))) events.push(...decoder.decode(frame))
    }
    for (const frame of framer.end()) events.push(...decoder.decode(frame))
  }
  events.push(...decoder.end())
  return events
}
