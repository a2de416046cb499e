import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import { type Message, messageReasoning, messageText, messageToolCalls } from '../../message.ts'
import type { Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import {
  agentEventsProtocol,
  agentEventVariant,
  isCancellationMessage,
  toolExecutionDataName,
} from './decode.ts'

vi.mock('react', () => ({}))

function collectText(body: string, framing: Framing = 'sse') {
  const text = createTextChunkDecoder()
  const framer = createFramer(framing)
  const decoder = agentEventsProtocol.createDecoder({ messageId: 'a1' })
  const events: ChatEvent[] = []
  for (const frame of framer.push(text.decode(new TextEncoder().encode(body))))
    events.push(...decoder.decode(frame))
  for (const frame of framer.end()) events.push(...decoder.decode(frame))
  events.push(...decoder.end())
  return reduceChat(initialChatState, events).messages.a1 as Message
}

/** One SSE event per value, as a serde_json + axum backend writes them. */
const collect = (...values: unknown[]) =>
  collectText(values.map((value) => `data: ${JSON.stringify(value)}\n\n`).join(''))

/** A two-iteration agent run, written in the internally tagged form. */
const internallyTagged = [
  { type: 'IterationStart', iteration: 1 },
  { type: 'Thinking', text: 'The user wants the weather; ' },
  { type: 'Thinking', text: 'call the tool.' },
  { type: 'TextDelta', text: 'Checking Paris.' },
  { type: 'ToolCallStart', id: 'tc_1', name: 'get_weather' },
  {
    type: 'ToolCallComplete',
    id: 'tc_1',
    name: 'get_weather',
    arguments: { city: 'Paris' },
    result: { temp_c: 18 },
  },
  { type: 'IterationComplete', iteration: 1, tool_calls: 1 },
  { type: 'IterationStart', iteration: 2 },
  { type: 'TextDelta', text: 'It is 18 °C ' },
  { type: 'TextDelta', text: 'in Paris.' },
  { type: 'IterationComplete', iteration: 2 },
  { type: 'Done', usage: { input_tokens: 210, output_tokens: 48 }, finish_reason: 'end_turn' },
]

/** The same run, externally tagged (serde's default representation). */
const externallyTagged = internallyTagged.map(({ type, ...fields }) => ({ [type]: fields }))

describe('agent-events decoder', () => {
  it('decodes an internally tagged agent run: steps, thinking, text, a tool call with its result, usage', () => {
    const message = collect(...internallyTagged)
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'text',
      'tool-call',
      'step-start',
      'text',
    ])
    expect(message.parts[0]).toEqual({ type: 'step-start', stepId: 'iteration-1' })
    expect(messageReasoning(message)).toBe('The user wants the weather; call the tool.')
    expect(messageText(message)).toBe('Checking Paris.It is 18 °C in Paris.')
    const [call] = messageToolCalls(message)
    expect(call).toMatchObject({
      toolCallId: 'tc_1',
      toolName: 'get_weather',
      state: 'output-available',
      input: { city: 'Paris' },
      output: { temp_c: 18 },
    })
    expect(message.usage).toEqual({ inputTokens: 210, outputTokens: 48 })
    expect(message.finishReason).toBe('stop')
    expect(message.rawFinishReason).toBe('end_turn')
  })

  it('decodes the externally tagged form to the same message', () => {
    expect(collect(...externallyTagged)).toEqual(collect(...internallyTagged))
  })

  it('accepts every serde rename_all spelling, camelCase fields, adjacent tagging and SSE event names', () => {
    const message = collect(
      { type: 'text_delta', content: 'A' },
      { TEXT_DELTA: { text: 'B' } },
      { textDelta: 'C' }, // newtype variant
      { type: 'TextDelta', data: { text: 'D' } }, // #[serde(tag = "type", content = "data")]
      { type: 'done', finishReason: 'max_tokens' },
    )
    expect(messageText(message)).toBe('ABCD')
    expect(message.finishReason).toBe('length')
    const sseNamed = collectText('event: text-delta\ndata: {"text":"E"}\n\nevent: Done\ndata: {}\n\n')
    expect(messageText(sseNamed)).toBe('E')
    expect(sseNamed.status).toBe('complete')
    expect(agentEventVariant('tool_call_complete')).toBe('ToolCallComplete')
  })

  it('ends on a bare "Done" string and replaces the text with Done.content', () => {
    expect(collect({ TextDelta: { text: 'Hi' } }, 'Done').status).toBe('complete')
    const replaced = collect(
      { type: 'TextDelta', text: 'Draft ans' },
      { type: 'ToolCallStart', id: 't', name: 'x' },
      { type: 'ToolCallComplete', id: 't', arguments: '{}' },
      { type: 'TextDelta', text: 'wer' },
      { type: 'Done', content: 'Final answer.' },
    )
    expect(messageText(replaced)).toBe('Final answer.')
    expect(replaced.parts.filter((part) => part.type === 'text')).toHaveLength(1)
  })

  it('handles string arguments, tool errors, calls without a start and results delivered later', () => {
    const message = collect(
      { type: 'ToolCallStart', id: 'a', name: 'read_file' },
      {
        type: 'ToolCallComplete',
        id: 'a',
        name: 'read_file',
        arguments: '{"path":"/etc/hosts"}',
        error: 'permission denied',
      },
      { type: 'ToolCallComplete', id: 'b', name: 'list_dir', arguments: { path: '/' } },
      {
        type: 'ToolCallComplete',
        id: 'b',
        name: 'list_dir',
        arguments: { path: '/' },
        result: ['etc', 'usr'],
      },
      { type: 'ToolCallComplete', id: 'c', name: 'noop', arguments: {}, result: null },
      { type: 'Done' },
    )
    const calls = messageToolCalls(message)
    expect(calls.map((call) => [call.toolCallId, call.toolName, call.state])).toEqual([
      ['a', 'read_file', 'output-error'],
      ['b', 'list_dir', 'output-available'],
      ['c', 'noop', 'input-available'],
    ])
    expect(calls[0]?.errorText).toBe('permission denied')
    expect(calls[0]?.input).toEqual({ path: '/etc/hosts' })
    expect(calls[1]?.output).toEqual(['etc', 'usr'])
  })

  it('turns an Error event into a message error with its code', () => {
    const message = collect(
      { type: 'TextDelta', text: 'Part' },
      { type: 'Error', message: 'LLM quota exceeded', code: 429 },
    )
    expect(message.status).toBe('error')
    expect(message.error).toEqual({ message: 'LLM quota exceeded', code: '429' })
    expect(messageText(message)).toBe('Part')
    expect(collect({ Error: 'boom' }).error?.message).toBe('boom')
  })

  it('reports a stream that ends without Done or Error as interrupted', () => {
    const message = collect(
      { type: 'TextDelta', text: 'Half' },
      { type: 'ToolCallStart', id: 't', name: 'search' },
    )
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('without a Done or Error event')
    expect(messageText(message)).toBe('Half')
    expect(messageToolCalls(message)[0]?.state).toBe('cancelled')
  })

  it('ignores unknown variants and fields, and anything after Done', () => {
    const message = collect(
      { type: 'Heartbeat' },
      { type: 'TextDelta', text: 'Hi', index: 0, model: 'x' },
      { Progress: { pct: 50 } },
      { type: 'Done' },
      { type: 'TextDelta', text: ' late' },
    )
    expect(messageText(message)).toBe('Hi')
    expect(message.status).toBe('complete')
  })

  it('turns malformed JSON followed by another frame into a message error', () => {
    const message = collectText(
      'data: {"type":"TextDelta","text":"ok"}\n\ndata: {"type":"TextDel\n\ndata: {"type":"TextDelta","text":"!"}\n\n',
    )
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(messageText(message)).toBe('ok')
  })

  it('reads a malformed last frame as cut by the end of the body: interrupted, text kept', () => {
    const message = collectText('data: {"type":"TextDelta","text":"ok"}\n\ndata: {"type":"TextDel\n\n')
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('its last frame was cut off')
    expect(messageText(message)).toBe('ok')
  })

  it('reads NDJSON lines too', () => {
    const lines = ['{"TextDelta":{"text":"Hello"}}', '"Done"'].join('\n')
    const message = collectText(lines, 'ndjson')
    expect(messageText(message)).toBe('Hello')
    expect(message.status).toBe('complete')
  })
})

/**
 * A run in the exact shapes of seed 003 (aof-runtime's `StreamEvent`):
 *   TextDelta { delta: String, timestamp: Option<u64> }
 *   ToolCallStart { tool_name, tool_id, arguments }
 *   ToolCallComplete { tool_name, tool_id, success, execution_time_ms, error }
 *   Thinking { content: String }
 *   IterationStart { iteration, max_iterations }
 *   IterationComplete { iteration, stop_reason }
 *   Done { content, total_iterations, execution_time_ms, input_tokens, output_tokens }
 *   Error { message: String }
 */
const seedRun = [
  { type: 'IterationStart', iteration: 1, max_iterations: 5 },
  { type: 'Thinking', content: 'The user wants the weather.' },
  { type: 'TextDelta', delta: 'Checking ', timestamp: 1733130000000 },
  { type: 'TextDelta', delta: 'Paris.', timestamp: null },
  { type: 'ToolCallStart', tool_name: 'get_weather', tool_id: 'toolu_1', arguments: { city: 'Paris' } },
  { type: 'ToolCallStart', tool_name: 'read_file', tool_id: 'toolu_2', arguments: { path: '/etc/shadow' } },
  {
    type: 'ToolCallComplete',
    tool_name: 'get_weather',
    tool_id: 'toolu_1',
    success: true,
    execution_time_ms: 120,
    error: null,
  },
  {
    type: 'ToolCallComplete',
    tool_name: 'read_file',
    tool_id: 'toolu_2',
    success: false,
    execution_time_ms: 3,
    error: 'permission denied',
  },
  { type: 'IterationComplete', iteration: 1, stop_reason: 'tool_use' },
  { type: 'IterationStart', iteration: 2, max_iterations: 5 },
  { type: 'TextDelta', delta: ' It is 18 °C.', timestamp: null },
  { type: 'IterationComplete', iteration: 2, stop_reason: 'end_turn' },
  {
    type: 'Done',
    content: 'It is 18 °C.',
    total_iterations: 2,
    execution_time_ms: 2400,
    input_tokens: 310,
    output_tokens: 42,
  },
]

/** Decode frames one at a time, reducing after each, to see what the user sees mid-stream. */
function statesAfterEachFrame(values: unknown[]): Message[] {
  const decoder = agentEventsProtocol.createDecoder({ messageId: 'a1' })
  let state = initialChatState
  return values.map((value) => {
    state = reduceChat(state, decoder.decode({ data: JSON.stringify(value) }))
    return state.messages.a1 as Message
  })
}

describe('agent-events decoder, the shapes of seed 003', () => {
  it('reads a whole run: thinking, text, tool cards with outcomes and times, steps of 5, usage and total time', () => {
    const message = collect(...seedRun)
    expect(message.status).toBe('complete')
    expect(messageReasoning(message)).toBe('The user wants the weather.')
    // Done.content is the last iteration's answer, already streamed: nothing is pulled out from
    // between the cards.
    expect(messageText(message)).toBe('Checking Paris. It is 18 °C.')
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'text',
      'tool-call',
      'tool-call',
      'data',
      'data',
      'step-start',
      'text',
    ])
    const [weather, file] = messageToolCalls(message)
    expect(weather).toMatchObject({
      toolCallId: 'toolu_1',
      toolName: 'get_weather',
      state: 'output-available',
      input: { city: 'Paris' },
    })
    expect(file).toMatchObject({
      state: 'output-error',
      errorText: 'permission denied',
      input: { path: '/etc/shadow' },
    })
    const times = message.parts.flatMap((part) =>
      part.type === 'data' && part.name === toolExecutionDataName ? [part.data] : [],
    )
    expect(times).toEqual([
      { toolCallId: 'toolu_1', success: true, executionTimeMs: 120 },
      { toolCallId: 'toolu_2', success: false, executionTimeMs: 3 },
    ])
    expect(message.usage).toEqual({ inputTokens: 310, outputTokens: 42 })
    expect(message.metadata).toEqual({ maxIterations: 5, totalIterations: 2, executionTimeMs: 2400 })
    expect(message.finishReason).toBe('stop')
  })

  it('reads the same run externally tagged with snake_case variants (rename_all = "snake_case")', () => {
    const snake = (name: string) =>
      name.replace(/[A-Z]/g, (letter, offset: number) => (offset ? '_' : '') + letter.toLowerCase())
    const external = seedRun.map(({ type, ...fields }) => ({ [snake(type)]: fields }))
    expect(collect(...external)).toEqual(collect(...seedRun))
  })

  it('shows a tool card at ToolCallStart with its input, running, before the tool completes', () => {
    const states = statesAfterEachFrame(seedRun.slice(0, 7))
    const atStart = messageToolCalls(states[4]!)
    expect(atStart).toHaveLength(1)
    expect(atStart[0]).toMatchObject({ toolName: 'get_weather', state: 'running', input: { city: 'Paris' } })
    expect(messageToolCalls(states[5]!).map((call) => call.state)).toEqual(['running', 'running'])
    expect(messageToolCalls(states[6]!).map((call) => call.state)).toEqual(['output-available', 'running'])
  })

  it('replaces the text with Done.content only when the answer differs from what streamed', () => {
    const replaced = collect(
      { type: 'TextDelta', delta: 'Draft', timestamp: null },
      {
        type: 'Done',
        content: 'Final answer.',
        total_iterations: 1,
        execution_time_ms: 5,
        input_tokens: 1,
        output_tokens: 2,
      },
    )
    expect(messageText(replaced)).toBe('Final answer.')
    const kept = collect(
      { type: 'TextDelta', delta: 'Same', timestamp: null },
      {
        type: 'Done',
        content: '',
        total_iterations: 1,
        execution_time_ms: 5,
        input_tokens: 1,
        output_tokens: 2,
      },
    )
    expect(messageText(kept)).toBe('Same')
  })

  it('ends cancelled, not error, when the backend confirms a cancel ("Execution cancelled by user", "Cancelled")', () => {
    for (const words of ['Execution cancelled by user', 'Cancelled']) {
      const message = collect(
        { type: 'TextDelta', delta: 'Part', timestamp: null },
        { type: 'Error', message: words },
      )
      expect(message.status).toBe('cancelled')
      expect(message.error).toBeUndefined()
      expect(messageText(message)).toBe('Part')
    }
    expect(isCancellationMessage('Canceled.')).toBe(true)
    expect(isCancellationMessage('Max iterations (5) exceeded')).toBe(false)
    const failed = collect({ type: 'Error', message: 'Max iterations (5) exceeded' })
    expect(failed.status).toBe('error')
    expect(failed.error?.message).toBe('Max iterations (5) exceeded')
  })

  it('reports a known event with a field of the wrong type as a clear error, keeping what arrived', () => {
    const message = collect(
      { type: 'TextDelta', delta: 'Kept', timestamp: null },
      { type: 'ToolCallStart', tool_name: 'x', tool_id: 't1', arguments: {} },
      {
        type: 'ToolCallComplete',
        tool_name: 'x',
        tool_id: 't1',
        success: true,
        execution_time_ms: 'fast',
        error: null,
      },
      { type: 'TextDelta', delta: ' never shown', timestamp: null },
    )
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-event')
    expect(message.error?.message).toContain('agent-events')
    expect(message.error?.message).toContain(
      `ToolCallComplete's "execution_time_ms" is a string, expected a number`,
    )
    expect(messageText(message)).toBe('Kept')
    expect(messageToolCalls(message)[0]?.state).toBe('cancelled')
    const wrongDelta = collect({ type: 'TextDelta', delta: 42, timestamp: null })
    expect(wrongDelta.error?.message).toContain(`TextDelta's "delta" is a number, expected a string`)
  })

  it('turns arguments nested too deeply to serialize into an error, not a crash', () => {
    const depth = 100_000
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    const message = collectText(
      `data: {"type":"TextDelta","delta":"Kept","timestamp":null}\n\ndata: {"type":"ToolCallStart","tool_name":"x","tool_id":"t","arguments":${nested}}\n\n`,
    )
    expect(message.status).toBe('error')
    expect(message.error?.message).toContain('ToolCallStart is nested too deeply to read')
    expect(messageText(message)).toBe('Kept')
  })
})

describe('agent-events through collectMessage', () => {
  it('collects the final message from a response body by protocol id', async () => {
    const body = new Response('data: {"TextDelta":{"text":"Hi"}}\n\ndata: "Done"\n\n').body!
    const message = await collectMessage(body, 'agent-events')
    expect(message).toMatchObject({ id: 'agent-events-response', status: 'complete', finishReason: 'stop' })
    expect(messageText(message)).toBe('Hi')
  })
})
