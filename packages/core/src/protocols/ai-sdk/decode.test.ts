import { describe, expect, it, vi } from 'vitest'
import { readFixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { type Message, messageReasoning, messageText, messageToolCalls } from '../../message.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { aiSdkProtocol, createAiSdkDecoder } from './decode.ts'

vi.mock('react', () => ({}))

const folder = 'ai-sdk-ui-message-stream'

function collect(body: string, sizes: readonly number[] = [], messageId?: string): Promise<Message> {
  return collectBody(body, sizes, aiSdkProtocol, messageId)
}

/** An SSE body the way the SDK writes it: one `data: {json}` event per chunk. */
function sseBody(chunks: readonly unknown[], done = true): string {
  let body = ''
  for (const chunk of chunks) body += `data: ${JSON.stringify(chunk)}\n\n`
  return done ? `${body}data: [DONE]\n\n` : body
}

function decodeAll(payloads: readonly string[], messageId = 'm1'): ChatEvent[] {
  const decoder = createAiSdkDecoder({ messageId })
  return [...payloads.flatMap((data) => decoder.decode({ data })), ...decoder.end()]
}

describe('ai-sdk fixtures', () => {
  it('decodes Anthropic extended thinking: reasoning with its signature, then text', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-anthropic-extended-thinking-text.sse`),
    )
    expect(message).toMatchObject({
      id: 'ai-sdk-message',
      role: 'assistant',
      status: 'complete',
      finishReason: 'stop',
    })
    expect(message.parts.map((part) => part.type)).toEqual(['step-start', 'reasoning', 'text'])
    expect(messageReasoning(message)).toMatch(
      /^The question is asking about "the meaning of life, the universe and everything"/,
    )
    expect(messageReasoning(message)).toMatch(
      /I should provide this context in my answer, while acknowledging that the question of meaning is addressed in many different ways across different fictional works\.$/,
    )
    expect(message.parts[1]).toMatchObject({
      type: 'reasoning',
      id: '0',
      state: 'done',
      signature:
        'ErUBCkYIARgCIkCMkRFgNNhwET9y5IN2hGVaMO+tPgd5T2aSXprEVvIU5pN9uklyYgqC6GzmijY5Wr2DFwm5oBX0XHqfb9bYcbmzEgyeDDF5O/iNwNRyyd8aDFdKPcaLtnOEE+xkBSIwhVbJFW8zL9keNzmvEjacAs+Zw6hU7b22EqyWy7hrPjLNHZHJ6SWUV3TzbClf3D05Kh34DwkpbncEwubXurHJa0E8yOLOfa1mCFe43e4r7g==',
    })
    expect(messageText(message)).toBe(
      'In popular fiction, the most famous answer to "the meaning of life, the universe and everything" is definitely "42" - a concept from Douglas Adams\' sci-fi comedy series "The Hitchhiker\'s Guide to the Galaxy." In the story, a supercomputer named Deep Thought spends 7.5 million years calculating this answer, only to reveal that the question itself was never properly formulated.\n\nThis absurdist response has become a cultural touchstone, suggesting that existential questions might have answers that seem nonsensical or that we might be asking the wrong questions altogether.\n\nOther works of fiction explore this theme differently - through quests for purpose, connection with others, or the idea that we create our own meaning - but the "42" reference remains the most recognizable specific answer to this exact question in pop culture.',
    )
  })

  it('uses the caller’s message id', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-anthropic-extended-thinking-text.sse`),
      [],
      'placeholder-1',
    )
    expect(message.id).toBe('placeholder-1')
  })

  it('decodes two parallel tool calls with their outputs, then the answer in a second step', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-openai-responses-parallel-tools-two-steps.sse`),
    )
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('stop')
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'tool-call',
      'tool-call',
      'step-start',
      'text',
    ])
    expect(messageToolCalls(message)).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_GXd80NWdsX8ng3xdeNLeA42o',
        toolName: 'search',
        state: 'output-available',
        inputText: '{"query":"Detroit Tigers game time October 6, 2023"}',
        input: { query: 'Detroit Tigers game time October 6, 2023' },
        output: 'Search results for: Detroit Tigers game time October 6, 2023',
      },
      {
        type: 'tool-call',
        toolCallId: 'call_qfdHN9tTntv02109c9RNnGGe',
        toolName: 'weather',
        state: 'output-available',
        inputText: '{"city":"Detroit"}',
        input: { city: 'Detroit' },
        output: 'The weather will be 75° and sunny in Detroit',
      },
    ])
    expect(messageText(message)).toBe(
      "I couldn't find the specific game time for the Detroit Tigers today. You may want to check the official team website or a sports app for the latest schedule.\n\nAs for the weather, it's 75°F and sunny in Detroit, so you might not need a coat!",
    )
  })

  it('decodes three steps of reasoning summaries and tools, keeping the empty reasoning block', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-openai-responses-reasoning-summary-tools-three-steps.sse`),
    )
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-call',
      'step-start',
      'reasoning',
      'tool-call',
      'step-start',
      'text',
    ])
    expect(message.parts[1]).toMatchObject({
      type: 'reasoning',
      text: "**Providing game details**\n\nThe Tigers game today is set for June 23, 2025, at a specific time. I'm also considering the current temperature in Detroit, which is X° with conditions Y. I need to let the user know if wearing a coat is advisable based on that weather. It’s important to provide this information clearly so the user can make a comfortable choice about their attire for the game.",
    })
    expect(message.parts[4]).toMatchObject({ type: 'reasoning', text: '', state: 'done' })
    expect(
      messageToolCalls(message).map(({ toolName, state, input, output }) => ({
        toolName,
        state,
        input,
        output,
      })),
    ).toEqual([
      {
        toolName: 'search',
        state: 'output-available',
        input: { query: 'Detroit Tigers game time June 23 2025' },
        output: 'Search results for: Detroit Tigers game time June 23 2025',
      },
      {
        toolName: 'weather',
        state: 'output-available',
        input: { city: 'Detroit' },
        output: 'The weather will be 75° and sunny in Detroit',
      },
    ])
    expect(messageText(message)).toBe(
      'The Tigers are playing at Comerica Park today (June 23, 2025) with first pitch scheduled for 3:00 PM Eastern.\n\nRight now in Detroit it’s sunny and about 75°F. That’s warm enough that you won’t need a heavy coat—just something light (a hoodie or light jacket) would be fine, especially if you plan to stick around into the evening when it might cool off into the 60s. Enjoy the game!',
    )
  })

  it('keeps the masked error text of an error before any content (no finish chunk)', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-openai-responses-rate-limit-error-masked.sse`),
    )
    expect(message).toMatchObject({ status: 'error', error: { message: 'An error occurred.' }, parts: [] })
  })

  it('keeps the real upstream error text when the server unmasks it', async () => {
    const message = await collect(
      readFixtureText(`${folder}/generated-from-openai-responses-rate-limit-error-unmasked.sse`),
    )
    expect(message.status).toBe('error')
    expect(message.error?.message).toBe(
      'Request too large for gpt-4o in project proj_f4H0b30rYp2y52CGw64BafkL organization org-H9rGLigVW0aTEjgfHIg3Ircj on tokens per min (TPM): Limit 1, Requested 30. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
    )
  })

  it('keeps an error inside a step as the message error, despite the finish that follows', async () => {
    const message = await collect(readFixtureText(`${folder}/sdk-snapshot-error-mid-step-masked.sse`))
    expect(message).toMatchObject({
      status: 'error',
      finishReason: 'error',
      error: { message: 'An error occurred.' },
      parts: [{ type: 'step-start' }],
    })
  })

  it('decodes the LangChain adapter chunks (a JSON array): parallel tool inputs with no tool-input-available', async () => {
    const chunks = JSON.parse(
      readFixtureText(`${folder}/langchain-adapter-reasoning-parallel-tool-calls.json`),
    ) as unknown[]
    expect(chunks).toHaveLength(175)
    const message = await collect(sseBody(chunks))
    expect(message.status).toBe('complete')
    // The adapter's finish chunk carries no finishReason.
    expect(message.finishReason).toBeUndefined()
    expect(message.parts.map((part) => part.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-call',
      'tool-call',
      'step-start',
      'step-start',
      'text',
    ])
    expect(messageReasoning(message)).toBe(
      "**Getting weather and time**\n\nI need to check the weather and the current time. I'll use the weather and datetime tools, and maybe I can run both calls in parallel for efficiency. The user didn't specify any units, so I think I’ll default to Celsius. For Tokyo, I'll set the timezone to Asia/Tokyo. I want to format the response to be concise, including both the weather and current time. Let's go ahead and make those tool calls in parallel!",
    )
    // The input is parsed once from the streamed text when the output arrives.
    expect(messageToolCalls(message)).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_lxFuvuhpu9gvtx04WrmXZF9h',
        toolName: 'get_weather',
        state: 'output-available',
        inputText: '{"city":"Tokyo","units":"celsius"}',
        input: { city: 'Tokyo', units: 'celsius' },
        output: 'Weather in Tokyo: 20°C, Clear skies',
      },
      {
        type: 'tool-call',
        toolCallId: 'call_U3RijXRN09TXMyKWFZwqWjnJ',
        toolName: 'get_datetime',
        state: 'output-available',
        inputText: '{"timezone":"Asia/Tokyo","format":"full"}',
        input: { timezone: 'Asia/Tokyo', format: 'full' },
        output: 'Current date and time in Asia/Tokyo: Wednesday, December 17, 2025 at 04:00:28 AM',
      },
    ])
    expect(messageText(message)).toBe(
      'Here’s the latest for Tokyo:\n- Weather: 20°C, clear skies\n- Local time: Wednesday, December 17, 2025 at 04:00:28 AM (Asia/Tokyo)',
    )
  })

  it('gives the same message whatever the network chunking', async () => {
    const body = readFixtureText(`${folder}/generated-from-openai-responses-parallel-tools-two-steps.sse`)
    const whole = await collect(body)
    expect(
      await collect(
        body,
        Array.from({ length: body.length }, () => 1),
      ),
    ).toEqual(whole)
    expect(await collect(body, [3, 17, 1, 250, 2, 9, 64, 5, 1, 1, 33])).toEqual(whole)
  })
})

describe('ai-sdk stream faults', () => {
  const text = (id: string, delta: string) => [
    { type: 'text-start', id },
    { type: 'text-delta', id, delta },
    { type: 'text-end', id },
  ]

  it('turns malformed JSON into an error and keeps the text before it', async () => {
    const body = `${sseBody([{ type: 'start' }, { type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'Partial' }], false)}data: {"type":"text-delta","id":"t",\n\ndata: [DONE]\n\n`
    const message = await collect(body)
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('ai-sdk')
    expect(messageText(message)).toBe('Partial')
  })

  it('ignores unknown chunk types and unknown fields', async () => {
    const message = await collect(
      sseBody([
        { type: 'start', somethingNew: true },
        { type: 'custom', kind: 'anthropic.message_start', providerMetadata: {} },
        { type: 'a-chunk-from-the-future', id: 't' },
        ...text('t', 'Hello'),
        { type: 'finish', finishReason: 'stop', extra: 1 },
      ]),
    )
    expect(message).toMatchObject({ status: 'complete', finishReason: 'stop' })
    expect(messageText(message)).toBe('Hello')
  })

  it('treats a text-delta for a part that never started as an error, as the AI SDK does', async () => {
    const message = await collect(
      sseBody([
        { type: 'start' },
        ...text('a', 'Kept'),
        { type: 'text-delta', id: 'x', delta: 'lost' },
        { type: 'finish' },
      ]),
    )
    expect(message.status).toBe('error')
    expect(message.error).toEqual({
      code: 'invalid-chunk-order',
      message:
        'Received text-delta for missing text part with ID "x". Ensure a "text-start" chunk is sent before any "text-delta" chunks.',
    })
    expect(messageText(message)).toBe('Kept')
  })

  it('treats tool input for a call that never started as an error', async () => {
    const message = await collect(
      sseBody([{ type: 'start' }, { type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: '{' }]),
    )
    expect(message.status).toBe('error')
    expect(message.error?.message).toBe(
      'Received tool-input-delta for missing tool call with ID "c1". Ensure a "tool-input-start" chunk is sent before any "tool-input-delta" chunks.',
    )
  })

  it('forgets open text at finish-step, as the AI SDK does', () => {
    const events = decodeAll([
      '{"type":"start-step"}',
      '{"type":"text-start","id":"t"}',
      '{"type":"finish-step"}',
      '{"type":"text-delta","id":"t","delta":"late"}',
    ])
    expect(events.at(-1)).toMatchObject({ type: 'message-error', error: { code: 'invalid-chunk-order' } })
  })

  it('interrupts a stream cut off mid-answer, keeping the partial text and cancelling unfinished tool input', async () => {
    const full = readFixtureText(`${folder}/generated-from-openai-responses-parallel-tools-two-steps.sse`)
    const cutInTool = full.slice(0, full.indexOf('"inputTextDelta":" Tigers"'))
    const toolMessage = await collect(cutInTool)
    expect(toolMessage.status).toBe('interrupted')
    expect(toolMessage.error?.code).toBe('stream-interrupted')
    // The cut fell inside an event: its partial JSON is the cut-off tail, not a protocol error.
    expect(toolMessage.error?.message).toContain('ended in the middle of an event before its "finish" chunk')
    expect(messageToolCalls(toolMessage)).toMatchObject([
      { toolName: 'search', state: 'cancelled', inputText: '{"query":"Detroit' },
    ])

    // Cut at an event boundary this time.
    const cutInText = full.slice(
      0,
      full.indexOf(
        'data: {"type":"text-delta","id":"msg_6859a4b48214819ba96fc250112292510be65637a2186412","delta":" official"',
      ),
    )
    const textMessage = await collect(cutInText)
    expect(textMessage.status).toBe('interrupted')
    expect(textMessage.error?.message).toContain('ended before its "finish" chunk')
    expect(messageText(textMessage)).toBe(
      "I couldn't find the specific game time for the Detroit Tigers today. You may want to check the",
    )
  })

  it('completes a stream whose finish came but whose [DONE] was lost', async () => {
    const message = await collect(
      sseBody([{ type: 'start' }, ...text('t', 'Done'), { type: 'finish', finishReason: 'length' }], false),
    )
    expect(message).toMatchObject({ status: 'complete', finishReason: 'length' })
  })

  it('completes at [DONE] when the server sent no finish chunk (sendFinish: false)', async () => {
    const message = await collect(sseBody([{ type: 'start' }, ...text('t', 'Hi')]))
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBeUndefined()
  })

  it('applies an abort chunk as a cancelled message that keeps its text', async () => {
    const message = await collect(
      sseBody([
        { type: 'start' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Half' },
        { type: 'abort', reason: 'user' },
      ]),
    )
    expect(message.status).toBe('cancelled')
    expect(messageText(message)).toBe('Half')
  })
})

describe('ai-sdk chunk types', () => {
  it('maps data, sources, files, metadata and usage', async () => {
    const message = await collect(
      sseBody([
        { type: 'start', messageId: 'server-id', messageMetadata: { model: 'gpt-4o' } },
        { type: 'data-weather', id: 'w1', data: { city: 'Paris', status: 'loading' } },
        { type: 'data-notification', data: 'Searching…', transient: true },
        { type: 'source-url', sourceId: 's1', url: 'https://example.com/a', title: 'A' },
        {
          type: 'source-document',
          sourceId: 'd1',
          mediaType: 'application/pdf',
          title: 'Report',
          filename: 'report.pdf',
        },
        { type: 'file', url: 'https://example.com/cat.png', mediaType: 'image/png' },
        { type: 'data-weather', id: 'w1', data: { city: 'Paris', status: 'sunny' } },
        { type: 'message-metadata', messageMetadata: { latencyMs: 120 } },
        {
          type: 'finish',
          finishReason: 'stop',
          messageMetadata: {
            usage: {
              inputTokens: 10,
              outputTokens: 5,
              totalTokens: 15,
              outputTokenDetails: { reasoningTokens: 2 },
            },
          },
        },
      ]),
    )
    // The wire's message id is used when the caller gives none.
    expect(message.id).toBe('server-id')
    expect(message.metadata).toEqual({ model: 'gpt-4o', latencyMs: 120 })
    expect(message.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2 })
    expect(message.parts).toEqual([
      { type: 'data', name: 'weather', id: 'w1', data: { city: 'Paris', status: 'sunny' } },
      { type: 'source', url: 'https://example.com/a', title: 'A', sourceId: 's1' },
      {
        type: 'data',
        name: 'source-document',
        id: 'd1',
        data: { sourceId: 'd1', mediaType: 'application/pdf', title: 'Report', filename: 'report.pdf' },
      },
      { type: 'file', url: 'https://example.com/cat.png', mediaType: 'image/png' },
    ])
  })

  it('maps tool errors, denials, approval requests and provider-executed tools', async () => {
    const message = await collect(
      sseBody([
        { type: 'start' },
        { type: 'tool-input-start', toolCallId: 'c1', toolName: 'web_search', providerExecuted: true },
        {
          type: 'tool-input-available',
          toolCallId: 'c1',
          toolName: 'web_search',
          input: { q: 'x' },
          providerExecuted: true,
        },
        { type: 'tool-output-error', toolCallId: 'c1', errorText: 'Search is down', providerExecuted: true },
        {
          type: 'tool-input-error',
          toolCallId: 'c2',
          toolName: 'weather',
          input: '{"city":',
          errorText: 'Invalid JSON',
        },
        {
          type: 'tool-input-available',
          toolCallId: 'c3',
          toolName: 'delete_file',
          input: { path: '/tmp/a' },
        },
        { type: 'tool-approval-request', approvalId: 'ap1', toolCallId: 'c3' },
        { type: 'tool-output-denied', toolCallId: 'c3' },
        { type: 'finish', finishReason: 'tool-calls' },
      ]),
    )
    expect(message.finishReason).toBe('tool-calls')
    expect(message.parts).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'c1',
        toolName: 'web_search',
        state: 'output-error',
        inputText: '{"q":"x"}',
        input: { q: 'x' },
        providerExecuted: true,
        errorText: 'Search is down',
      },
      {
        type: 'tool-call',
        toolCallId: 'c2',
        toolName: 'weather',
        state: 'output-error',
        inputText: '"{\\"city\\":"',
        input: '{"city":',
        errorText: 'Invalid JSON',
      },
      {
        type: 'tool-call',
        toolCallId: 'c3',
        toolName: 'delete_file',
        state: 'output-error',
        inputText: '{"path":"/tmp/a"}',
        input: { path: '/tmp/a' },
        errorText: 'The user denied tool call "c3", so it did not run.',
      },
      {
        type: 'data',
        name: 'tool-approval-request',
        id: 'ap1',
        data: { approvalId: 'ap1', toolCallId: 'c3' },
      },
    ])
  })

  it('gives a text id reused by a later step its own part', async () => {
    const message = await collect(
      sseBody([
        { type: 'start' },
        { type: 'start-step' },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: 'First step.' },
        { type: 'text-end', id: '0' },
        { type: 'finish-step' },
        { type: 'start-step' },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: ' Second step.' },
        { type: 'text-end', id: '0' },
        { type: 'finish-step' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    )
    expect(message.parts).toEqual([
      { type: 'step-start' },
      { type: 'text', id: '0', text: 'First step.', state: 'done' },
      { type: 'step-start' },
      { type: 'text', id: '0~2', text: ' Second step.', state: 'done' },
    ])
  })

  it('maps an unknown finish reason to other and keeps the word', () => {
    const events = decodeAll(['{"type":"finish","finishReason":"pause"}', '[DONE]'])
    expect(events.at(-1)).toEqual({
      type: 'message-end',
      messageId: 'm1',
      finishReason: 'other',
      rawFinishReason: 'pause',
    })
  })

  it('reads the error body of a failed request', () => {
    expect(aiSdkProtocol.decodeError?.('Too many requests', 429)).toEqual({
      message: 'Too many requests',
      status: 429,
    })
    expect(
      aiSdkProtocol.decodeError?.({ error: { message: 'Bad key', code: 'invalid_api_key' } }, 401),
    ).toEqual({
      message: 'Bad key',
      code: 'invalid_api_key',
      status: 401,
    })
    expect(aiSdkProtocol.decodeError?.('', 500)).toBeUndefined()
  })
})

describe('ai-sdk message id and metadata, as the SDK builds them', () => {
  it("honours the server's messageId in start even when a data part came first", async () => {
    const body = sseBody([
      { type: 'data-weather', id: 'w1', data: { city: 'Paris' } },
      { type: 'start', messageId: 'server-msg' },
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'text-end', id: 't' },
      { type: 'finish' },
    ])
    const message = await collect(body)
    expect(message.id).toBe('server-msg')
    expect(message.status).toBe('complete')
    expect(message.parts).toMatchObject([
      { type: 'data', name: 'weather', id: 'w1', data: { city: 'Paris' } },
      { type: 'text', text: 'Hi' },
    ])
  })

  it("keeps the caller's id over the server's, with data parts first", async () => {
    const body = sseBody([
      { type: 'data-x', data: 1 },
      { type: 'start', messageId: 'server-msg' },
      { type: 'finish' },
    ])
    const message = await collect(body, [], 'mine')
    expect(message.id).toBe('mine')
    expect(message.parts).toMatchObject([{ type: 'data', name: 'x', data: 1 }])
  })

  it('merges nested message metadata deeply, as the SDK does', async () => {
    const body = sseBody([
      { type: 'start', messageMetadata: { model: { id: 'gpt-x', vendor: 'openai' }, tags: ['a'] } },
      { type: 'message-metadata', messageMetadata: { model: { latencyMs: 12 } } },
      { type: 'finish', messageMetadata: { model: { id: 'gpt-y' }, tags: ['b'], done: true } },
    ])
    const message = await collect(body)
    expect(message.metadata).toEqual({
      model: { id: 'gpt-y', vendor: 'openai', latencyMs: 12 },
      tags: ['b'],
      done: true,
    })
  })

  it('never lets metadata keys reach a prototype', async () => {
    const body = `data: {"type":"start","messageMetadata":{"a":{"x":1}}}\n\ndata: {"type":"message-metadata","messageMetadata":{"a":{"__proto__":{"polluted":true}}}}\n\ndata: {"type":"finish"}\n\n`
    const message = await collect(body)
    expect(message.metadata).toEqual({ a: { x: 1 } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(message.metadata?.a)).toBe(Object.prototype)
  })
})
