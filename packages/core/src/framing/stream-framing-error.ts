import type { Frame, Framing } from '../protocol.ts'

/** Why framing failed. `buffer-overflow`: a line or event grew past the buffer cap without ending. */
export type StreamFramingErrorCode = 'buffer-overflow'

/**
 * Framing could not cut the stream into frames. Thrown instead of buffering without limit, so a
 * server that never sends a line break (or a blank line, for SSE) cannot exhaust memory.
 *
 * `frames` holds the frames that were complete before the failure in the same push, so a caller
 * can still decode them and keep the partial answer.
 *
 * @example
 * ```ts
 * try {
 *   framer.push(chunk)
 * } catch (error) {
 *   if (error instanceof StreamFramingError && error.code === 'buffer-overflow') {
 *     console.warn(error.message) // says which framing, how big the buffer got, how to raise the cap
 *   }
 * }
 * ```
 */
export class StreamFramingError extends Error {
  override readonly name = 'StreamFramingError'
  /** What went wrong, for programs. */
  readonly code: StreamFramingErrorCode
  /** The framing in use. */
  readonly framing: Framing
  /** Frames completed before the failure, in order. */
  readonly frames: readonly Frame[]

  constructor(
    message: string,
    options: { code: StreamFramingErrorCode; framing: Framing; frames?: readonly Frame[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.framing = options.framing
    this.frames = options.frames ?? []
  }
}

/**
 * The error for a line or event that outgrew the cap.
 *
 * @example
 * ```ts
 * throw bufferOverflowError('ndjson', 8 * 1024 * 1024, [])
 * ```
 */
export function bufferOverflowError(
  framing: Framing,
  maxBufferSize: number,
  frames: readonly Frame[],
  cause?: unknown,
): StreamFramingError {
  const unit = framing === 'sse' ? 'an event (no blank line)' : 'a line (no line break)'
  return new StreamFramingError(
    `The ${framing} stream sent ${unit} longer than ${maxBufferSize} characters, the framing buffer cap. ` +
      'The server is probably not speaking this framing (check the protocol and the framing option), ' +
      'or it sends very large events: raise the cap with the maxBufferSize option.',
    { code: 'buffer-overflow', framing, frames, cause },
  )
}
