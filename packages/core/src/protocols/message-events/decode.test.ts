import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { messageText } from '../../message.ts'
import type { DecoderOptions } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { encodeCancelFrame, messageEventsProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** WebSocket messages (one frame each) → decoder → reducer, plus what `end()` adds when the socket closes. */
function session(frames: readonly unknown[], options: DecoderOptions = {}) {
  const decoder = messageEventsProtocol.createDecoder(options)
  const events: ChatEvent[] = []
  for (const frame of frames)
    events.push(...decoder.decode({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) }))
  events.push(...decoder.end())
  const state = reduceChat(initialChatState, events)
  return { state, events, text: (id: string) => messageText(state.messages[id]!) }
}

const typeData = (type: string, data: Record<string, unknown>) => ({ type, data })

describe('message-events decoder', () => {
  it('builds a user message and a streamed assistant message that the final update replaces', () => {
    const { state, text } = session([
      typeData('message_new', { id: 'u1', role: 'user', content: 'What is 2+2?' }),
      typeData('message_new', { id: 'a1', role: 'assistant' }),
      typeData('message_stream', { id: 'a1', delta: '2+2', seq: 1 }),
      typeData('message_stream', { id: 'a1', delta: ' is 4', seq: 2 }),
      { type: 'ping' },
      typeData('message_update', {
        id: 'a1',
        content: '2 + 2 = 4.',
        status: 'complete',
        finish_reason: 'stop',
        usage: { input_tokens: 12, output_tokens: 6 },
      }),
    ])
    expect(state.messageIds).toEqual(['u1', 'a1'])
    expect(state.messages.u1).toMatchObject({ role: 'user', status: 'complete' })
    expect(text('u1')).toBe('What is 2+2?')
    expect(state.messages.a1).toMatchObject({ role: 'assistant', status: 'complete', finishReason: 'stop' })
    expect(text('a1')).toBe('2 + 2 = 4.')
    expect(state.messages.a1?.usage).toEqual({ inputTokens: 12, outputTokens: 6 })
  })

  it('accepts {type, data}, {event, payload} and flat envelopes alike', () => {
    const stream = [
      ['message_new', { message_id: 'a1' }],
      ['message_stream', { id: 'a1', content: 'Hel' }],
      ['message_stream', { id: 'a1', chunk: 'lo' }],
      ['message_stream', { id: 'a1', text: '!' }],
      ['message_update', { id: 'a1', status: 'complete' }],
    ] as const
    const envelopes = [
      stream.map(([name, fields]) => ({ type: name, data: fields })),
      stream.map(([name, fields]) => ({ event: name, payload: fields })),
      stream.map(([name, fields]) => ({ type: name, ...fields })),
    ]
    for (const frames of envelopes) {
      const { state, text } = session(frames)
      expect(state.messages.a1?.status).toBe('complete')
      expect(text('a1')).toBe('Hello!')
    }
  })

  it('keeps interleaved streams for two ids separate, using the wire id over options.messageId', () => {
    const { state, text } = session(
      [
        { type: 'message_new', id: 'a1' },
        { type: 'message_new', id: 'b2' },
        { type: 'message_stream', id: 'a1', delta: 'Apples ', seq: 1 },
        { type: 'message_stream', id: 'b2', delta: 'Bananas ', seq: 2 },
        { type: 'message_stream', id: 'a1', delta: 'are red', seq: 3 },
        { type: 'message_update', id: 'b2', status: 'complete', seq: 4 },
        { type: 'message_stream', id: 'b2', delta: 'late', seq: 5 },
        { type: 'message_stream', id: 'b2', delta: 'are yellow', seq: 4 },
      ],
      { messageId: 'placeholder' },
    )
    expect(state.messageIds).toEqual(['a1', 'b2'])
    expect(text('a1')).toBe('Apples are red')
    expect(text('b2')).toBe('Bananas ')
    expect(state.messages.b2?.status).toBe('complete')
    // The socket closed while a1 was still streaming.
    expect(state.messages.a1?.status).toBe('interrupted')
    expect(state.messages.a1?.error?.message).toContain('"a1"')
  })

  it('ignores redelivered frames and never reopens a finished message', () => {
    const frames = [
      typeData('message_new', { id: 'a1', seq: 1 }),
      typeData('message_stream', { id: 'a1', delta: 'one ', seq: 2 }),
      typeData('message_stream', { id: 'a1', delta: 'one ', seq: 2 }),
      typeData('message_stream', { id: 'a1', delta: 'two', seq: 3 }),
      typeData('message_update', { id: 'a1', status: 'complete', seq: 4 }),
      // A reconnect replays the whole conversation.
      typeData('message_new', { id: 'a1', seq: 1 }),
      typeData('message_stream', { id: 'a1', delta: 'one ', seq: 2 }),
    ]
    const { state, events, text } = session(frames)
    expect(text('a1')).toBe('one two')
    expect(state.messages.a1?.status).toBe('complete')
    expect(state.messages.a1?.sequence).toBe(4)
    expect(events.filter((event) => event.type === 'message-start')).toHaveLength(1)
    // The reducer alone also ignores replayed events, so a fresh decoder after reconnect is safe.
    const replay = session(frames.slice(1, 3)).events
    expect(reduceChat(state, replay).messages.a1).toBe(state.messages.a1)
    // Mid-stream too: a fresh decoder's replay of an applied token changes nothing.
    const streaming = session(frames.slice(0, 2)).state
    const replayed = reduceChat(
      streaming,
      session(frames.slice(1, 2)).events.filter((event) => event.type !== 'message-interrupt'),
    )
    expect(messageText(replayed.messages.a1!)).toBe('one ')
  })

  it('applies frames on arrival: a late token is dropped, and the final update restores the full text', () => {
    const outOfOrder = [
      { type: 'message_stream', id: 'a1', delta: 'The ', seq: 1 },
      { type: 'message_stream', id: 'a1', delta: 'fox', seq: 3 },
      { type: 'message_stream', id: 'a1', delta: 'quick ', seq: 2 },
    ]
    const repaired = session([
      ...outOfOrder,
      { type: 'message_update', id: 'a1', content: 'The quick fox', seq: 4 },
    ])
    expect(repaired.text('a1')).toBe('The quick fox')
    expect(repaired.state.messages.a1?.status).toBe('complete')
    const cut = session(outOfOrder)
    expect(cut.text('a1')).toBe('The fox')
    expect(cut.state.messages.a1?.status).toBe('interrupted')
  })

  it('treats a non-final update as an in-progress snapshot that later tokens extend', () => {
    const { state, text } = session([
      { type: 'message_stream', id: 'a1', delta: 'Drfat' },
      { type: 'message_update', id: 'a1', content: 'Draft', status: 'streaming' },
      { type: 'message_stream', id: 'a1', delta: ' two' },
      { type: 'message_update', id: 'a1' },
    ])
    expect(text('a1')).toBe('Draft two')
    expect(state.messages.a1?.status).toBe('complete')
    expect(state.messages.a1?.parts).toHaveLength(1)
  })

  it('maps errors and cancellations to the right message', () => {
    const { state, text } = session([
      { type: 'message_stream', id: 'a1', delta: 'Part' },
      { type: 'message_stream', id: 'b2', delta: 'Other' },
      { type: 'message_stream', id: 'c3', delta: 'Third' },
      { type: 'message_stream', id: 'd4', delta: 'Fourth' },
      { type: 'message_error', id: 'a1', error: { message: 'Model crashed', code: 'internal' } },
      { type: 'stream_cancelled', message_id: 'b2' },
      { type: 'message_update', id: 'c3', status: 'error', content: 'Third!', error: 'Quota exceeded' },
      { type: 'message_update', id: 'd4', status: 'cancelled' },
    ])
    expect(state.messages.a1).toMatchObject({
      status: 'error',
      error: { message: 'Model crashed', code: 'internal' },
    })
    expect(text('a1')).toBe('Part')
    expect(state.messages.b2?.status).toBe('cancelled')
    expect(text('b2')).toBe('Other')
    expect(state.messages.c3).toMatchObject({ status: 'error', error: { message: 'Quota exceeded' } })
    expect(text('c3')).toBe('Third!')
    expect(state.messages.d4?.status).toBe('cancelled')
  })

  it('cancels every streaming message when a cancellation names none', () => {
    const { state } = session([
      { type: 'message_stream', id: 'a1', delta: 'x' },
      { type: 'message_stream', id: 'b2', delta: 'y' },
      { type: 'message_update', id: 'b2' },
      { type: 'message_cancelled' },
    ])
    expect(state.messages.a1?.status).toBe('cancelled')
    expect(state.messages.b2?.status).toBe('complete')
  })

  it('turns malformed JSON followed by another frame into an error for the messages still streaming', () => {
    const { state, text } = session([
      { type: 'message_stream', id: 'a1', delta: 'ok' },
      { type: 'message_update', id: 'b2', content: 'done' },
      '{"type":"message_stream","data":{"id":"a1","del',
      { type: 'ping' },
      // The connection lives on: a later message still streams.
      { type: 'message_new', id: 'c3', role: 'assistant' },
      { type: 'message_stream', id: 'c3', delta: 'next' },
      { type: 'message_update', id: 'c3', status: 'complete' },
    ])
    expect(state.messages.a1?.status).toBe('error')
    expect(state.messages.a1?.error?.code).toBe('invalid-frame')
    expect(state.messages.b2?.status).toBe('complete')
    expect(state.messages.c3?.status).toBe('complete')
    expect(text('c3')).toBe('next')
  })

  it('reads a malformed last frame as cut by the end: the messages still streaming are interrupted', () => {
    const { state, text } = session([
      { type: 'message_stream', id: 'a1', delta: 'ok' },
      '{"type":"message_stream","data":{"id":"a1","del',
    ])
    expect(state.messages.a1?.status).toBe('interrupted')
    expect(state.messages.a1?.error?.message).toContain('its last frame was cut off')
    expect(text('a1')).toBe('ok')
  })

  it('ignores unknown types and uses options.messageId for frames without an id', () => {
    const { state, text } = session(
      [
        { type: 'session_created', data: { session: 's1' } },
        { type: 'message_stream', delta: 'No id' },
        '"just a string"',
        { type: 'message_update' },
      ],
      { messageId: 'placeholder' },
    )
    expect(state.messageIds).toEqual(['placeholder'])
    expect(text('placeholder')).toBe('No id')
    expect(state.messages.placeholder?.status).toBe('complete')
  })

  it('reads SSE: the event name from the event line and the sequence from a numeric id', () => {
    const framer = createFramer('sse')
    const decoder = messageEventsProtocol.createDecoder()
    const body =
      'event: message_stream\nid: 1\ndata: {"id":"a1","delta":"Hi"}\n\n' +
      'event: message_stream\nid: 1\ndata: {"id":"a1","delta":"Hi"}\n\n' +
      'event: message_update\nid: 2\ndata: {"id":"a1"}\n\n'
    const events = framer.push(body).flatMap((frame) => decoder.decode(frame))
    const message = reduceChat(initialChatState, events).messages.a1!
    expect(messageText(message)).toBe('Hi')
    expect(message.status).toBe('complete')
  })

  it('encodes the cancel frame a client sends', () => {
    expect(JSON.parse(encodeCancelFrame('a1'))).toEqual({ type: 'stream_cancel', message_id: 'a1' })
  })
})

/** Seed 004's "WebSocket Event Flow" for "@backend explain FastAPI", as its processor broadcasts it. */
const seedFlow = [
  typeData('message_new', {
    id: 'msg-123',
    content: '',
    author_name: 'backend',
    metadata: { streaming: true },
  }),
  typeData('message_stream', { message_id: 'msg-123', chunk: 'FastAPI', is_final: false }),
  typeData('message_stream', { message_id: 'msg-123', chunk: ' is a', is_final: false }),
  typeData('message_stream', {
    message_id: 'msg-123',
    chunk: ' framework.',
    is_final: true,
    metadata: { tool_calls: null },
  }),
  typeData('message_update', {
    id: 'msg-123',
    content: 'FastAPI is a modern Python web framework.',
    metadata: { streaming: false },
  }),
]

/** Frames one at a time through decoder and reducer: the state after each. */
function statesAfterEachFrame(frames: readonly unknown[]) {
  const decoder = messageEventsProtocol.createDecoder()
  let state = initialChatState
  return frames.map((frame) => {
    state = reduceChat(state, decoder.decode({ data: JSON.stringify(frame) }))
    return state
  })
}

describe('message-events decoder, the shapes of seed 004', () => {
  it('streams the placeholder, ends at is_final, and message_update replaces the text exactly', () => {
    const states = statesAfterEachFrame(seedFlow)
    expect(states[0]!.messages['msg-123']).toMatchObject({
      role: 'assistant',
      status: 'pending',
      metadata: { authorName: 'backend' },
    })
    expect(messageText(states[2]!.messages['msg-123']!)).toBe('FastAPI is a')
    expect(states[2]!.messages['msg-123']?.status).toBe('streaming')
    // is_final ends it (the seed's client marks it complete here; the typing indicator goes).
    expect(states[3]!.messages['msg-123']).toMatchObject({ status: 'complete', finishReason: 'stop' })
    expect(messageText(states[3]!.messages['msg-123']!)).toBe('FastAPI is a framework.')
    const final = states[4]!.messages['msg-123']!
    expect(final).toMatchObject({
      status: 'complete',
      finishReason: 'stop',
      metadata: { authorName: 'backend' },
    })
    expect(messageText(final)).toBe('FastAPI is a modern Python web framework.')
    expect(final.parts).toHaveLength(1)
  })

  it('applies nothing for a final version equal to what streamed, and never reopens a failed message', () => {
    const decoder = messageEventsProtocol.createDecoder()
    decoder.decode({ data: JSON.stringify(seedFlow[0]) })
    decoder.decode({
      data: JSON.stringify(
        typeData('message_stream', { message_id: 'msg-123', chunk: 'Hi', is_final: true }),
      ),
    })
    expect(
      decoder.decode({ data: JSON.stringify(typeData('message_update', { id: 'msg-123', content: 'Hi' })) }),
    ).toEqual([])
    const failed = session([
      seedFlow[0],
      typeData('message_stream', { message_id: 'msg-123', chunk: 'Part', is_final: false }),
      typeData('message_stream', {
        message_id: 'msg-123',
        chunk: 'Error: Provider timeout',
        is_final: true,
        metadata: { tool_calls: null, error: 'Provider timeout' },
      }),
      typeData('message_update', {
        id: 'msg-123',
        content: 'PartError: Provider timeout',
        metadata: { streaming: false },
      }),
    ])
    // "Error message yielded as final chunk … WebSocket event emitted with error metadata"
    expect(failed.state.messages['msg-123']).toMatchObject({
      status: 'error',
      error: { message: 'Provider timeout' },
    })
    expect(failed.text('msg-123')).toBe('Part')
  })

  it('takes message_new with streaming false as a whole message of its author, pushed, never a placeholder', () => {
    const { state, events, text } = session([
      typeData('message_new', {
        id: 'msg-7',
        content: 'I can help with the frontend part.',
        author_name: 'frontend',
        metadata: { streaming: false },
      }),
      typeData('message_new', {
        id: 'msg-8',
        content: '@backend explain FastAPI',
        author_name: 'Ada',
        author_type: 'user',
        metadata: { streaming: false },
      }),
    ])
    expect(state.messages['msg-7']).toMatchObject({
      role: 'assistant',
      status: 'complete',
      metadata: { authorName: 'frontend' },
    })
    expect(text('msg-7')).toBe('I can help with the frontend part.')
    // The echo of the user's own message is a user message: never the answer.
    expect(state.messages['msg-8']).toMatchObject({
      role: 'user',
      status: 'complete',
      metadata: { authorName: 'Ada' },
    })
    const starts = events.filter((event) => event.type === 'message-start')
    expect(starts.map((event) => [event.messageId, event.role, event.pushed])).toEqual([
      ['msg-7', 'assistant', true],
      ['msg-8', 'user', true],
    ])
  })

  it('keeps many messages apart on one socket and ignores a redelivered announcement or final chunk', () => {
    const { state, text } = session([
      typeData('message_new', {
        id: 'm1',
        content: '',
        author_name: 'backend',
        metadata: { streaming: true },
      }),
      typeData('message_new', {
        id: 'm2',
        content: '',
        author_name: 'frontend',
        metadata: { streaming: true },
      }),
      typeData('message_stream', { message_id: 'm1', chunk: 'one', is_final: false }),
      typeData('message_stream', { message_id: 'm2', chunk: 'two', is_final: false }),
      typeData('message_new', {
        id: 'm1',
        content: '',
        author_name: 'backend',
        metadata: { streaming: true },
      }),
      typeData('message_stream', {
        message_id: 'm1',
        chunk: '!',
        is_final: true,
        metadata: { tool_calls: null },
      }),
      typeData('message_stream', {
        message_id: 'm1',
        chunk: '!',
        is_final: true,
        metadata: { tool_calls: null },
      }),
      typeData('message_update', { id: 'm1', content: 'one!', metadata: { streaming: false } }),
      typeData('message_stream', {
        message_id: 'm2',
        chunk: '?',
        is_final: true,
        metadata: { tool_calls: null },
      }),
    ])
    expect(text('m1')).toBe('one!')
    expect(text('m2')).toBe('two?')
    expect(state.messages.m1?.metadata).toEqual({ authorName: 'backend' })
    expect(state.messages.m2?.metadata).toEqual({ authorName: 'frontend' })
    expect([state.messages.m1?.status, state.messages.m2?.status]).toEqual(['complete', 'complete'])
  })

  it('shows the tool calls a final chunk names as running, until the final version with their results', () => {
    const frames = [
      seedFlow[0],
      typeData('message_stream', { message_id: 'msg-123', chunk: 'Let me read it.', is_final: false }),
      typeData('message_stream', {
        message_id: 'msg-123',
        chunk: '',
        is_final: true,
        metadata: { tool_calls: [{ id: 'toolu_1', name: 'read_file', input: { path: 'main.py' } }] },
      }),
      typeData('message_stream', { message_id: 'msg-123', chunk: '\n[read_file] 42 lines', is_final: false }),
      typeData('message_update', {
        id: 'msg-123',
        content: 'Let me read it.\n[read_file] 42 lines',
        metadata: { streaming: false },
      }),
    ]
    const states = statesAfterEachFrame(frames)
    const running = states[2]!.messages['msg-123']!
    expect(running.status).toBe('streaming')
    expect(running.parts.find((part) => part.type === 'tool-call')).toMatchObject({
      toolName: 'read_file',
      state: 'running',
      input: { path: 'main.py' },
    })
    const final = states[4]!.messages['msg-123']!
    expect(final.status).toBe('complete')
    expect(messageText(final)).toBe('Let me read it.\n[read_file] 42 lines')
    expect(final.parts.find((part) => part.type === 'tool-call')).toMatchObject({ state: 'output-available' })
  })

  it('sends stream_cancel as the cancel frame: {"type":"stream_cancel","message_id":"…"}', () => {
    expect(encodeCancelFrame('msg-123')).toBe('{"type":"stream_cancel","message_id":"msg-123"}')
  })
})

describe('message-events through collectMessage', () => {
  it('collects the last assistant message from WebSocket messages by protocol id', async () => {
    async function* socket() {
      yield '{"type":"message_new","data":{"id":"u1","role":"user","content":"Hi"}}'
      yield '{"type":"message_stream","data":{"id":"a1","delta":"Hel","seq":1}}'
      yield '{"type":"message_stream","data":{"id":"a1","delta":"lo","seq":2}}'
      yield '{"type":"message_update","data":{"id":"a1","content":"Hello!","status":"complete"}}'
    }
    const message = await collectMessage(socket(), 'message-events')
    expect(message).toMatchObject({ id: 'a1', role: 'assistant', status: 'complete' })
    expect(messageText(message)).toBe('Hello!')
  })
})
