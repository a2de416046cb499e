import type { Frame } from '../protocol.ts'
import { defaultMaxBufferSize, type Framer, type FramerOptions } from './framer.ts'
import { bufferOverflowError } from './stream-framing-error.ts'

/**
 * A newline-delimited JSON framer: one frame per line. Lines end in LF; a CR before the LF is
 * dropped (CRLF servers), blank and whitespace-only lines are skipped (keep-alives), and a last
 * line without a line break is flushed at the end.
 *
 * @example
 * ```ts
 * const framer = createNdjsonFramer()
 * framer.push('{"a":1}\r\n\n{"b":') // [{ data: '{"a":1}' }]
 * framer.push('2}') // []
 * framer.end() // [{ data: '{"b":2}' }]
 * ```
 */
export function createNdjsonFramer(options: FramerOptions = {}): Framer {
  const maxBufferSize = options.maxBufferSize ?? defaultMaxBufferSize
  // Pieces of the unfinished line, joined only once its LF arrives: appending to one string on
  // every chunk would copy a long line again and again when it comes a byte at a time.
  const pending: string[] = []
  let pendingLength = 0

  function pushLine(line: string, frames: Frame[]): void {
    const data = line.endsWith('\r') ? line.slice(0, -1) : line
    if (data.trim() !== '') frames.push({ data })
  }

  return {
    push(text) {
      let lineFeed = text.indexOf('\n')
      if (lineFeed === -1) {
        if (text !== '') {
          pending.push(text)
          pendingLength += text.length
          if (pendingLength > maxBufferSize) {
            pending.length = 0
            pendingLength = 0
            throw bufferOverflowError('ndjson', maxBufferSize, [])
          }
        }
        return []
      }
      const frames: Frame[] = []
      let start = 0
      if (pending.length > 0) {
        pending.push(text.slice(0, lineFeed))
        pushLine(pending.join(''), frames)
        pending.length = 0
        pendingLength = 0
        start = lineFeed + 1
        lineFeed = text.indexOf('\n', start)
      }
      while (lineFeed !== -1) {
        pushLine(text.slice(start, lineFeed), frames)
        start = lineFeed + 1
        lineFeed = text.indexOf('\n', start)
      }
      if (start < text.length) {
        const rest = text.slice(start)
        if (rest.length > maxBufferSize) throw bufferOverflowError('ndjson', maxBufferSize, frames)
        pending.push(rest)
        pendingLength = rest.length
      }
      return frames
    },
    end() {
      if (pending.length === 0) return []
      const frames: Frame[] = []
      pushLine(pending.join(''), frames)
      pending.length = 0
      pendingLength = 0
      return frames
    },
  }
}
