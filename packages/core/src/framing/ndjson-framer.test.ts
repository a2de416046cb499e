import { describe, expect, it, vi } from 'vitest'
import type { Frame } from '../protocol.ts'
import { createFramer } from './create-framer.ts'
import { createTextChunkDecoder } from './create-text-chunk-decoder.ts'

vi.mock('react', () => ({}))

const encoder = new TextEncoder()

function frameChunks(chunks: readonly (Uint8Array | string)[]): Frame[] {
  const decoder = createTextChunkDecoder()
  const framer = createFramer('ndjson')
  const frames: Frame[] = []
  for (const chunk of chunks) frames.push(...framer.push(decoder.decode(chunk)))
  frames.push(...framer.push(decoder.end()), ...framer.end())
  return frames
}

function frameEveryWay(body: string): Frame[] {
  const bytes = encoder.encode(body)
  const whole = frameChunks([bytes])
  expect(frameChunks(Array.from(bytes, (byte) => new Uint8Array([byte])))).toEqual(whole)
  for (let split = 1; split < bytes.length; split += 1) {
    expect(frameChunks([bytes.subarray(0, split), bytes.subarray(split)])).toEqual(whole)
  }
  return whole
}

describe('NDJSON framing', () => {
  it('makes one frame per line', () => {
    expect(frameEveryWay('{"a":1}\n{"b":2}\n')).toEqual([{ data: '{"a":1}' }, { data: '{"b":2}' }])
  })

  it('skips blank and whitespace-only lines', () => {
    expect(frameEveryWay('\n{"a":1}\n\n  \n\t\r\n{"b":2}\n\n')).toEqual([
      { data: '{"a":1}' },
      { data: '{"b":2}' },
    ])
  })

  it('drops the CR of CRLF line ends', () => {
    expect(frameEveryWay('{"a":1}\r\n{"b":2}\r\n')).toEqual([{ data: '{"a":1}' }, { data: '{"b":2}' }])
  })

  it('flushes a last line without a line break at the end', () => {
    expect(frameEveryWay('{"a":1}\n{"done":true}')).toEqual([{ data: '{"a":1}' }, { data: '{"done":true}' }])
    expect(frameEveryWay('{"done":true}\r')).toEqual([{ data: '{"done":true}' }])
  })

  it('keeps multi-byte characters split at every byte', () => {
    expect(frameEveryWay('{"content":"é中😀"}\n{"content":"ok"}\n')).toEqual([
      { data: '{"content":"é中😀"}' },
      { data: '{"content":"ok"}' },
    ])
  })

  it('returns each line as soon as its line break arrives', () => {
    const framer = createFramer('ndjson')
    expect(framer.push('{"a"')).toEqual([])
    expect(framer.push(':1}\n{"b"')).toEqual([{ data: '{"a":1}' }])
    expect(framer.push(':2}\n')).toEqual([{ data: '{"b":2}' }])
    expect(framer.end()).toEqual([])
  })
})
