import { describe, expect, it, vi } from 'vitest'
import type { Frame } from '../protocol.ts'
import { createFramer } from './create-framer.ts'
import { serializeFrame, serializeFrames } from './serialize-frame.ts'

vi.mock('react', () => ({}))

describe('serializeFrame', () => {
  it('writes SSE with event, id and one data line per line', () => {
    expect(serializeFrame({ event: 'message_start', id: '1', data: 'a\nb' }, 'sse')).toBe(
      'event: message_start\nid: 1\ndata: a\ndata: b\n\n',
    )
    expect(serializeFrame({ data: '[DONE]' }, 'sse')).toBe('data: [DONE]\n\n')
  })

  it('writes NDJSON lines and passes frames and text through', () => {
    expect(serializeFrame({ data: '{"a":1}' }, 'ndjson')).toBe('{"a":1}\n')
    expect(serializeFrame({ data: '{"a":1}' }, 'frames')).toBe('{"a":1}')
    expect(serializeFrame({ data: 'Hi' }, 'text')).toBe('Hi')
  })

  it('round-trips through the framer', () => {
    const frames: Frame[] = [
      { event: 'x', data: ' leading space and\r\nCRLF' },
      { data: '' },
      { id: '9', data: '{"a":"é"}' },
    ]
    const framer = createFramer('sse')
    expect([...framer.push(serializeFrames(frames, 'sse')), ...framer.end()]).toEqual([
      { event: 'x', data: ' leading space and\nCRLF' },
      { data: '' },
      { id: '9', data: '{"a":"é"}' },
    ])
    const ndjson = createFramer('ndjson')
    expect([
      ...ndjson.push(serializeFrames([{ data: '{"a":1}' }, { data: '{"b":2}' }], 'ndjson')),
      ...ndjson.end(),
    ]).toEqual([{ data: '{"a":1}' }, { data: '{"b":2}' }])
  })
})
