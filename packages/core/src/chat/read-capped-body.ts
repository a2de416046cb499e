/**
 * Reading a whole response body (an error body, a JSON answer) without trusting its size: at
 * most `maxBytes` are kept, the rest is never read (the body is cancelled, so the connection is
 * released). {@link declaredLength} lets a caller refuse a `Content-Length` over its cap before
 * reading a byte.
 *
 * @example
 * ```ts
 * const body = await readCappedBody(response, 64 * 1024)
 * if (body.truncated) console.warn(`only the first ${body.text.length} characters were read`)
 * ```
 * @module
 */

/** What {@link readCappedBody} read. */
export interface CappedBody {
  /** The body (or its first `maxBytes`) decoded as UTF-8. */
  text: string
  /** Bytes kept (at most `maxBytes`). */
  bytes: number
  /** True when the body was longer than `maxBytes` (or said so in `Content-Length`). */
  truncated: boolean
}

/** Options of {@link readCappedBody}. */
export interface ReadCappedBodyOptions {
  /**
   * Called for every chunk, before it is kept: a transport's idle timer, the observer's `byte()`.
   */
  onChunk?: () => void
  /**
   * Wraps each `reader.read()`: a transport races it against its timeouts. Default: the read as is.
   */
  read?: (reader: ReadableStreamDefaultReader<Uint8Array>) => Promise<ReadableStreamReadResult<Uint8Array>>
}

/**
 * The declared length of a response, when it has a valid `Content-Length` and no
 * `Content-Encoding` (a compressed body's length says nothing about the decoded size).
 *
 * @example
 * ```ts
 * declaredLength(new Response('abc', { headers: { 'content-length': '3' } })) // 3
 * ```
 */
export function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding')
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined
  const value = response.headers.get('content-length')
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined
  return Number(value)
}

/**
 * Read at most `maxBytes` of `response`'s body. The body is cancelled once the cap is reached,
 * so a 200 MB body costs at most `maxBytes` of memory. A failed read rejects (the body is
 * cancelled); the caller decides what a cut body means.
 *
 * @example
 * ```ts
 * const { text, truncated } = await readCappedBody(new Response('x'.repeat(100)), 10)
 * // text === 'xxxxxxxxxx', truncated === true
 * ```
 */
export async function readCappedBody(
  response: Response,
  maxBytes: number,
  options: ReadCappedBodyOptions = {},
): Promise<CappedBody> {
  const body = response.body
  if (body === null) return { text: '', bytes: 0, truncated: false }
  const reader = body.getReader()
  const read = options.read ?? ((current) => current.read())
  const decoder = new TextDecoder()
  const pieces: string[] = []
  let bytes = 0
  let truncated = false
  let done = false
  try {
    while (bytes < maxBytes) {
      const result = await read(reader)
      if (result.done) {
        done = true
        break
      }
      options.onChunk?.()
      const chunk = result.value
      const room = maxBytes - bytes
      const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk
      if (kept !== chunk) truncated = true
      bytes += kept.byteLength
      pieces.push(decoder.decode(kept, { stream: true }))
    }
    if (!done && !truncated) {
      // Exactly at the cap: one more read tells a body that ends here from a longer one.
      const result = await read(reader)
      if (result.done) done = true
      else truncated = true
    }
  } finally {
    if (!done) reader.cancel().catch(() => {})
  }
  // A character cut by the cap is dropped rather than shown as U+FFFD.
  if (!truncated) pieces.push(decoder.decode())
  const declared = declaredLength(response)
  return {
    text: pieces.join(''),
    bytes,
    truncated: truncated || (declared !== undefined && declared > bytes),
  }
}

/**
 * A byte count for messages: `512 B`, `64 KiB`, `16 MiB`.
 *
 * @example
 * ```ts
 * formatBytes(16 * 1024 * 1024) // '16 MiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`
}
