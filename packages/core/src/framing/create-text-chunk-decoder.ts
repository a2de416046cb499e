/**
 * Turns a stream of byte (or string) chunks into text, keeping characters whole across chunks.
 *
 * @example
 * ```ts
 * const decoder = createTextChunkDecoder()
 * decoder.decode(new Uint8Array([0xc3])) // '' (half of "é" is held back)
 * decoder.decode(new Uint8Array([0xa9])) // 'é'
 * decoder.end() // ''
 * ```
 */
export interface TextChunkDecoder {
  /** Decode the next chunk. Bytes of a character split across chunks are held until it is complete. */
  decode(chunk: Uint8Array | string): string
  /** The source ended: returns what is still held (an incomplete character becomes U+FFFD). */
  end(): string
}

const byteOrderMark = '\uFEFF'

/**
 * A streaming UTF-8 decoder for mixed `Uint8Array` and `string` chunks.
 *
 * One byte order mark at the very start of the stream is dropped, whether it came as bytes or
 * as text (WHATWG "UTF-8 decode" strips exactly one; a second one is content). Strings pass
 * through as they are, after any bytes still held are flushed.
 *
 * @example
 * ```ts
 * const decoder = createTextChunkDecoder()
 * const bytes = new TextEncoder().encode('data: héllo\n\n')
 * let text = ''
 * for (const byte of bytes) text += decoder.decode(new Uint8Array([byte]))
 * text += decoder.end() // 'data: héllo\n\n'
 * ```
 */
export function createTextChunkDecoder(): TextChunkDecoder {
  // ignoreBOM keeps the BOM in the output so that one rule (below) drops it for bytes and strings alike.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  let holdsBytes = false
  let atStart = true

  function stripLeadingMark(text: string): string {
    if (!atStart || text === '') return text
    atStart = false
    return text.charCodeAt(0) === 0xfeff ? text.slice(byteOrderMark.length) : text
  }

  return {
    decode(chunk) {
      if (typeof chunk === 'string') {
        // A string after bytes: the held bytes were an incomplete character; flush them first.
        const held = holdsBytes ? decoder.decode() : ''
        holdsBytes = false
        return stripLeadingMark(held + chunk)
      }
      holdsBytes = true
      return stripLeadingMark(decoder.decode(chunk, { stream: true }))
    },
    end() {
      if (!holdsBytes) return ''
      holdsBytes = false
      return stripLeadingMark(decoder.decode())
    },
  }
}
