/**
 * Test helper: the events a protocol's decoder gives for a body that arrives in chunks, through
 * the real text decoder and framer (the path `readChatEvents` takes), ended with `end()`.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import type { Framing, ProtocolDecoder } from '../../protocol.ts'

/**
 * Decode `chunks` (bytes, or strings the text decoder passes through) with a fresh decoder of
 * `protocol`, framed with `framing` (the protocol's own by default).
 *
 * @example
 * ```ts
 * const events = decodeChunks(anthropicProtocol, ['event: message_stop\ndata: {"type":"message_stop"}\n\n'])
 * ```
 */
export function decodeChunks<Options>(
  protocol: { framing: Framing; createDecoder(options?: Options): ProtocolDecoder },
  chunks: Iterable<Uint8Array | string>,
  options?: Options,
  framing: Framing = protocol.framing,
): ChatEvent[] {
  const text = createTextChunkDecoder()
  const framer = createFramer(framing)
  const decoder = protocol.createDecoder(options)
  const events: ChatEvent[] = []
  for (const chunk of chunks)
    for (const frame of framer.push(text.decode(chunk))) events.push(...decoder.decode(frame))
  for (const frame of [...framer.push(text.end()), ...framer.end()]) events.push(...decoder.decode(frame))
  events.push(...decoder.end())
  return events
}
