import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { Message } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { chatEventSequence } from '../ai-sdk/test-helpers/chat-event-sequence.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { agUiProtocol } from './decode.ts'
import { agUiCodec } from './encode.ts'

vi.mock('react', () => ({}))

function encodeAll(events: readonly ChatEvent[]): unknown[] {
  const encoder = agUiCodec.createEncoder()
  return [...events.flatMap((event) => encoder.encode(event)), ...encoder.end()].map((frame) =>
    JSON.parse(frame.data),
  )
}

describe('ag-ui encoder', () => {
  it('sends a run as the AG-UI events, as `data: {json}` SSE with no [DONE]', () => {
    const encoder = agUiCodec.createEncoder()
    const frames = [
      ...encoder.encode({
        type: 'message-start',
        messageId: 'm1',
        metadata: { threadId: 't1', runId: 'r1' },
      }),
      ...encoder.encode({ type: 'text-delta', messageId: 'm1', id: 'msg-1', delta: 'Hi' }),
      ...encoder.encode({
        type: 'message-end',
        messageId: 'm1',
        finishReason: 'stop',
        usage: { inputTokens: 4, outputTokens: 1 },
      }),
      ...encoder.end(),
    ]
    expect(serializeFrames(frames, agUiCodec.framing)).toBe(
      [
        'data: {"type":"RUN_STARTED","threadId":"t1","runId":"r1"}',
        'data: {"type":"TEXT_MESSAGE_START","messageId":"msg-1","role":"assistant"}',
        'data: {"type":"TEXT_MESSAGE_CONTENT","messageId":"msg-1","delta":"Hi"}',
        'data: {"type":"TEXT_MESSAGE_END","messageId":"msg-1"}',
        'data: {"type":"RUN_FINISHED","threadId":"t1","runId":"r1","usage":[{"inputTokens":4,"outputTokens":1}]}',
        '',
      ].join('\n\n'),
    )
  })

  it('sends whole tool input as one TOOL_CALL_ARGS, and results as text', () => {
    expect(
      encodeAll([
        {
          type: 'tool-call-end',
          messageId: 'm1',
          toolCallId: 'c1',
          toolName: 'weather',
          input: { city: 'Oslo' },
        },
        { type: 'tool-result', messageId: 'm1', toolCallId: 'c1', output: { temperature: 3 } },
        { type: 'message-error', messageId: 'm1', error: { message: 'Boom', code: 'x' } },
      ]),
    ).toEqual([
      { type: 'RUN_STARTED', threadId: 'thread-m1', runId: 'run-m1' },
      { type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'weather' },
      { type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"city":"Oslo"}' },
      { type: 'TOOL_CALL_END', toolCallId: 'c1' },
      {
        type: 'TOOL_CALL_RESULT',
        messageId: 'c1-result',
        toolCallId: 'c1',
        content: '{"temperature":3}',
        role: 'tool',
      },
      { type: 'RUN_ERROR', message: 'Boom', code: 'x' },
    ])
  })

  it('closes open text, reasoning, tool calls and steps before RUN_FINISHED', () => {
    const types = encodeAll([
      { type: 'message-start', messageId: 'm1' },
      { type: 'step-start', messageId: 'm1' },
      { type: 'reasoning-delta', messageId: 'm1', id: 'r', delta: 'Hm' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'A' },
      { type: 'tool-call-start', messageId: 'm1', toolCallId: 'c', toolName: 'x' },
      { type: 'message-end', messageId: 'm1' },
    ]).map((event) => (event as { type: string }).type)
    expect(types.slice(-6)).toEqual([
      'TEXT_MESSAGE_END',
      'REASONING_MESSAGE_END',
      'REASONING_END',
      'TOOL_CALL_END',
      'STEP_FINISHED',
      'RUN_FINISHED',
    ])
  })
})

describe('ag-ui round trip', () => {
  it('decode(encode(events)) gives the message the events give, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        chatEventSequence('m1', 'ag-ui'),
        fc.array(fc.integer({ min: 1, max: 48 }), { maxLength: 40 }),
        async ({ events, ending }, sizes) => {
          const expected = reduceChat(initialChatState, events).messages.m1 as Message
          const encoder = agUiCodec.createEncoder()
          const frames = events.flatMap((event) => encoder.encode(event))
          frames.push(...encoder.end())
          const decoded = await collectBody(
            serializeFrames(frames, agUiCodec.framing),
            sizes,
            agUiProtocol,
            'm1',
          )
          if (ending === 'interrupt') {
            // The wire cannot carry the interrupt's reason: the decoder writes its own.
            const { error, ...rest } = decoded
            const { error: _expectedError, ...expectedRest } = expected
            expect(rest).toEqual(expectedRest)
            expect(error?.code).toBe('stream-interrupted')
          } else {
            expect(decoded).toEqual(expected)
          }
        },
      ),
      { numRuns: 80 },
    )
  }, 60_000)
})
