import { describe, expect, it, vi } from 'vitest'
import { createTextChunkDecoder } from './create-text-chunk-decoder.ts'

vi.mock('react', () => ({}))

const text = 'a é 中 😀 z'
const bytes = new TextEncoder().encode(text)

function decodeAll(chunks: readonly (Uint8Array | string)[]): string {
  const decoder = createTextChunkDecoder()
  let result = ''
  for (const chunk of chunks) result += decoder.decode(chunk)
  return result + decoder.end()
}

describe('createTextChunkDecoder', () => {
  it('keeps characters whole when the bytes are split at any position', () => {
    for (let split = 0; split <= bytes.length; split += 1) {
      expect(decodeAll([bytes.subarray(0, split), bytes.subarray(split)])).toBe(text)
    }
    expect(decodeAll(Array.from(bytes, (byte) => new Uint8Array([byte])))).toBe(text)
  })

  it('holds back an incomplete character until its last byte arrives', () => {
    const decoder = createTextChunkDecoder()
    const emoji = new TextEncoder().encode('😀')
    expect(decoder.decode(emoji.subarray(0, 3))).toBe('')
    expect(decoder.decode(emoji.subarray(3))).toBe('😀')
  })

  it('accepts string chunks, mixed with bytes', () => {
    expect(decodeAll(['a ', new TextEncoder().encode('é'), ' b'])).toBe('a é b')
  })

  it('turns an incomplete character at the end into U+FFFD instead of dropping it', () => {
    expect(decodeAll([new Uint8Array([0x61, 0xe4, 0xb8])])).toBe('a\uFFFD')
  })

  it('drops one byte order mark at the start only', () => {
    expect(decodeAll([new Uint8Array([0xef]), new Uint8Array([0xbb, 0xbf, 0x61])])).toBe('a')
    expect(decodeAll(['\uFEFF\uFEFFa'])).toBe('\uFEFFa')
    expect(decodeAll(['a\uFEFF'])).toBe('a\uFEFF')
  })
})
