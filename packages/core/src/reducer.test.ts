import { describe, expect, test, vi } from 'vitest'
import type { ChatEvent } from './events.ts'
import type { ToolCallPart } from './message.ts'
import { type ChatState, initialChatState, reduceChat } from './reducer.ts'

// Core must never need React: if anything in the reducer imported it, this empty mock would break it.
vi.mock('react', () => ({}))

const m = 'm1'
function run(events: ChatEvent[], state: ChatState = initialChatState): ChatState {
  return reduceChat(state, events)
}
function message(state: ChatState, id = m) {
  const result = state.messages[id]
  if (result === undefined) throw new Error(`no message ${id}`)
  return result
}

describe('message lifecycle', () => {
  test.each<[string, ChatEvent[], string]>([
    ['a started message is a pending placeholder', [{ type: 'message-start', messageId: m }], 'pending'],
    [
      'the first content makes it streaming',
      [
        { type: 'message-start', messageId: m },
        { type: 'text-delta', messageId: m, id: 't', delta: 'H' },
      ],
      'streaming',
    ],
    [
      'usage alone does not make it streaming',
      [
        { type: 'message-start', messageId: m },
        { type: 'usage', messageId: m, usage: { inputTokens: 3 } },
      ],
      'pending',
    ],
    [
      'message-end completes it',
      [
        { type: 'message-start', messageId: m },
        { type: 'message-end', messageId: m, finishReason: 'stop' },
      ],
      'complete',
    ],
    [
      'message-error errors it',
      [
        { type: 'message-start', messageId: m },
        { type: 'message-error', messageId: m, error: { message: 'Overloaded' } },
      ],
      'error',
    ],
    [
      'message-abort cancels it',
      [
        { type: 'message-start', messageId: m },
        { type: 'message-abort', messageId: m },
      ],
      'cancelled',
    ],
    [
      'message-interrupt interrupts it',
      [
        { type: 'message-start', messageId: m },
        { type: 'message-interrupt', messageId: m },
      ],
      'interrupted',
    ],
  ])('%s', (_name, events, status) => {
    expect(message(run(events)).status).toBe(status)
  })

  test('role defaults to assistant and can be set', () => {
    const state = run([
      { type: 'message-start', messageId: 'u', role: 'user' },
      { type: 'message-start', messageId: 'a' },
    ])
    expect(state.messageIds).toEqual(['u', 'a'])
    expect(message(state, 'u').role).toBe('user')
    expect(message(state, 'a').role).toBe('assistant')
  })

  test('text deltas append to their part, in order, and text-end closes it', () => {
    const state = run([
      { type: 'message-start', messageId: m },
      { type: 'text-start', messageId: m, id: 't' },
      { type: 'text-delta', messageId: m, id: 't', delta: 'Hel' },
      { type: 'text-delta', messageId: m, id: 't', delta: 'lo' },
      { type: 'text-end', messageId: m, id: 't' },
    ])
    expect(message(state).parts).toEqual([{ type: 'text', id: 't', text: 'Hello', state: 'done' }])
  })

  test('a delta for a part that never started creates it rather than losing text', () => {
    const state = run([{ type: 'text-delta', messageId: m, id: 't', delta: 'orphan' }])
    expect(message(state).parts).toEqual([{ type: 'text', id: 't', text: 'orphan', state: 'streaming' }])
    expect(message(state).status).toBe('streaming')
  })

  test('reasoning then text keep their order and reasoning records its times and signature', () => {
    const state = run([
      { type: 'message-start', messageId: m },
      { type: 'reasoning-delta', messageId: m, id: 'r', delta: 'Think', at: 1000 },
      { type: 'reasoning-end', messageId: m, id: 'r', signature: 'sig', at: 4000 },
      { type: 'text-delta', messageId: m, id: 't', delta: 'Answer' },
    ])
    expect(message(state).parts).toEqual([
      {
        type: 'reasoning',
        id: 'r',
        text: 'Think',
        state: 'done',
        startedAt: 1000,
        endedAt: 4000,
        signature: 'sig',
      },
      { type: 'text', id: 't', text: 'Answer', state: 'streaming' },
    ])
  })
})

describe('final replacement', () => {
  const streamed: ChatEvent[] = [
    { type: 'message-start', messageId: m },
    { type: 'reasoning-delta', messageId: m, id: 'r', delta: 'hmm' },
    { type: 'text-delta', messageId: m, id: 't', delta: 'Helo wrld' },
    { type: 'tool-call-start', messageId: m, toolCallId: 'c1', toolName: 'search' },
    { type: 'tool-call-end', messageId: m, toolCallId: 'c1', input: { q: 'x' } },
    { type: 'text-delta', messageId: m, id: 't2', delta: ' and more' },
  ]

  test('content replaces every text part with exactly the final text, keeping other parts', () => {
    const state = run([...streamed, { type: 'message-end', messageId: m, content: 'Hello world' }])
    const parts = message(state).parts
    expect(parts.filter((part) => part.type === 'text')).toEqual([
      { type: 'text', id: 't', text: 'Hello world', state: 'done' },
    ])
    expect(parts.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call'])
  })

  test('parts replace every part', () => {
    const state = run([
      ...streamed,
      { type: 'message-end', messageId: m, parts: [{ type: 'text', id: 'f', text: 'Final' }] },
    ])
    expect(message(state).parts).toEqual([{ type: 'text', id: 'f', text: 'Final' }])
  })

  test('text-end with text replaces that block', () => {
    const state = run([
      { type: 'text-delta', messageId: m, id: 't', delta: 'draft' },
      { type: 'text-end', messageId: m, id: 't', text: 'final' },
    ])
    expect(message(state).parts).toEqual([{ type: 'text', id: 't', text: 'final', state: 'done' }])
  })
})

describe('tool calls', () => {
  const start: ChatEvent[] = [
    { type: 'message-start', messageId: m },
    { type: 'tool-call-start', messageId: m, toolCallId: 'c1', toolName: 'get_weather' },
    { type: 'tool-call-delta', messageId: m, toolCallId: 'c1', delta: '{"city":' },
    { type: 'tool-call-delta', messageId: m, toolCallId: 'c1', delta: '"Paris"}' },
  ]
  const tool = (state: ChatState) => message(state).parts[0] as ToolCallPart

  test('input streams as text, then parses once at the end', () => {
    let state = run(start)
    expect(tool(state)).toMatchObject({ state: 'input-streaming', inputText: '{"city":"Paris"}' })
    expect(tool(state).input).toBeUndefined()
    state = run([{ type: 'tool-call-end', messageId: m, toolCallId: 'c1' }], state)
    expect(tool(state)).toMatchObject({ state: 'input-available', input: { city: 'Paris' } })
  })

  test('running, then a result', () => {
    const state = run([
      ...start,
      { type: 'tool-call-end', messageId: m, toolCallId: 'c1' },
      { type: 'tool-running', messageId: m, toolCallId: 'c1', at: 10 },
      { type: 'tool-result', messageId: m, toolCallId: 'c1', output: { temperature: 21 }, at: 30 },
    ])
    expect(tool(state)).toMatchObject({
      state: 'output-available',
      output: { temperature: 21 },
      startedAt: 10,
      endedAt: 30,
    })
  })

  test('a tool error', () => {
    const state = run([
      ...start,
      { type: 'tool-call-end', messageId: m, toolCallId: 'c1' },
      { type: 'tool-error', messageId: m, toolCallId: 'c1', errorText: 'City not found' },
    ])
    expect(tool(state)).toMatchObject({ state: 'output-error', errorText: 'City not found' })
  })

  test('empty input means no arguments', () => {
    const state = run([
      { type: 'tool-call-start', messageId: m, toolCallId: 'c1', toolName: 'now' },
      { type: 'tool-call-end', messageId: m, toolCallId: 'c1' },
    ])
    expect(tool(state)).toMatchObject({ state: 'input-available', input: {} })
  })

  test('input cut off by the token limit becomes an error at message end, never stuck streaming', () => {
    const state = run([
      { type: 'tool-call-start', messageId: m, toolCallId: 'c1', toolName: 'write' },
      { type: 'tool-call-delta', messageId: m, toolCallId: 'c1', delta: '{"text":"half' },
      { type: 'message-end', messageId: m, finishReason: 'length' },
    ])
    expect(message(state).status).toBe('complete')
    expect(message(state).finishReason).toBe('length')
    expect(tool(state).state).toBe('output-error')
    expect(tool(state).errorText).toMatch(/c1.*cut off/)
    expect(tool(state).inputText).toBe('{"text":"half')
  })

  test.each(['message-abort', 'message-error', 'message-interrupt'] as const)(
    '%s cancels unfinished tool calls and keeps finished ones',
    (type) => {
      const state = run([
        { type: 'tool-call-start', messageId: m, toolCallId: 'done', toolName: 'a' },
        { type: 'tool-call-end', messageId: m, toolCallId: 'done', input: {} },
        { type: 'tool-result', messageId: m, toolCallId: 'done', output: 1 },
        { type: 'tool-call-start', messageId: m, toolCallId: 'open', toolName: 'b' },
        { type: 'tool-call-delta', messageId: m, toolCallId: 'open', delta: '{"x"' },
        { type: 'text-delta', messageId: m, id: 't', delta: 'partial' },
        type === 'message-abort'
          ? { type, messageId: m }
          : { type, messageId: m, error: { message: 'lost' } },
      ])
      const parts = message(state).parts
      expect(parts[0]).toMatchObject({ toolCallId: 'done', state: 'output-available' })
      expect(parts[1]).toMatchObject({ toolCallId: 'open', state: 'cancelled', inputText: '{"x"' })
      expect(parts[2]).toMatchObject({ type: 'text', text: 'partial', state: 'done' })
    },
  )

  test('a client tool result still applies after the message completed', () => {
    const state = run([
      { type: 'tool-call-start', messageId: m, toolCallId: 'c1', toolName: 'confirm' },
      { type: 'tool-call-end', messageId: m, toolCallId: 'c1', input: {} },
      { type: 'message-end', messageId: m, finishReason: 'tool-calls' },
      { type: 'tool-result', messageId: m, toolCallId: 'c1', output: 'yes' },
    ])
    expect(tool(state)).toMatchObject({ state: 'output-available', output: 'yes' })
  })
})

describe('after a terminal status', () => {
  test.each(['message-abort', 'message-end', 'message-error'] as const)(
    'nothing streamed after %s is applied',
    (type) => {
      const state = run([
        { type: 'text-delta', messageId: m, id: 't', delta: 'kept' },
        type === 'message-error' ? { type, messageId: m, error: { message: 'x' } } : { type, messageId: m },
        { type: 'text-delta', messageId: m, id: 't', delta: ' late' },
        { type: 'tool-call-start', messageId: m, toolCallId: 'late', toolName: 'x' },
      ])
      expect(message(state).parts).toEqual([{ type: 'text', id: 't', text: 'kept', state: 'done' }])
    },
  )

  test('message-start reopens an interrupted message for resume, keeping its content', () => {
    const state = run([
      { type: 'text-delta', messageId: m, id: 't', delta: 'Hel' },
      { type: 'message-interrupt', messageId: m, error: { message: 'connection lost' } },
      { type: 'message-start', messageId: m },
      { type: 'text-delta', messageId: m, id: 't', delta: 'lo' },
    ])
    expect(message(state).status).toBe('streaming')
    expect(message(state).error).toBeUndefined()
    expect(message(state).parts).toEqual([{ type: 'text', id: 't', text: 'Hello', state: 'streaming' }])
  })
})

describe('idempotence and structural sharing', () => {
  test('redelivered sequence numbers change nothing', () => {
    const events: ChatEvent[] = [
      { type: 'message-start', messageId: m, sequence: 0 },
      { type: 'text-delta', messageId: m, id: 't', delta: 'A', sequence: 1 },
      { type: 'text-delta', messageId: m, id: 't', delta: 'B', sequence: 2 },
    ]
    const once = run(events)
    const twice = run(events, once)
    expect(twice).toBe(once)
    const replayedTail = run(
      [events[1]!, events[2]!, { type: 'text-delta', messageId: m, id: 't', delta: 'C', sequence: 3 }],
      once,
    )
    expect((message(replayedTail).parts[0] as { text: string }).text).toBe('ABC')
  })

  test('a token changes one message and one part; everything else keeps its identity', () => {
    const before = run([
      { type: 'message-start', messageId: 'a' },
      { type: 'text-delta', messageId: 'a', id: 't', delta: 'other' },
      { type: 'message-start', messageId: m },
      { type: 'reasoning-delta', messageId: m, id: 'r', delta: 'x' },
      { type: 'text-delta', messageId: m, id: 't', delta: 'x' },
    ])
    const after = run([{ type: 'text-delta', messageId: m, id: 't', delta: 'y' }], before)
    expect(after.messages.a).toBe(before.messages.a)
    expect(after.messageIds).toBe(before.messageIds)
    expect(message(after).parts[0]).toBe(message(before).parts[0])
    expect(message(after).parts[1]).not.toBe(message(before).parts[1])
  })

  test('an event that changes nothing returns the same state object', () => {
    const state = run([{ type: 'text-delta', messageId: m, id: 't', delta: 'x' }])
    expect(run([{ type: 'text-delta', messageId: m, id: 't', delta: '' }], state)).toBe(state)
    expect(run([], state)).toBe(state)
  })

  test('the reducer never mutates its input', () => {
    const state = Object.freeze(run([{ type: 'text-delta', messageId: m, id: 't', delta: 'x' }]))
    Object.freeze(state.messages)
    Object.freeze(state.messageIds)
    expect(() =>
      run(
        [
          { type: 'text-delta', messageId: m, id: 't', delta: 'y' },
          { type: 'message-start', messageId: 'n' },
        ],
        state,
      ),
    ).not.toThrow()
  })

  test('replaying the same events gives the same state (no clocks, no random ids)', () => {
    const events: ChatEvent[] = [
      { type: 'message-start', messageId: m },
      { type: 'step-start', messageId: m },
      { type: 'tool-call-start', messageId: m, toolCallId: 'c', toolName: 'x' },
      { type: 'tool-call-end', messageId: m, toolCallId: 'c' },
      { type: 'source', messageId: m, url: 'https://a.example', title: 'A' },
      { type: 'source', messageId: m, url: 'https://a.example', title: 'A' },
      { type: 'data', messageId: m, name: 'progress', id: 'p', data: 1 },
      { type: 'data', messageId: m, name: 'progress', id: 'p', data: 2 },
      { type: 'usage', messageId: m, usage: { inputTokens: 5 } },
      {
        type: 'message-end',
        messageId: m,
        usage: { outputTokens: 7 },
        finishReason: 'tool-calls',
        rawFinishReason: 'tool_calls',
      },
    ]
    const first = run(events)
    expect(run(events)).toEqual(first)
    expect(message(first)).toMatchObject({
      usage: { inputTokens: 5, outputTokens: 7 },
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
    })
    expect(message(first).parts.map((part) => part.type)).toEqual([
      'step-start',
      'tool-call',
      'source',
      'data',
    ])
    expect(message(first).parts[3]).toEqual({ type: 'data', name: 'progress', id: 'p', data: 2 })
  })
})

describe('wire ids named after Object.prototype members', () => {
  const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']

  test.each(prototypeNames)('message id %s is an ordinary id', (id) => {
    const state = run([
      { type: 'message-start', messageId: id },
      { type: 'text-delta', messageId: id, id, delta: 'Hel' },
      { type: 'text-delta', messageId: id, id, delta: 'lo' },
      { type: 'tool-call-start', messageId: id, toolCallId: id, toolName: 'lookup' },
      { type: 'tool-call-delta', messageId: id, toolCallId: id, delta: '{"q":1}' },
      { type: 'tool-call-end', messageId: id, toolCallId: id },
      { type: 'reasoning-delta', messageId: id, id, delta: 'Hm' },
      { type: 'message-end', messageId: id, finishReason: 'stop' },
    ])
    expect(state.messageIds).toEqual([id])
    expect(Object.hasOwn(state.messages, id)).toBe(true)
    const result = state.messages[id]!
    expect(result.id).toBe(id)
    expect(result.status).toBe('complete')
    expect(result.parts).toEqual([
      { type: 'text', id, text: 'Hello', state: 'done' },
      {
        type: 'tool-call',
        toolCallId: id,
        toolName: 'lookup',
        state: 'input-available',
        inputText: '{"q":1}',
        input: { q: 1 },
      },
      { type: 'reasoning', id, text: 'Hm', state: 'done' },
    ])
    expect(Object.getPrototypeOf(state.messages)).toBe(null)
  })

  test('an id named after a prototype member is unknown until a message has it', () => {
    // `toString` must not be found on the record: a stray end for it creates nothing inherited.
    const state = run([{ type: 'message-abort', messageId: 'toString' }])
    expect(state).toBe(initialChatState)
    expect(state.messages.toString).toBeUndefined()
  })

  test('several prototype-named messages keep their order and identity', () => {
    const first = run(prototypeNames.map((id) => ({ type: 'message-start', messageId: id }) as ChatEvent))
    expect(first.messageIds).toEqual(prototypeNames)
    const second = run([{ type: 'text-delta', messageId: 'valueOf', id: 't', delta: 'x' }], first)
    expect(second.messages.constructor).toBe(first.messages.constructor)
    expect(second.messages.valueOf).not.toBe(first.messages.valueOf)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    expect(Object.keys(Object.prototype)).toEqual([])
  })
})

describe('text accumulation', () => {
  test('a long stream of small deltas gives exactly the concatenated text', () => {
    let state = run([{ type: 'message-start', messageId: m }])
    let expected = ''
    // Crosses many flatten boundaries (every 1,024 characters at first, then 1/16–1/32 of the length).
    for (let index = 0; index < 20_000; index += 1) {
      const delta = index % 3 === 0 ? ' é😀' : ` w${index}`
      expected += delta
      state = run(
        [
          { type: 'text-delta', messageId: m, id: 't', delta },
          { type: 'reasoning-delta', messageId: m, id: 'r', delta },
        ],
        state,
      )
    }
    const parts = message(state).parts
    expect(parts[0]).toMatchObject({ type: 'text', text: expected })
    expect(parts[1]).toMatchObject({ type: 'reasoning', text: expected })
  })
})
