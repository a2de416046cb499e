import { describe, expect, it, vi } from 'vitest'
import type { Message } from '../../message.ts'
import { messageReasoning, messageText, messageToolCalls } from '../../message.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { agUiProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** An AG-UI SSE body the way `@ag-ui/encoder` writes it: `data: {json}\n\n`, no `[DONE]`. */
function body(events: readonly unknown[]): string {
  return events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')
}

function collect(
  events: readonly unknown[],
  sizes: readonly number[] = [],
  messageId?: string,
): Promise<Message> {
  return collectBody(body(events), sizes, agUiProtocol, messageId)
}

const runStarted = { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1' }
const runFinished = { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1' }

/** A LangGraph-style run: thinking, a message, a backend tool with its result, a second message. */
const toolRun = [
  runStarted,
  { type: 'STEP_STARTED', stepName: 'agent' },
  { type: 'REASONING_START', messageId: 'r-1' },
  { type: 'REASONING_MESSAGE_START', messageId: 'r-1', role: 'reasoning' },
  { type: 'REASONING_MESSAGE_CONTENT', messageId: 'r-1', delta: 'The user wants ' },
  { type: 'REASONING_MESSAGE_CONTENT', messageId: 'r-1', delta: 'the weather.' },
  { type: 'REASONING_MESSAGE_END', messageId: 'r-1' },
  { type: 'REASONING_END', messageId: 'r-1' },
  { type: 'TEXT_MESSAGE_START', messageId: 'msg-1', role: 'assistant' },
  { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'Let me check ' },
  { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'the weather in Zürich.' },
  { type: 'TEXT_MESSAGE_END', messageId: 'msg-1' },
  { type: 'TOOL_CALL_START', toolCallId: 'call-1', toolCallName: 'get_weather', parentMessageId: 'msg-1' },
  { type: 'TOOL_CALL_ARGS', toolCallId: 'call-1', delta: '{"city":' },
  { type: 'TOOL_CALL_ARGS', toolCallId: 'call-1', delta: '"Zürich"}' },
  { type: 'TOOL_CALL_END', toolCallId: 'call-1' },
  {
    type: 'TOOL_CALL_RESULT',
    messageId: 'tool-msg-1',
    toolCallId: 'call-1',
    content: '{"temperature":21}',
    role: 'tool',
  },
  { type: 'STEP_FINISHED', stepName: 'agent' },
  { type: 'STEP_STARTED', stepName: 'respond' },
  { type: 'TEXT_MESSAGE_START', messageId: 'msg-2', role: 'assistant' },
  { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-2', delta: 'It is 21 °C in Zürich.' },
  { type: 'TEXT_MESSAGE_END', messageId: 'msg-2' },
  { type: 'STEP_FINISHED', stepName: 'respond' },
  {
    ...runFinished,
    usage: [
      { provider: 'openai', model: 'gpt-4o', inputTokens: 120, outputTokens: 30 },
      { inputTokens: 5, outputTokens: 2 },
    ],
  },
]

describe('ag-ui runs', () => {
  it('folds a whole run (reasoning, two assistant messages, a tool) into one message', async () => {
    const message = await collect(toolRun)
    // No placeholder id from the caller: the run id names the message.
    expect(message).toMatchObject({
      id: 'run-1',
      role: 'assistant',
      status: 'complete',
      finishReason: 'stop',
      metadata: { threadId: 'thread-1', runId: 'run-1' },
      usage: { inputTokens: 125, outputTokens: 32 },
    })
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'text',
      'tool-call',
      'step-start',
      'text',
    ])
    expect(messageReasoning(message)).toBe('The user wants the weather.')
    // Each AG-UI text message is a text part of the same Sluice message, in order.
    expect(message.parts.filter((part) => part.type === 'text').map((part) => part.id)).toEqual([
      'msg-1',
      'msg-2',
    ])
    expect(messageText(message)).toBe('Let me check the weather in Zürich.It is 21 °C in Zürich.')
    expect(messageToolCalls(message)).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call-1',
        toolName: 'get_weather',
        state: 'output-available',
        inputText: '{"city":"Zürich"}',
        input: { city: 'Zürich' },
        output: '{"temperature":21}',
      },
    ])
  })

  it('uses the caller’s message id and gives the same message whatever the chunking', async () => {
    const whole = await collect(toolRun, [], 'placeholder')
    expect(whole.id).toBe('placeholder')
    expect(
      await collect(
        toolRun,
        Array.from({ length: 3000 }, () => 1),
        'placeholder',
      ),
    ).toEqual(whole)
    expect(await collect(toolRun, [7, 1, 130, 3, 2, 64, 11], 'placeholder')).toEqual(whole)
  })

  it('ends with tool-calls when a frontend tool is left for the client to run', async () => {
    const message = await collect([
      runStarted,
      { type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'confirm_booking' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"date":"2025-07-01"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'c1' },
      runFinished,
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(messageToolCalls(message)).toMatchObject([
      { state: 'input-available', input: { date: '2025-07-01' } },
    ])
  })

  it('decodes the chunk shorthands and the older THINKING events', async () => {
    const message = await collect([
      runStarted,
      { type: 'THINKING_START', title: 'Planning' },
      { type: 'THINKING_TEXT_MESSAGE_START' },
      { type: 'THINKING_TEXT_MESSAGE_CONTENT', delta: 'Plan: ' },
      { type: 'THINKING_TEXT_MESSAGE_CONTENT', delta: 'search.' },
      { type: 'THINKING_TEXT_MESSAGE_END' },
      { type: 'THINKING_END' },
      { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm-a', role: 'assistant', delta: 'Hel' },
      { type: 'TEXT_MESSAGE_CHUNK', delta: 'lo' },
      { type: 'TOOL_CALL_CHUNK', toolCallId: 't-a', toolCallName: 'search', delta: '{"q":' },
      { type: 'TOOL_CALL_CHUNK', delta: '"cats"}' },
      { type: 'TEXT_MESSAGE_CHUNK', messageId: 'm-b', delta: ' again' },
      runFinished,
    ])
    expect(message.status).toBe('complete')
    expect(messageReasoning(message)).toBe('Plan: search.')
    expect(message.parts).toMatchObject([
      { type: 'reasoning', id: 'thinking-1', state: 'done' },
      { type: 'text', id: 'm-a', text: 'Hello', state: 'done' },
      {
        type: 'tool-call',
        toolCallId: 't-a',
        toolName: 'search',
        state: 'input-available',
        input: { q: 'cats' },
      },
      { type: 'text', id: 'm-b', text: ' again' },
    ])
  })

  it('keeps agent state current from snapshots and JSON Patch deltas, and maps custom events to data', async () => {
    const message = await collect([
      runStarted,
      { type: 'STATE_SNAPSHOT', snapshot: { steps: ['search'], done: false } },
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/steps/-', value: 'answer' }] },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/missing/path', value: 1 }] },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/done', value: true }] },
      { type: 'MESSAGES_SNAPSHOT', messages: [{ id: 'u1', role: 'user', content: 'Hi' }] },
      { type: 'CUSTOM', name: 'progress', value: { percent: 50 } },
      { type: 'RAW', event: { anything: true }, source: 'langgraph' },
      { type: 'ACTIVITY_SNAPSHOT', messageId: 'a1', activityType: 'plan', content: {} },
      runFinished,
    ])
    expect(message.parts).toEqual([
      { type: 'data', name: 'state', id: 'state', data: { steps: ['search', 'answer'], done: true } },
      { type: 'data', name: 'messages', id: 'messages', data: [{ id: 'u1', role: 'user', content: 'Hi' }] },
      { type: 'data', name: 'progress', data: { percent: 50 } },
    ])
  })

  it('keeps a reasoning message’s encrypted value as its signature', async () => {
    const message = await collect([
      runStarted,
      { type: 'REASONING_MESSAGE_START', messageId: 'r1', role: 'reasoning' },
      { type: 'REASONING_MESSAGE_CONTENT', messageId: 'r1', delta: 'Thinking.' },
      { type: 'REASONING_MESSAGE_END', messageId: 'r1' },
      { type: 'REASONING_ENCRYPTED_VALUE', subtype: 'message', entityId: 'r1', encryptedValue: 'opaque==' },
      runFinished,
    ])
    expect(message.parts).toMatchObject([
      { type: 'reasoning', id: 'r1', text: 'Thinking.', signature: 'opaque==' },
    ])
  })

  it('marks an interrupt outcome as finish reason other and keeps the interrupts', async () => {
    const interrupts = [{ id: 'i1', reason: 'approval', toolCallId: 'c9' }]
    const message = await collect([
      runStarted,
      { ...runFinished, outcome: { type: 'interrupt', interrupts } },
    ])
    expect(message).toMatchObject({ status: 'complete', finishReason: 'other', rawFinishReason: 'interrupt' })
    expect(message.metadata).toMatchObject({ interrupts })
  })

  it('continues the same message through a second run in one stream, with the usage of both', async () => {
    const runTwo = { threadId: 'thread-1', runId: 'run-2' }
    const events = [
      runStarted,
      { type: 'TEXT_MESSAGE_START', messageId: 'a1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'First run. ' },
      { type: 'TEXT_MESSAGE_END', messageId: 'a1' },
      { ...runFinished, usage: [{ inputTokens: 10, outputTokens: 3 }] },
      { type: 'RUN_STARTED', ...runTwo },
      { type: 'TEXT_MESSAGE_START', messageId: 'a2', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a2', delta: 'Second run.' },
      { type: 'TEXT_MESSAGE_END', messageId: 'a2' },
      { type: 'RUN_FINISHED', ...runTwo, usage: [{ inputTokens: 20, outputTokens: 4 }] },
    ]
    for (const sizes of [[], [1], [7, 3]]) {
      const message = await collect(events, sizes)
      expect(message.status).toBe('complete')
      expect(messageText(message)).toBe('First run. Second run.')
      expect(message.usage).toMatchObject({ inputTokens: 30, outputTokens: 7 })
      expect(message.metadata).toMatchObject({ runId: 'run-2' })
    }

    // A second run cut off before its RUN_FINISHED is interrupted, keeping both runs' text.
    const cut = await collect(events.slice(0, 8))
    expect(cut.status).toBe('interrupted')
    expect(messageText(cut)).toBe('First run. Second run.')
  })

  it('ignores everything but a new RUN_STARTED after RUN_FINISHED', async () => {
    const message = await collect([
      runStarted,
      { type: 'TEXT_MESSAGE_START', messageId: 'a1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'Done.' },
      { type: 'TEXT_MESSAGE_END', messageId: 'a1' },
      runFinished,
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: ' Late.' },
      { type: 'RUN_ERROR', message: 'late error' },
    ])
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Done.')
  })

  it('skips a STATE_DELTA through __proto__ or constructor: the state and every prototype stay as they were', async () => {
    const message = await collect([
      runStarted,
      { type: 'STATE_SNAPSHOT', snapshot: { count: 1 } },
      { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/count', value: 2 }] },
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/constructor/prototype/polluted', value: 'yes' }] },
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/__proto__/polluted', value: 'yes' }] },
      // Last, so no later patch's copy could hide a replaced prototype.
      { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/__proto__', value: { polluted: 'yes' } }] },
      runFinished,
    ])
    expect(message.status).toBe('complete')
    const state = message.parts.find((part) => part.type === 'data' && part.name === 'state')
    expect(state).toEqual({ type: 'data', name: 'state', id: 'state', data: { count: 2 } })
    const data = (state as { data: Record<string, unknown> }).data
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype)
    expect(data.polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('skips text messages that are not the assistant’s', async () => {
    const message = await collect([
      runStarted,
      { type: 'TEXT_MESSAGE_START', messageId: 'u1', role: 'user' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'u1', delta: 'echoed user text' },
      { type: 'TEXT_MESSAGE_END', messageId: 'u1' },
      { type: 'TEXT_MESSAGE_START', messageId: 'a1' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'Answer' },
      { type: 'TEXT_MESSAGE_END', messageId: 'a1' },
      runFinished,
    ])
    expect(messageText(message)).toBe('Answer')
  })
})

describe('ag-ui faults', () => {
  it('turns RUN_ERROR into an error with the agent’s message and code, keeping the text', async () => {
    const message = await collect([
      runStarted,
      { type: 'TEXT_MESSAGE_START', messageId: 'a1', role: 'assistant' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'Partial' },
      { type: 'RUN_ERROR', message: 'Model overloaded', code: 'overloaded' },
      runFinished,
    ])
    expect(message).toMatchObject({
      status: 'error',
      error: { message: 'Model overloaded', code: 'overloaded' },
    })
    expect(messageText(message)).toBe('Partial')
  })

  it('turns malformed JSON into an error', async () => {
    const text = `${body([runStarted])}data: {"type":"TEXT_MESSAGE_START",\n\n${body([runFinished])}`
    const message = await collectBody(text, [], agUiProtocol)
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
  })

  it('ignores unknown event types and fields', async () => {
    const message = await collect([
      { ...runStarted, input: { messages: [] }, somethingNew: 1 },
      { type: 'SOMETHING_FROM_THE_FUTURE', messageId: 'x' },
      { type: 'TEXT_MESSAGE_START', messageId: 'a1', role: 'assistant', name: 'helper' },
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'a1', delta: 'Fine', timestamp: 1 },
      { type: 'TEXT_MESSAGE_END', messageId: 'a1' },
      runFinished,
    ])
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Fine')
  })

  it('treats content for a message that never started as an error', async () => {
    const message = await collect([
      runStarted,
      { type: 'TEXT_MESSAGE_CONTENT', messageId: 'ghost', delta: 'boo' },
      runFinished,
    ])
    expect(message.status).toBe('error')
    expect(message.error).toEqual({
      code: 'invalid-event-order',
      message:
        'Received TEXT_MESSAGE_CONTENT for text message "ghost", which was never started. Ensure a TEXT_MESSAGE_START event is sent before it.',
    })
  })

  it('treats tool arguments for a call that never started as an error', async () => {
    const message = await collect([runStarted, { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{}' }])
    expect(message.error?.message).toContain('TOOL_CALL_ARGS for tool call "c1"')
  })

  it('interrupts a run cut off before RUN_FINISHED, keeping the text and cancelling the open tool call', async () => {
    const cut = toolRun.slice(0, 14)
    const message = await collect(cut)
    expect(message.status).toBe('interrupted')
    expect(message.error).toMatchObject({ code: 'stream-interrupted' })
    expect(message.error?.message).toContain('before RUN_FINISHED or RUN_ERROR')
    expect(messageText(message)).toBe('Let me check the weather in Zürich.')
    expect(messageToolCalls(message)).toMatchObject([
      { toolCallId: 'call-1', state: 'cancelled', inputText: '{"city":' },
    ])

    const text = body(toolRun)
    const midEvent = await collectBody(text.slice(0, text.indexOf('Zürich.')), [], agUiProtocol)
    expect(midEvent.status).toBe('interrupted')
    expect(midEvent.error?.message).toContain('in the middle of an event')
  })

  it('reads the error body of a failed request', () => {
    expect(agUiProtocol.decodeError?.({ error: 'Agent not found' }, 404)).toEqual({
      message: 'Agent not found',
      status: 404,
    })
    expect(agUiProtocol.decodeError?.('Bad gateway', 502)).toEqual({ message: 'Bad gateway', status: 502 })
  })
})
