import { describe, expect, it, vi } from 'vitest'
import { planStream } from './stream-plan.ts'
import type { WireFrame } from './wire-frames.ts'

vi.mock('react', () => ({}))

const frames: WireFrame[] = [
  { text: 'data: start\n\n', token: false, terminal: false },
  { text: 'data: Grüße\n\n', token: true, terminal: false },
  { text: 'data: world\n\n', token: true, terminal: false },
  { text: 'data: end\n\n', token: false, terminal: true },
]
const joined = frames.map((frame) => frame.text).join('')
const bytesOf = (plan: ReturnType<typeof planStream>) =>
  new TextDecoder().decode(new Uint8Array(plan.chunks.flatMap((chunk) => [...chunk.bytes])))

describe('planStream', () => {
  it('sends one chunk per wire event without timing, all at once', () => {
    const plan = planStream(frames, {}, {}, 'sse', { chunk: true })
    expect(plan.chunks.map((chunk) => chunk.text)).toEqual(frames.map((frame) => frame.text))
    expect(plan.chunks.every((chunk) => chunk.delay === 0)).toBe(true)
    expect(plan.ending).toBe('end')
  })

  it('delays the first byte and each token by 1000 / tokensPerSecond', () => {
    const plan = planStream(frames, { firstByte: 200, tokensPerSecond: 20 }, {}, 'sse', { chunk: true })
    expect(plan.chunks.map((chunk) => chunk.delay)).toEqual([200, 50, 50, 0])
  })

  it('drip delays every event after the first; jitter stays within ±jitter and follows the seed', () => {
    expect(
      planStream(frames, { drip: 30 }, {}, 'sse', { chunk: true }).chunks.map((chunk) => chunk.delay),
    ).toEqual([0, 30, 30, 30])
    const jittered = planStream(frames, { drip: 30, jitter: 10, seed: 5 }, {}, 'sse', { chunk: true })
    for (const chunk of jittered.chunks.slice(1)) {
      expect(chunk.delay).toBeGreaterThanOrEqual(20)
      expect(chunk.delay).toBeLessThanOrEqual(40)
    }
    const again = planStream(frames, { drip: 30, jitter: 10, seed: 5 }, {}, 'sse', { chunk: true })
    expect(again.chunks.map((chunk) => chunk.delay)).toEqual(jittered.chunks.map((chunk) => chunk.delay))
  })

  it('recuts bytes by seed across frames, keeping every byte, and the same seed gives the same cuts', () => {
    const cut = (seed: number) =>
      planStream(frames, { chunkSizes: [1, 5], seed }, {}, 'sse', { chunk: true }).chunks.map((chunk) => [
        ...chunk.bytes,
      ])
    expect(cut(1)).toEqual(cut(1))
    expect(cut(2)).not.toEqual(cut(1))
    for (const sizes of cut(1)) expect(sizes.length).toBeLessThanOrEqual(5)
    expect(bytesOf(planStream(frames, { chunkSizes: [1, 5], seed: 2 }, {}, 'sse', { chunk: true }))).toBe(
      joined,
    )
  })

  it('a stall stops before the end by default; a disconnect earlier wins', () => {
    const stalled = planStream(frames, {}, { stall: {} }, 'sse', { chunk: true })
    expect(stalled.ending).toBe('stall')
    expect(stalled.chunks).toHaveLength(3)
    const dropped = planStream(
      frames,
      {},
      { stall: {}, disconnect: { afterEvents: 1, mode: 'error' } },
      'sse',
      {
        chunk: true,
      },
    )
    expect(dropped.ending).toBe('error')
    expect(dropped.chunks.map((chunk) => chunk.text)).toEqual(['data: start\n\n'])
  })

  it('inserts a frame with cut-off JSON after the given number of events', () => {
    const plan = planStream(frames, {}, { malformedFrame: { afterEvents: 1 } }, 'ndjson', { chunk: true })
    expect(plan.chunks[1]?.text).toBe('{"message":{"content":"unterminated\n')
    expect(() => JSON.parse(plan.chunks[1]!.text)).toThrow()
  })
})
