import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, Message } from '../../message.ts'
import type { Frame, Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { decodeWire as decodeWireEvents } from '../test-helpers/decode-wire.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { withoutInterruptError } from '../test-helpers/without-interrupt-error.ts'
import { streamDeltaProtocol } from './decode.ts'
import { streamDeltaCodec } from './encode.ts'

vi.mock('react', () => ({}))

const messageId = 'a1'

function encode(events: readonly ChatEvent[]): Frame[] {
  return encodeFrames(streamDeltaCodec, events)
}

function decodeWire(
  frames: readonly Frame[],
  framing: Framing,
  cuts: readonly number[],
): Message | undefined {
  return reduceChat(
    initialChatState,
    decodeWireEvents(streamDeltaProtocol, frames, framing, cuts, { messageId }),
  ).messages[messageId]
}

/** Split `text` at the given positions (tool input arrives in arbitrary pieces). */
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
  'content-filter': { finishReason: 'content-filter', rawFinishReason: 'content_filter' },
}

/** Events a stream-delta backend can carry, with the block and call ids its decoder uses. */
const streamDeltaEvents = fc
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
          cuts: fc.array(fc.nat(), { maxLength: 5 }),
        }),
        fc.record({
          kind: fc.constant('usage' as const),
          inputTokens: fc.nat({ max: 1000 }),
          outputTokens: fc.nat({ max: 1000 }),
        }),
      ),
      { maxLength: 10 },
    ),
    ending: fc.constantFrom('stop', 'length', 'tool-calls', 'content-filter', 'error', 'interrupt'),
  })
  .map(({ steps, ending }) => {
    const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
    const counts = { text: 0, reasoning: 0 }
    let open: { kind: 'text' | 'reasoning'; id: string } | undefined
    const close = () => {
      if (open)
        events.push({ type: open.kind === 'text' ? 'text-end' : 'reasoning-end', messageId, id: open.id })
      open = undefined
    }
    let calls = 0
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
        const toolCallId = `call_${calls++}`
        events.push({ type: 'tool-call-start', messageId, toolCallId, toolName: step.name })
        for (const delta of pieces(JSON.stringify(step.input), step.cuts)) {
          events.push({ type: 'tool-call-delta', messageId, toolCallId, delta })
        }
        // The wire ends calls only with the finish_reason: a failed or cut stream never ends them.
        if (ending !== 'interrupt' && ending !== 'error')
          events.push({ type: 'tool-call-end', messageId, toolCallId })
      } else {
        const usage = {
          inputTokens: step.inputTokens,
          outputTokens: step.outputTokens,
          totalTokens: step.inputTokens + step.outputTokens,
        }
        events.push({ type: 'usage', messageId, usage })
      }
    }
    close()
    if (ending === 'error') {
      events.push({
        type: 'message-error',
        messageId,
        error: { message: 'Upstream failed', code: 'upstream' },
      })
    } else if (ending === 'interrupt') {
      events.push({ type: 'message-interrupt', messageId })
    } else {
      events.push({ type: 'message-end', messageId, ...endings[ending] })
    }
    return events
  })

describe('stream-delta encoder', () => {
  it.each<Framing>(['sse', 'ndjson', 'frames'])(
    'round-trips any events through %s, however the bytes are cut',
    (framing) => {
      fc.assert(
        fc.property(streamDeltaEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
          const expected = reduceChat(initialChatState, events).messages[messageId]
          expect(withoutInterruptError(decodeWire(encode(events), framing, cuts))).toEqual(
            withoutInterruptError(expected),
          )
        }),
        { numRuns: 150 },
      )
    },
  )

  it('sends every call so far in every frame once a call exists', () => {
    const frames = encode([
      { type: 'text-delta', messageId, id: 't', delta: 'Checking.' },
      { type: 'tool-call-start', messageId, toolCallId: 'c1', toolName: 'get_weather' },
      { type: 'tool-call-delta', messageId, toolCallId: 'c1', delta: '{"city":' },
      { type: 'tool-call-delta', messageId, toolCallId: 'c1', delta: '"Oslo"}' },
      {
        type: 'message-end',
        messageId,
        finishReason: 'tool-calls',
        usage: { inputTokens: 9, outputTokens: 4 },
      },
    ])
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual([
      { content: 'Checking.', tool_calls: null, finish_reason: null, usage: null },
      {
        content: null,
        tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '' }],
        finish_reason: null,
        usage: null,
      },
      {
        content: null,
        tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":' }],
        finish_reason: null,
        usage: null,
      },
      {
        content: null,
        tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        finish_reason: null,
        usage: null,
      },
      {
        content: null,
        tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        finish_reason: 'tool_calls',
        usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
      },
    ])
  })

  it('sends a call given whole at its end (input, no deltas) as one snapshot', () => {
    const frames = encode([
      { type: 'tool-call-start', messageId, toolCallId: 'c1', toolName: 'sum' },
      { type: 'tool-call-end', messageId, toolCallId: 'c1', input: { a: 1, b: 2 } },
    ])
    expect(JSON.parse(frames[1]!.data).tool_calls).toEqual([
      { id: 'c1', name: 'sum', arguments: '{"a":1,"b":2}' },
    ])
  })
})
