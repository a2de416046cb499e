import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { declaredLength, formatBytes, readCappedBody } from './read-capped-body.ts'

/** A response whose body arrives in the given chunks, recording whether it was cancelled. */
function chunkedResponse(chunks: readonly Uint8Array[], headers: Record<string, string> = {}) {
  let index = 0
  let pulled = 0
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++
      const chunk = chunks[index++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
    cancel() {
      cancelled = true
    },
  })
  return {
    response: new Response(body, { headers }),
    get pulled() {
      return pulled
    },
    get cancelled() {
      return cancelled
    },
  }
}

/** Cut `bytes` at the given offsets. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point))
    start = Math.max(start, point)
  }
  return chunks
}

describe('readCappedBody', () => {
  it('reads a body under the cap whole, however it is chunked (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (text, offsets) => {
          const bytes = new TextEncoder().encode(text)
          const body = await readCappedBody(chunkedResponse(cut(bytes, offsets)).response, bytes.length + 1)
          expect(body).toEqual({ text, bytes: bytes.length, truncated: false })
        },
      ),
    )
  })

  it('never keeps more than the cap, keeps a prefix, and cancels the rest (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.nat(),
        async (text, offsets, capSeed) => {
          const bytes = new TextEncoder().encode(text)
          const cap = capSeed % bytes.length
          const source = chunkedResponse(cut(bytes, offsets))
          const body = await readCappedBody(source.response, cap)
          expect(body.truncated).toBe(true)
          expect(body.bytes).toBeLessThanOrEqual(cap)
          // A character cut by the cap is dropped, never turned into U+FFFD.
          expect(text.startsWith(body.text)).toBe(true)
          expect(source.cancelled).toBe(true)
        },
      ),
    )
  })

  it('stops pulling at the cap: a huge body is never read', async () => {
    const chunk = new Uint8Array(64 * 1024)
    const source = chunkedResponse(Array.from({ length: 3200 }, () => chunk))
    const body = await readCappedBody(source.response, 128 * 1024)
    expect(body).toMatchObject({ bytes: 128 * 1024, truncated: true })
    expect(source.pulled).toBeLessThan(10)
  })

  it('a body exactly at the cap is not truncated', async () => {
    const body = await readCappedBody(new Response('abcd'), 4)
    expect(body).toEqual({ text: 'abcd', bytes: 4, truncated: false })
  })

  it('a failed read rejects', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('socket hang up'))
      },
    })
    await expect(readCappedBody(new Response(body), 100)).rejects.toThrow('socket hang up')
  })
})

describe('declaredLength', () => {
  it('reads Content-Length, but not for a compressed body', () => {
    expect(declaredLength(new Response('', { headers: { 'content-length': '42' } }))).toBe(42)
    expect(
      declaredLength(new Response('', { headers: { 'content-length': '42', 'content-encoding': 'gzip' } })),
    ).toBeUndefined()
    expect(declaredLength(new Response('', { headers: { 'content-length': '4x' } }))).toBeUndefined()
  })
})

describe('formatBytes', () => {
  it('names bytes, KiB and MiB', () => {
    expect(formatBytes(64)).toBe('64 B')
    expect(formatBytes(64 * 1024)).toBe('64 KiB')
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB')
  })
})
