import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, Message } from '../../message.ts'
import type { Frame, Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { decodeWire as decodeWireEvents } from '../test-helpers/decode-wire.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { withoutInterruptError } from '../test-helpers/without-interrupt-error.ts'
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

describe('agent-events encoder', () => {
  const encodings: [Framing, AgentEventsEncoderOptions][] = [
    ['sse', {}],
    ['sse', { tagging: 'external' }],
    ['ndjson', { tagging: 'external', naming: 'snake_case' }],
    ['frames', { naming: 'snake_case' }],
  ]
  it.each(encodings)(
    'round-trips any agent run through %s with %o, however the bytes are cut',
    (framing, options) => {
      fc.assert(
        fc.property(agentRunEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
          const expected = reduceChat(initialChatState, events).messages[messageId]
          expect(withoutInterruptError(decodeWire(encode(events, options), framing, cuts))).toEqual(
            withoutInterruptError(expected),
          )
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
    { type: 'tool-result', messageId, toolCallId: 'c1', output: 3 },
    { type: 'step-end', messageId, stepId: 'iteration-1' },
    { type: 'usage', messageId, usage: { inputTokens: 5, outputTokens: 7 } },
    { type: 'message-end', messageId, finishReason: 'stop' },
  ]

  it('writes internally tagged PascalCase variants by default', () => {
    expect(encode(run).map((frame) => JSON.parse(frame.data))).toEqual([
      { type: 'IterationStart', iteration: 1 },
      { type: 'Thinking', text: 'Hmm.' },
      { type: 'TextDelta', text: 'Hi' },
      { type: 'ToolCallStart', id: 'c1', name: 'add' },
      { type: 'ToolCallComplete', id: 'c1', name: 'add', arguments: { a: 1, b: 2 } },
      { type: 'ToolCallComplete', id: 'c1', name: 'add', arguments: { a: 1, b: 2 }, result: 3 },
      { type: 'IterationComplete', iteration: 1 },
      { type: 'Done', usage: { input_tokens: 5, output_tokens: 7 }, finish_reason: 'stop' },
    ])
  })

  it('writes externally tagged snake_case variants, with a bare string for a unit Done', () => {
    const frames = encode(
      [
        { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
        { type: 'message-end', messageId },
      ],
      { tagging: 'external', naming: 'snake_case' },
    )
    expect(frames.map((frame) => frame.data)).toEqual(['{"text_delta":{"text":"Hi"}}', '"done"'])
    expect(
      encode([{ type: 'message-error', messageId, error: { message: 'boom', code: 'E1' } }], {
        tagging: 'external',
      })[0]?.data,
    ).toBe('{"Error":{"message":"boom","code":"E1"}}')
  })
})
