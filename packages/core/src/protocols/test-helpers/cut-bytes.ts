/**
 * Test helper: a text's UTF-8 bytes cut into network chunks at arbitrary places.
 *
 * @module
 */

/**
 * Cut the UTF-8 bytes of `text` at `cuts` (each taken modulo the length + 1, so any natural
 * numbers a property test draws are valid positions; repeats give no empty chunk twice).
 *
 * @example
 * ```ts
 * cutBytes('héllo', [2]) // [bytes of 'h' + first byte of 'é', the rest]
 * ```
 */
export function cutBytes(text: string, cuts: readonly number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text)
  const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let previous = 0
  for (const position of [...positions, bytes.length]) {
    chunks.push(bytes.slice(previous, position))
    previous = position
  }
  return chunks
}
