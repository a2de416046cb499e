import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from './events.ts'
import { createInlineTagTransform, stripInlineTags } from './inline-tags.ts'

vi.mock('react', () => ({}))

type Piece =
  | { kind: 'text'; id: string; text: string }
  | { kind: 'reasoning'; id: string; text: string }
  | { kind: 'tool-call'; id: string; name: string; input: unknown }

/**
 * What a user sees from the events: the pieces in order. Also checks the events are well formed:
 * every delta belongs to an open block, every block is closed once.
 */
function pieces(events: readonly ChatEvent[]): Piece[] {
  const result: Piece[] = []
  const open = new Set<string>()
  for (const event of events) {
    switch (event.type) {
      case 'text-start':
      case 'reasoning-start':
        expect(open.has(event.id)).toBe(false)
        open.add(event.id)
        result.push({ kind: event.type === 'text-start' ? 'text' : 'reasoning', id: event.id, text: '' })
        break
      case 'text-delta':
      case 'reasoning-delta': {
        // A delta may open its block itself when the source sent no start (the reducer creates it).
        if (!open.has(event.id)) {
          expect(result.some((piece) => piece.id === event.id)).toBe(false)
          open.add(event.id)
          result.push({ kind: event.type === 'text-delta' ? 'text' : 'reasoning', id: event.id, text: '' })
        }
        const piece = result.find((candidate) => candidate.id === event.id)
        if (piece && piece.kind !== 'tool-call') piece.text += event.delta
        break
      }
      case 'text-end':
      case 'reasoning-end':
        expect(open.delete(event.id)).toBe(true)
        break
      case 'tool-call-start':
        break
      case 'tool-call-end':
        result.push({
          kind: 'tool-call',
          id: event.toolCallId,
          name: event.toolName ?? '',
          input: event.input,
        })
        break
      default:
        break
    }
  }
  expect([...open]).toEqual([])
  return result.filter((piece) => piece.kind === 'tool-call' || piece.text !== '')
}

/** Run `deltas` as one text block through the transform. */
function run(deltas: readonly string[]): ChatEvent[] {
  const transform = createInlineTagTransform()
  const events: ChatEvent[] = []
  const source: ChatEvent[] = [
    { type: 'text-start', messageId: 'm1', id: 't' },
    ...deltas.map((delta): ChatEvent => ({ type: 'text-delta', messageId: 'm1', id: 't', delta })),
    { type: 'text-end', messageId: 'm1', id: 't' },
  ]
  for (const event of source) events.push(...transform.transform(event))
  events.push(...transform.end())
  return events
}

/** The pieces of `text`, checked to be the same however the text is split into deltas. */
function piecesEveryWay(text: string): Piece[] {
  const whole = pieces(run([text]))
  expect(pieces(run([...text]))).toEqual(whole)
  for (let split = 1; split < text.length; split += 1) {
    expect(pieces(run([text.slice(0, split), text.slice(split)]))).toEqual(whole)
  }
  for (let first = 1; first < text.length; first += 3) {
    for (let second = first + 1; second < text.length; second += 2) {
      expect(pieces(run([text.slice(0, first), text.slice(first, second), text.slice(second)]))).toEqual(
        whole,
      )
    }
  }
  return whole
}

describe('inline tags', () => {
  it('turns <think>…</think> into reasoning, and the rest into text after it', () => {
    expect(piecesEveryWay('<think>\nLet me see.</think>\n\nParis.')).toEqual([
      { kind: 'reasoning', id: 't-reasoning-1', text: 'Let me see.' },
      { kind: 'text', id: 't', text: 'Paris.' },
    ])
  })

  it('turns <thinking>…</thinking> into reasoning between two text parts, in order', () => {
    expect(piecesEveryWay('Hm. <thinking>a < b</thinking>So b.')).toEqual([
      { kind: 'text', id: 't', text: 'Hm. ' },
      { kind: 'reasoning', id: 't-reasoning-1', text: 'a < b' },
      { kind: 'text', id: 't-2', text: 'So b.' },
    ])
  })

  it('turns <tool_call>{name, arguments}</tool_call> into a tool call', () => {
    expect(
      piecesEveryWay(
        'Checking. <tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
      ),
    ).toEqual([
      { kind: 'text', id: 't', text: 'Checking. ' },
      { kind: 'tool-call', id: 't-tool-call-1', name: 'get_weather', input: { city: 'Paris' } },
    ])
  })

  it('gives the tool call its input text and name on both start and end', () => {
    const events = run(['<tool_call>{"name":"add","arguments":{"a":1,"b":2}}</tool_call>'])
    expect(events).toEqual([
      { type: 'tool-call-start', messageId: 'm1', toolCallId: 't-tool-call-1', toolName: 'add' },
      {
        type: 'tool-call-end',
        messageId: 'm1',
        toolCallId: 't-tool-call-1',
        toolName: 'add',
        input: { a: 1, b: 2 },
        inputText: '{"a":1,"b":2}',
      },
    ])
  })

  it('leaves text that only looks like a tag alone', () => {
    const text = 'if a < b and <b>bold</b> or <thin air> or </think> or <tool_call without'
    expect(piecesEveryWay(text)).toEqual([{ kind: 'text', id: 't', text }])
  })

  it('flushes a held-back partial tag at text-end', () => {
    expect(piecesEveryWay('x <thi')).toEqual([{ kind: 'text', id: 't', text: 'x <thi' }])
    expect(piecesEveryWay('<think>y </thin')).toEqual([
      { kind: 'reasoning', id: 't-reasoning-1', text: 'y </thin' },
    ])
  })

  it('ends reasoning that is never closed', () => {
    expect(piecesEveryWay('<think>still thinking')).toEqual([
      { kind: 'reasoning', id: 't-reasoning-1', text: 'still thinking' },
    ])
  })

  it('gives a tool call body that is not a tool call back as text', () => {
    const text = 'a <tool_call>not json</tool_call> b'
    expect(piecesEveryWay(text)).toEqual([{ kind: 'text', id: 't', text }])
  })

  it('still reads a complete tool call whose closing tag was cut off by a stop sequence', () => {
    expect(piecesEveryWay('<tool_call>{"name":"f","arguments":"{\\"x\\":1}"}')).toEqual([
      { kind: 'tool-call', id: 't-tool-call-1', name: 'f', input: { x: 1 } },
    ])
  })

  it('emits text and reasoning at once, holding back only what may be a tag', () => {
    const transform = createInlineTagTransform()
    const delta = (text: string) =>
      transform.transform({ type: 'text-delta', messageId: 'm1', id: 't', delta: text })
    expect(delta('Hello <')).toEqual([{ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hello ' }])
    expect(delta('th')).toEqual([])
    expect(delta('ink>Hmm')).toEqual([
      { type: 'text-end', messageId: 'm1', id: 't' },
      { type: 'reasoning-start', messageId: 'm1', id: 't-reasoning-1' },
      { type: 'reasoning-delta', messageId: 'm1', id: 't-reasoning-1', delta: 'Hmm' },
    ])
    expect(delta(' more')).toEqual([
      { type: 'reasoning-delta', messageId: 'm1', id: 't-reasoning-1', delta: ' more' },
    ])
  })

  it('passes text without tags through unchanged, and other events as the same objects', () => {
    const transform = createInlineTagTransform()
    const source: ChatEvent[] = [
      { type: 'message-start', messageId: 'm1' },
      { type: 'text-start', messageId: 'm1', id: 't', refusal: true },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'No.' },
      { type: 'text-end', messageId: 'm1', id: 't', text: 'No.' },
      { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
    ]
    const events = source.flatMap((event) => transform.transform(event))
    expect(events).toEqual(source)
    expect(events[0]).toBe(source[0])
  })

  it('flushes open blocks when the message ends and strips tags from the final content', () => {
    const transform = createInlineTagTransform()
    const events = [
      ...transform.transform({ type: 'text-delta', messageId: 'm1', id: 't', delta: '<think>a' }),
      ...transform.transform({ type: 'text-delta', messageId: 'm1', id: 't', delta: '</thi' }),
      ...transform.transform({ type: 'message-end', messageId: 'm1', content: '<think>a</think> Done' }),
    ]
    expect(events.at(-2)).toEqual({ type: 'reasoning-end', messageId: 'm1', id: 't-reasoning-1' })
    expect(events.at(-1)).toEqual({ type: 'message-end', messageId: 'm1', content: 'Done' })
    expect(pieces(events.slice(0, -1))).toEqual([{ kind: 'reasoning', id: 't-reasoning-1', text: 'a</thi' }])
  })

  it('puts a source sequence number on the last event made from it only', () => {
    const transform = createInlineTagTransform()
    const events = transform.transform({
      type: 'text-delta',
      messageId: 'm1',
      id: 't',
      delta: 'a<think>b',
      sequence: 7,
    })
    expect(events.map((event) => event.sequence)).toEqual([undefined, undefined, undefined, 7])
  })

  it('reads the whole text from a text-end that had no deltas', () => {
    const transform = createInlineTagTransform()
    const events = transform.transform({
      type: 'text-end',
      messageId: 'm1',
      id: 't',
      text: '<think>r</think>ok',
    })
    expect(pieces(events)).toEqual([
      { kind: 'reasoning', id: 't-reasoning-1', text: 'r' },
      { kind: 'text', id: 't', text: 'ok' },
    ])
  })
})

describe('stripInlineTags', () => {
  it('keeps the text outside the tags', () => {
    expect(stripInlineTags('<think>Hm</think>\n\nParis.')).toBe('Paris.')
    expect(stripInlineTags('a < b')).toBe('a < b')
  })
})
