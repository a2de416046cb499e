import { describe, expect, it, vi } from 'vitest'
import { createFramer } from './create-framer.ts'

vi.mock('react', () => ({}))

describe('passthrough framing', () => {
  it('makes every piece a frame for "frames" and "text", skipping empty ones', () => {
    for (const framing of ['frames', 'text'] as const) {
      const framer = createFramer(framing)
      expect(framer.push('{"a":\n1}')).toEqual([{ data: '{"a":\n1}' }])
      expect(framer.push('')).toEqual([])
      expect(framer.end()).toEqual([])
    }
  })
})
