import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { readFixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { Message } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { aiSdkProtocol, createAiSdkDecoder } from './decode.ts'
import { aiSdkCodec, aiSdkResponseHeaders } from './encode.ts'
import { chatEventSequence, type SequenceEnding } from './test-helpers/chat-event-sequence.ts'

vi.mock('react', () => ({}))

const folder = 'ai-sdk-ui-message-stream'

function encodeAll(events: readonly ChatEvent[], withEnd = true): string[] {
  const encoder = aiSdkCodec.createEncoder()
  const frames = events.flatMap((event) => encoder.encode(event))
  if (withEnd) frames.push(...encoder.end())
  return frames.map((frame) => frame.data)
}

/** The chunks of a fixture, as the SDK sent them. */
function fixtureChunks(name: string): Record<string, unknown>[] {
  return readFixtureText(`${folder}/${name}`)
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>)
}

/**
 * What Sluice keeps of a fixture chunk: everything but `providerMetadata` (except the Anthropic
 * signature, which Sluice keeps on the reasoning part) and the `custom` provider chunks.
 */
function withoutProviderDetails(chunks: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return chunks
    .filter((chunk) => chunk.type !== 'custom')
    .map((chunk) => {
      const { providerMetadata, ...rest } = chunk as {
        providerMetadata?: { anthropic?: { signature?: string } }
      }
      const signature = providerMetadata?.anthropic?.signature
      return signature === undefined ? rest : { ...rest, providerMetadata: { anthropic: { signature } } }
    })
}

describe('ai-sdk encoder', () => {
  it.each([
    'generated-from-anthropic-extended-thinking-text.sse',
    'generated-from-openai-responses-parallel-tools-two-steps.sse',
    'generated-from-openai-responses-reasoning-summary-tools-three-steps.sse',
    'generated-from-openai-responses-rate-limit-error-masked.sse',
    'generated-from-openai-responses-rate-limit-error-unmasked.sse',
  ])('re-encodes the decoded %s into the chunks the SDK sent', (name) => {
    const decoder = createAiSdkDecoder({ messageId: 'm1' })
    const text = readFixtureText(`${folder}/${name}`)
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .flatMap((line) => decoder.decode({ data: line.slice('data: '.length) }))
    const encoded = encodeAll(events)
    expect(encoded.at(-1)).toBe('[DONE]')
    expect(encoded.slice(0, -1).map((data) => JSON.parse(data) as unknown)).toEqual(
      withoutProviderDetails(fixtureChunks(name)),
    )
  })

  it('writes `data: {json}` events and ends with `data: [DONE]`', () => {
    const encoder = aiSdkCodec.createEncoder({ responseId: 'msg-1' })
    const frames = [
      ...encoder.encode({ type: 'message-start', messageId: 'm1', metadata: { model: 'gpt-4o' } }),
      ...encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi\nthere' }),
      ...encoder.encode({
        type: 'message-end',
        messageId: 'm1',
        finishReason: 'stop',
        usage: { inputTokens: 3, outputTokens: 2 },
      }),
      ...encoder.end(),
    ]
    expect(serializeFrames(frames, aiSdkCodec.framing)).toBe(
      [
        'data: {"type":"start","messageMetadata":{"model":"gpt-4o"},"messageId":"msg-1"}',
        'data: {"type":"text-start","id":"t"}',
        'data: {"type":"text-delta","id":"t","delta":"Hi\\nthere"}',
        'data: {"type":"text-end","id":"t"}',
        'data: {"type":"finish","finishReason":"stop","messageMetadata":{"usage":{"inputTokens":3,"outputTokens":2}}}',
        'data: [DONE]',
        '',
      ].join('\n\n'),
    )
    expect(aiSdkResponseHeaders['x-vercel-ai-ui-message-stream']).toBe('v1')
  })

  it('sends tool input the model got wrong as tool-input-error, as streamText does', () => {
    const encoded = encodeAll([
      { type: 'tool-call-start', messageId: 'm1', toolCallId: 'c1', toolName: 'weather' },
      { type: 'tool-call-delta', messageId: 'm1', toolCallId: 'c1', delta: '{"city":' },
      { type: 'tool-call-end', messageId: 'm1', toolCallId: 'c1' },
    ])
    expect(JSON.parse(encoded[3]!)).toMatchObject({
      type: 'tool-input-error',
      toolCallId: 'c1',
      toolName: 'weather',
      input: '{"city":',
    })
  })

  it('sends nothing more, not even [DONE], after an interrupt', () => {
    const encoded = encodeAll([
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hal' },
      { type: 'message-interrupt', messageId: 'm1' },
    ])
    expect(encoded).toEqual([
      '{"type":"start"}',
      '{"type":"text-start","id":"t"}',
      '{"type":"text-delta","id":"t","delta":"Hal"}',
    ])
  })
})

describe('ai-sdk round trip', () => {
  it('decode(encode(events)) gives the message the events give, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        chatEventSequence('m1', 'ai-sdk'),
        fc.array(fc.integer({ min: 1, max: 48 }), { maxLength: 40 }),
        async ({ events, ending }: { events: ChatEvent[]; ending: SequenceEnding }, sizes) => {
          const expected = reduceChat(initialChatState, events).messages.m1 as Message
          const encoder = aiSdkCodec.createEncoder()
          const frames = events.flatMap((event) => encoder.encode(event))
          frames.push(...encoder.end())
          const body = serializeFrames(frames, aiSdkCodec.framing)
          const decoded = await collectBody(body, sizes, aiSdkProtocol, 'm1')
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
