import { createParser, type ParseError } from 'eventsource-parser'
import type { Frame } from '../protocol.ts'
import { defaultMaxBufferSize, type Framer, type FramerOptions } from './framer.ts'
import { bufferOverflowError, type StreamFramingError } from './stream-framing-error.ts'

/**
 * A WHATWG server-sent events framer on top of `eventsource-parser`: lines end in CR, LF or
 * CRLF (also split across chunks), one space after the colon is stripped, `data` lines are
 * joined with `\n`, comments are ignored, an `id` containing NUL is ignored, `retry` takes digits
 * only, and an event without `data` is not dispatched.
 *
 * Two deliberate choices: the byte order mark is dropped by the text decoder (see
 * `createTextChunkDecoder`), not here; and at the end of the stream the pending event is
 * dispatched even without its blank line, because real servers end that way (Anthropic SDK
 * captures, OpenAI-compatible proxies). WHATWG would discard it.
 *
 * @example
 * ```ts
 * const framer = createSseFramer()
 * framer.push('event: ping\ndata: {}\n\ndata: a\r\ndata: b') // [{ event: 'ping', data: '{}' }]
 * framer.end() // [{ data: 'a\nb' }]
 * ```
 */
export function createSseFramer(options: FramerOptions = {}): Framer {
  const maxBufferSize = options.maxBufferSize ?? defaultMaxBufferSize
  let frames: Frame[] = []
  let overflow: ParseError | undefined
  let failure: StreamFramingError | undefined
  // Lines that are not SSE (only collected when asked): a bare JSON body appended to the stream.
  let rawLines: string[] = []
  let rawLength = 0
  function flushRawLines(): void {
    if (rawLines.length === 0) return
    frames.push({ data: rawLines.join('\n'), raw: true })
    rawLines = []
    rawLength = 0
  }

  const parser = createParser({
    maxBufferSize,
    onEvent(message) {
      flushRawLines()
      // Built field by field: with exactOptionalPropertyTypes an absent field must stay absent.
      const frame: Frame = { data: message.data }
      if (message.event !== undefined) frame.event = message.event
      if (message.id !== undefined) frame.id = message.id
      frames.push(frame)
    },
    onError(error) {
      // WHATWG: unknown fields and invalid retry values are ignored. Only overflow is fatal.
      if (error.type === 'max-buffer-size-exceeded') overflow = error
      else if (options.rawLines && error.type === 'unknown-field' && error.line !== undefined) {
        rawLines.push(error.line)
        rawLength += error.line.length
        // The same cap as for one event: an endless non-SSE body must not grow without bound.
        if (rawLength > maxBufferSize) overflow = error
      }
    },
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.onComment ? { onComment: options.onComment } : {}),
  })

  function feed(text: string): Frame[] {
    if (failure) throw failure
    parser.feed(text)
    const completed = frames
    frames = []
    if (overflow) {
      failure = bufferOverflowError('sse', maxBufferSize, completed, overflow)
      throw failure
    }
    return completed
  }

  return {
    push(text) {
      if (text === '') return []
      return feed(text)
    },
    end() {
      // Two line feeds end any unterminated line (a held CR plus LF is one CRLF) and then
      // dispatch the pending event; after a complete event they are just blank lines.
      const completed = feed('\n\n')
      flushRawLines()
      const rest = frames
      frames = []
      return [...completed, ...rest]
    },
  }
}
