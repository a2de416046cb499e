import type { Frame } from '../protocol.ts'

/**
 * Cuts decoded text into frames. Holds at most one unfinished line or event; never does I/O.
 *
 * @example
 * ```ts
 * const framer = createFramer('ndjson')
 * framer.push('{"a":1}\n{"b"') // [{ data: '{"a":1}' }]
 * framer.push(':2}\n') // [{ data: '{"b":2}' }]
 * framer.end() // []
 * ```
 */
export interface Framer {
  /** Feed the next piece of decoded text; returns the frames it completed. Throws a `StreamFramingError` on overflow. */
  push(text: string): Frame[]
  /** The source ended: returns the frames still buffered (an unterminated last line or event). */
  end(): Frame[]
}

/** The default cap on one unfinished line or event: 8 MiB of characters. */
export const defaultMaxBufferSize = 8 * 1024 * 1024

/** Options every framer takes. */
export interface FramerOptions {
  /**
   * The most characters one unfinished line (or, for SSE, one unfinished event) may hold before
   * framing fails with a `StreamFramingError` (`buffer-overflow`). Default 8 MiB.
   */
  maxBufferSize?: number
  /** SSE only: called with each `retry:` value (milliseconds). Invalid values are ignored, as WHATWG says. */
  onRetry?: (milliseconds: number) => void
  /**
   * SSE only: collect lines that are not SSE fields (WHATWG ignores them) and deliver them,
   * joined with `\n`, as one frame with `raw: true` before the next event or at the end.
   */
  rawLines?: boolean
  /** SSE only: called with each comment line (keep-alives such as `: OPENROUTER PROCESSING`). */
  onComment?: (comment: string) => void
}
