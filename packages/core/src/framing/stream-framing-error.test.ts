import { describe, expect, it, vi } from 'vitest'
import { createFramer } from './create-framer.ts'
import { StreamFramingError } from './stream-framing-error.ts'

vi.mock('react', () => ({}))

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

describe('framing buffer cap', () => {
  it('fails an SSE line that never ends with a typed error, keeping the frames before it', () => {
    const framer = createFramer('sse', { maxBufferSize: 100 })
    const error = catchError(() => framer.push(`data: ok\n\ndata: ${'x'.repeat(200)}`))
    expect(error).toBeInstanceOf(StreamFramingError)
    expect((error as StreamFramingError).code).toBe('buffer-overflow')
    expect((error as StreamFramingError).framing).toBe('sse')
    expect((error as StreamFramingError).frames).toEqual([{ data: 'ok' }])
    expect((error as StreamFramingError).message).toContain('maxBufferSize')
    // The framer stays failed: nothing after the overflow is trusted.
    expect(() => framer.push('data: more\n\n')).toThrow(StreamFramingError)
  })

  it('fails an SSE event whose data lines never meet a blank line, arriving in small chunks', () => {
    const framer = createFramer('sse', { maxBufferSize: 1000 })
    const error = catchError(() => {
      for (let index = 0; index < 200; index += 1) framer.push('data: 0123456789\n')
    })
    expect(error).toBeInstanceOf(StreamFramingError)
    expect((error as StreamFramingError).code).toBe('buffer-overflow')
  })

  it('fails an NDJSON line that never ends, whether it comes whole or a piece at a time', () => {
    const whole = createFramer('ndjson', { maxBufferSize: 100 })
    const wholeError = catchError(() => whole.push(`{"a":1}\n${'x'.repeat(101)}`))
    expect(wholeError).toBeInstanceOf(StreamFramingError)
    expect((wholeError as StreamFramingError).frames).toEqual([{ data: '{"a":1}' }])

    const pieces = createFramer('ndjson', { maxBufferSize: 100 })
    const piecesError = catchError(() => {
      for (let index = 0; index < 20; index += 1) pieces.push('0123456789')
    })
    expect((piecesError as StreamFramingError).code).toBe('buffer-overflow')
  })

  it('accepts lines up to the cap', () => {
    const framer = createFramer('ndjson', { maxBufferSize: 100 })
    expect(framer.push('x'.repeat(100))).toEqual([])
    expect(framer.push('\n')).toEqual([{ data: 'x'.repeat(100) }])
  })

  it('defaults to an 8 MiB cap', () => {
    const framer = createFramer('ndjson')
    expect(framer.push('x'.repeat(8 * 1024 * 1024))).toEqual([])
    expect(() => framer.push('x')).toThrow(StreamFramingError)
  })
})
