import type { Framing } from '../protocol.ts'
import type { Framer, FramerOptions } from './framer.ts'
import { createNdjsonFramer } from './ndjson-framer.ts'
import { createPassthroughFramer } from './passthrough-framer.ts'
import { createSseFramer } from './sse-framer.ts'

/**
 * A framer for the given framing: `sse`, `ndjson`, `frames` or `text`. Feed it decoded text
 * (see `createTextChunkDecoder`); for `frames`, feed each source item whole.
 *
 * @example
 * ```ts
 * const framer = createFramer('sse', { maxBufferSize: 1024 * 1024 })
 * const frames = [...framer.push('data: {"a":1}\n\n'), ...framer.end()] // [{ data: '{"a":1}' }]
 * ```
 */
export function createFramer(framing: Framing, options: FramerOptions = {}): Framer {
  switch (framing) {
    case 'sse':
      return createSseFramer(options)
    case 'ndjson':
      return createNdjsonFramer(options)
    case 'frames':
    case 'text':
      return createPassthroughFramer()
    default: {
      const unknownFraming: never = framing
      throw new TypeError(
        `Unknown framing "${String(unknownFraming)}". Use "sse", "ndjson", "frames" or "text".`,
      )
    }
  }
}
