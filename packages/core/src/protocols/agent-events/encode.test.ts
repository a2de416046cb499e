import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import {
  type FinishReason,
  type Message,
  messageReasoning,
  messageText,
  messageToolCalls,
} from '../../message.ts'
import type { Frame, Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { decodeWire as decodeWireEvents } from '../test-helpers/decode-wire.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { agentEventsProtocol } from './decode.ts'
import { type AgentEventsEncoderOptions, agentEventsCodec } from './encode.ts'

vi.mock('react', () => ({}))

const messageId = 'a1'

/** JSON has no -0: a value as it comes out of JSON.parse on the other side. */
const asSentOnTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

function encode(events: readonly ChatEvent[], options?: AgentEventsEncoderOptions): Frame[] {
  return encodeFrames(agentEventsCodec, events, options)
}

function decodeWire(
  frames: readonly Frame[],
  framing: Framing,
  cuts: readonly number[],
): Message | undefined {
  return reduceChat(
    initialChatState,
    decodeWireEvents(agentEventsProtocol, frames, framing, cuts, { messageId }),
  ).messages[messageId]
}

function pieces(text: string, cuts: readonly number[]): string[] {
  const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
  const result: string[] = []
  let previous = 0
  for (const position of [...positions, text.length]) {
    if (position > previous) result.push(text.slice(previous, position))
    previous = position
  }
  return result
}

const endings: Record<string, { finishReason: FinishReason; rawFinishReason?: string }> = {
  stop: { finishReason: 'stop' },
  length: { finishReason: 'length' },
  'tool-calls': { finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
}

const agentRunEvents = fc
  .record({
    steps: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('text' as const),
          delta: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
        }),
        fc.record({
          kind: fc.constant('reasoning' as const),
          delta: fc.string({ minLength: 1, maxLength: 10 }),
        }),
        fc.record({
          kind: fc.constant('tool' as const),
          name: fc.string({ minLength: 1, maxLength: 8 }),
          input: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          cuts: fc.array(fc.nat(), { maxLength: 4 }),
          outcome: fc.oneof(
            fc.constant(undefined),
            fc.record({
              output: fc
                .jsonValue({ maxDepth: 2 })
                .map(asSentOnTheWire)
                .filter((value) => value !== null),
            }),
            fc.record({ errorText: fc.string({ minLength: 1, maxLength: 10 }) }),
          ),
        }),
        fc.record({ kind: fc.constant('iteration' as const) }),
        fc.record({
          kind: fc.constant('usage' as const),
          inputTokens: fc.nat(500),
          outputTokens: fc.nat(500),
        }),
      ),
      { maxLength: 12 },
    ),
    ending: fc.constantFrom('stop', 'length', 'tool-calls', 'error', 'interrupt'),
    content: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
  })
  .map(({ steps, ending, content }) => {
    const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
    const counts = { text: 0, reasoning: 0 }
    let open: { kind: 'text' | 'reasoning'; id: string } | undefined
    const close = () => {
      if (open)
        events.push({ type: open.kind === 'text' ? 'text-end' : 'reasoning-end', messageId, id: open.id })
      open = undefined
    }
    let calls = 0
    let iteration = 0
    const done = ending !== 'error' && ending !== 'interrupt'
    for (const step of steps) {
      if (step.kind === 'text' || step.kind === 'reasoning') {
        if (open?.kind !== step.kind) {
          close()
          open = { kind: step.kind, id: `${step.kind}-${counts[step.kind]++}` }
          events.push({
            type: step.kind === 'text' ? 'text-start' : 'reasoning-start',
            messageId,
            id: open.id,
          })
        }
        events.push({
          type: step.kind === 'text' ? 'text-delta' : 'reasoning-delta',
          messageId,
          id: open.id,
          delta: step.delta,
        })
      } else if (step.kind === 'tool') {
        close()
        const toolCallId = `tc_${calls++}`
        events.push({ type: 'tool-call-start', messageId, toolCallId, toolName: step.name })
        for (const delta of pieces(JSON.stringify(step.input), step.cuts)) {
          events.push({ type: 'tool-call-delta', messageId, toolCallId, delta })
        }
        events.push({ type: 'tool-call-end', messageId, toolCallId })
        if (step.outcome && 'output' in step.outcome) {
          events.push({ type: 'tool-result', messageId, toolCallId, output: step.outcome.output })
        } else if (step.outcome) {
          events.push({ type: 'tool-error', messageId, toolCallId, errorText: step.outcome.errorText })
        }
      } else if (step.kind === 'iteration') {
        close()
        if (iteration > 0) events.push({ type: 'step-end', messageId, stepId: `iteration-${iteration}` })
        iteration += 1
        events.push({ type: 'step-start', messageId, stepId: `iteration-${iteration}` })
      } else if (done) {
        // Usage travels in Done: a run that never finishes cannot report it.
        const usage = { inputTokens: step.inputTokens, outputTokens: step.outputTokens }
        events.push({ type: 'usage', messageId, usage })
      }
    }
    close()
    if (iteration > 0) events.push({ type: 'step-end', messageId, stepId: `iteration-${iteration}` })
    if (ending === 'error') {
      events.push({ type: 'message-error', messageId, error: { message: 'Agent crashed', code: 'panic' } })
    } else if (ending === 'interrupt') {
      events.push({ type: 'message-interrupt', messageId })
    } else {
      const end: ChatEvent = { type: 'message-end', messageId, ...endings[ending] }
      if (content !== undefined) end.content = content
      events.push(end)
    }
    return events
  })

/**
 * What of a message the seed-003 wire can carry: text, reasoning, each tool call's name, input
 * and outcome (success or its error, not the output: `ToolCallComplete` has no output field),
 * the status and, once done, the token counts. A call the run never completed is still
 * `running` when Done comes (the wire announced it running); stopped early, it is `cancelled`.
 */
function wireView(message: Message | undefined) {
  if (message === undefined) return undefined
  return {
    status: message.status,
    text: messageText(message),
    reasoning: messageReasoning(message),
    steps: message.parts.filter((part) => part.type === 'step-start').length,
    tools: messageToolCalls(message).map((call) => ({
      id: call.toolCallId,
      name: call.toolName,
      input: call.input,
      state: call.state === 'input-available' || call.state === 'input-streaming' ? 'running' : call.state,
      errorText: call.state === 'output-error' ? call.errorText : undefined,
    })),
    usage:
      message.status === 'complete'
        ? { inputTokens: message.usage?.inputTokens ?? 0, outputTokens: message.usage?.outputTokens ?? 0 }
        : undefined,
    error: message.status === 'error' ? message.error?.message : undefined,
  }
}

describe('agent-events encoder', () => {
  const encodings: [Framing, AgentEventsEncoderOptions][] = [
    ['sse', {}],
    ['sse', { tagging: 'external' }],
    ['ndjson', { tagging: 'external', naming: 'snake_case' }],
    ['frames', { naming: 'snake_case' }],
  ]
  it.each(encodings)(
    'carries any agent run through %s with %o, whatever the wire can hold, however the bytes are cut',
    (framing, options) => {
      fc.assert(
        fc.property(agentRunEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
          const expected = reduceChat(initialChatState, events).messages[messageId]
          const frames = encode(events, options)
          const whole = decodeWire(frames, framing, [])
          expect(decodeWire(frames, framing, cuts)).toEqual(whole)
          const view = wireView(expected)
          // Done.content replaces the text only when it differs from what streamed.
          if (view !== undefined && expected?.status === 'complete') {
            const content = events.find((event) => event.type === 'message-end')?.content
            const streamed = events
              .flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
              .join('')
            if (content !== undefined && (content === '' || streamed.endsWith(content))) view.text = streamed
          }
          expect(wireView(whole)).toEqual(view)
        }),
        { numRuns: 120 },
      )
    },
  )

  const run: ChatEvent[] = [
    { type: 'step-start', messageId, stepId: 'iteration-1' },
    { type: 'reasoning-delta', messageId, id: 'r', delta: 'Hmm.' },
    { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
    { type: 'tool-call-start', messageId, toolCallId: 'c1', toolName: 'add' },
    { type: 'tool-call-delta', messageId, toolCallId: 'c1', delta: '{"a":1,' },
    { type: 'tool-call-delta', messageId, toolCallId: 'c1', delta: '"b":2}' },
    { type: 'tool-call-end', messageId, toolCallId: 'c1' },
    {
      type: 'data',
      messageId,
      name: 'tool-execution',
      id: 'c1',
      data: { toolCallId: 'c1', success: true, executionTimeMs: 42 },
    },
    { type: 'tool-result', messageId, toolCallId: 'c1', output: 3 },
    { type: 'step-end', messageId, stepId: 'iteration-1' },
    { type: 'step-start', messageId, stepId: 'iteration-2' },
    { type: 'tool-call-start', messageId, toolCallId: 'c2', toolName: 'read_file' },
    { type: 'tool-call-end', messageId, toolCallId: 'c2', input: { path: '/x' } },
    { type: 'tool-error', messageId, toolCallId: 'c2', errorText: 'permission denied' },
    { type: 'step-end', messageId, stepId: 'iteration-2' },
    { type: 'usage', messageId, usage: { inputTokens: 5, outputTokens: 7 } },
    { type: 'message-end', messageId, finishReason: 'stop', metadata: { executionTimeMs: 900 } },
  ]

  it('writes the StreamEvent shapes of the design document, internally tagged PascalCase by default', () => {
    // Seed 003: TextDelta { delta, timestamp }, ToolCallStart { tool_name, tool_id, arguments },
    // ToolCallComplete { tool_name, tool_id, success, execution_time_ms, error }, Thinking { content },
    // IterationStart { iteration, max_iterations }, IterationComplete { iteration, stop_reason },
    // Done { content, total_iterations, execution_time_ms, input_tokens, output_tokens }, Error { message }
    expect(encode(run, { maxIterations: 5 }).map((frame) => JSON.parse(frame.data))).toEqual([
      { type: 'IterationStart', iteration: 1, max_iterations: 5 },
      { type: 'Thinking', content: 'Hmm.' },
      { type: 'TextDelta', delta: 'Hi', timestamp: null },
      { type: 'ToolCallStart', tool_name: 'add', tool_id: 'c1', arguments: { a: 1, b: 2 } },
      {
        type: 'ToolCallComplete',
        tool_name: 'add',
        tool_id: 'c1',
        success: true,
        execution_time_ms: 42,
        error: null,
      },
      { type: 'IterationComplete', iteration: 1, stop_reason: 'tool_use' },
      { type: 'IterationStart', iteration: 2, max_iterations: 5 },
      { type: 'ToolCallStart', tool_name: 'read_file', tool_id: 'c2', arguments: { path: '/x' } },
      {
        type: 'ToolCallComplete',
        tool_name: 'read_file',
        tool_id: 'c2',
        success: false,
        execution_time_ms: 0,
        error: 'permission denied',
      },
      { type: 'IterationComplete', iteration: 2, stop_reason: 'tool_use' },
      {
        type: 'Done',
        content: 'Hi',
        total_iterations: 2,
        execution_time_ms: 900,
        input_tokens: 5,
        output_tokens: 7,
      },
    ])
  })

  it('writes externally tagged snake_case variants, a cancel as the backend words it, and an error without a code', () => {
    const frames = encode(
      [
        { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
        { type: 'message-end', messageId },
      ],
      { tagging: 'external', naming: 'snake_case' },
    )
    expect(frames.map((frame) => frame.data)).toEqual([
      '{"text_delta":{"delta":"Hi","timestamp":null}}',
      '{"done":{"content":"Hi","total_iterations":1,"execution_time_ms":0,"input_tokens":0,"output_tokens":0}}',
    ])
    expect(
      encode([{ type: 'message-error', messageId, error: { message: 'boom', code: 'E1' } }], {
        tagging: 'external',
      })[0]?.data,
    ).toBe('{"Error":{"message":"boom"}}')
    expect(encode([{ type: 'message-abort', messageId }])[0]?.data).toBe(
      '{"type":"Error","message":"Execution cancelled by user"}',
    )
  })

  it('decodes its own run back to the cards, steps, usage and metrics a user sees', () => {
    const message = decodeWire(encode(run, { maxIterations: 5 }), 'sse', [7, 30, 31, 200])
    expect(message?.status).toBe('complete')
    expect(message?.metadata).toEqual({ maxIterations: 5, totalIterations: 2, executionTimeMs: 900 })
    expect(message?.usage).toEqual({ inputTokens: 5, outputTokens: 7 })
    expect(
      message?.parts.flatMap((part) =>
        part.type === 'tool-call' ? [[part.toolCallId, part.state, part.errorText]] : [],
      ),
    ).toEqual([
      ['c1', 'output-available', undefined],
      ['c2', 'output-error', 'permission denied'],
    ])
  })
})
