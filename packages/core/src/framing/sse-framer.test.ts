import { describe, expect, it, vi } from 'vitest'
import type { Frame } from '../protocol.ts'
import { createFramer } from './create-framer.ts'
import { createTextChunkDecoder } from './create-text-chunk-decoder.ts'
import type { FramerOptions } from './framer.ts'

vi.mock('react', () => ({}))

const encoder = new TextEncoder()

/** Bytes → text decoder → SSE framer → frames, the way readChatEvents runs them. */
function frameChunks(chunks: readonly (Uint8Array | string)[], options: FramerOptions = {}): Frame[] {
  const decoder = createTextChunkDecoder()
  const framer = createFramer('sse', options)
  const frames: Frame[] = []
  for (const chunk of chunks) frames.push(...framer.push(decoder.decode(chunk)))
  frames.push(...framer.push(decoder.end()), ...framer.end())
  return frames
}

/** The frames of `body`, checked to be the same whole, byte by byte, and split at every position. */
function frameEveryWay(body: string | Uint8Array, options: FramerOptions = {}): Frame[] {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  const whole = frameChunks([bytes], options)
  const byteByByte = frameChunks(
    Array.from(bytes, (byte) => new Uint8Array([byte])),
    options,
  )
  expect(byteByByte).toEqual(whole)
  for (let split = 1; split < bytes.length; split += 1) {
    expect(frameChunks([bytes.subarray(0, split), bytes.subarray(split)], options)).toEqual(whole)
  }
  return whole
}

describe('SSE framing (WHATWG rules)', () => {
  it('dispatches an event at a blank line, with event and id fields', () => {
    expect(frameEveryWay('event: delta\nid: 42\ndata: {"a":1}\n\n')).toEqual([
      { event: 'delta', id: '42', data: '{"a":1}' },
    ])
  })

  it('drops one byte order mark at the start, and only one', () => {
    const mark = [0xef, 0xbb, 0xbf]
    expect(frameEveryWay(new Uint8Array([...mark, ...encoder.encode('data: a\n\n')]))).toEqual([
      { data: 'a' },
    ])
    // A second mark is part of the first field's name ("\uFEFFdata"), an unknown field: ignored.
    expect(
      frameEveryWay(new Uint8Array([...mark, ...mark, ...encoder.encode('data: a\n\ndata: b\n\n')])),
    ).toEqual([{ data: 'b' }])
    // A mark given as a string chunk is dropped too.
    expect(frameChunks(['\uFEFFdata: a\n\n'])).toEqual([{ data: 'a' }])
  })

  it('ends lines on LF, CR and CRLF alike', () => {
    const expected = [{ data: 'a\nb' }, { data: 'c' }]
    expect(frameEveryWay('data: a\ndata: b\n\ndata: c\n\n')).toEqual(expected)
    expect(frameEveryWay('data: a\rdata: b\r\rdata: c\r\r')).toEqual(expected)
    expect(frameEveryWay('data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n')).toEqual(expected)
    expect(frameEveryWay('data: a\r\ndata: b\n\rdata: c\r\n\n')).toEqual(expected)
  })

  it('reads a CRLF split across chunks as one line break, not a blank line', () => {
    expect(frameChunks(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([{ data: 'a\nb' }])
  })

  it('strips one space after the colon and no more', () => {
    expect(frameEveryWay('data:  two spaces \n\n')).toEqual([{ data: ' two spaces ' }])
    expect(frameEveryWay('data:no space\n\n')).toEqual([{ data: 'no space' }])
    expect(frameEveryWay('event:  padded\ndata: x\n\n')).toEqual([{ event: ' padded', data: 'x' }])
    expect(frameEveryWay('data:\tx\n\n')).toEqual([{ data: '\tx' }])
  })

  it('joins multi-line data with \\n, keeping empty lines', () => {
    expect(frameEveryWay('data: a\ndata:\ndata\ndata: d\n\n')).toEqual([{ data: 'a\n\n\nd' }])
    // A field with no colon is a field with an empty value: "data" alone dispatches ''.
    expect(frameEveryWay('data\n\n')).toEqual([{ data: '' }])
  })

  it('ignores comments and reports them', () => {
    const comments: string[] = []
    const frames = frameChunks([': OPENROUTER PROCESSING\n\ndata: a\n:\n\n'], {
      onComment: (comment) => comments.push(comment),
    })
    expect(frames).toEqual([{ data: 'a' }])
    expect(comments).toEqual(['OPENROUTER PROCESSING', ''])
  })

  it('ignores an id that contains NUL', () => {
    expect(frameEveryWay('id: 1\u00002\ndata: a\n\n')).toEqual([{ data: 'a' }])
    expect(frameEveryWay('id: 7\ndata: a\n\n')).toEqual([{ id: '7', data: 'a' }])
  })

  it('accepts retry with ASCII digits only', () => {
    const retries: number[] = []
    const onRetry = (milliseconds: number) => retries.push(milliseconds)
    frameChunks(['retry: 1500\n\nretry: 1.5\n\nretry: -1\n\nretry: 2s\n\nretry:\n\nretry: 20\n\n'], {
      onRetry,
    })
    expect(retries).toEqual([1500, 20])
  })

  it('does not dispatch an event without data, and resets the event name after each dispatch', () => {
    expect(frameEveryWay('event: ping\n\nid: 3\n\n')).toEqual([])
    expect(frameEveryWay('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([
      { event: 'a', data: '1' },
      { data: '2' },
    ])
  })

  it('ignores unknown fields', () => {
    expect(frameEveryWay('foo: bar\ndata: a\nDATA: b\n\n')).toEqual([{ data: 'a' }])
  })

  it('flushes the pending event at the end without a trailing blank line', () => {
    expect(frameEveryWay('data: a\n\ndata: b')).toEqual([{ data: 'a' }, { data: 'b' }])
    expect(frameEveryWay('data: a\n\ndata: b\n')).toEqual([{ data: 'a' }, { data: 'b' }])
    expect(frameEveryWay('data: a\r\n\r\nevent: e\ndata: b\r')).toEqual([
      { data: 'a' },
      { event: 'e', data: 'b' },
    ])
    expect(frameChunks([])).toEqual([])
  })

  it('keeps multi-byte characters split at every byte', () => {
    const body = 'data: {"text":"héllo 中文 😀 ǅ"}\n\ndata: ∑\n\n'
    expect(frameEveryWay(body)).toEqual([{ data: '{"text":"héllo 中文 😀 ǅ"}' }, { data: '∑' }])
  })
})

describe('lines that are not SSE', () => {
  const body = 'data: {"a":1}\n\n{\n  "error": {\n    "code": 500\n  }\n}\n'

  it('are ignored by default, as WHATWG says', () => {
    expect(frameChunks([body])).toEqual([{ data: '{"a":1}' }])
  })

  it('arrive as one raw frame, in order, when the protocol reads them (Gemini error bodies)', () => {
    const expected = [{ data: '{"a":1}' }, { data: '{\n  "error": {\n    "code": 500\n  }\n}', raw: true }]
    expect(frameChunks([body], { rawLines: true })).toEqual(expected)
    expect(frameChunks([...body], { rawLines: true })).toEqual(expected)
  })
})
