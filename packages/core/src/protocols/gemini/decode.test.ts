import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureText, fromChunks, listFixtures } from '../../../../../test/helpers/fixtures.ts'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import {
  type Message,
  messageReasoning,
  messageText,
  messageToolCalls,
  type ReasoningPart,
} from '../../message.ts'
import type { DecoderOptions } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { geminiProtocol } from './decode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

const folder = 'gemini-sse'
const parallel = `${folder}/parallel-function-calls-thought-signature-gemini25flash.sse`
const afterTools = `${folder}/text-after-tool-results-gemini25flash.sse`
const plainText = `${folder}/text-gemini20flash.sse`
const trailingSignature = `${folder}/text-trailing-thought-signature-gemini3pro.chunks.txt`
const thoughts = `${folder}/thought-summaries-then-function-call-gemini3pro.sse`
const vertex = `${folder}/vertex-streamed-function-call-partial-args-gemini31pro.chunks.txt`

/** Bytes → SSE frames → the decoder, as `readChatEvents` does. */
async function decodeEvents(body: string, sizes: readonly number[] = [], options: DecoderOptions = {}) {
  const text = createTextChunkDecoder()
  const framer = createFramer('sse')
  const decoder = geminiProtocol.createDecoder(options)
  const events: ChatEvent[] = []
  for await (const chunk of fromChunks(chunkedBytes(body, sizes))) {
    for (const frame of framer.push(text.decode(chunk))) events.push(...decoder.decode(frame))
  }
  for (const frame of [...framer.push(text.end()), ...framer.end()]) events.push(...decoder.decode(frame))
  events.push(...decoder.end())
  return events
}

function collect(body: string, sizes: readonly number[] = [], options: DecoderOptions = { messageId: 'm1' }) {
  return collectMessage(fromChunks(chunkedBytes(body, sizes)), geminiProtocol, options)
}

function toolCalls(message: Message) {
  return messageToolCalls(message).map(({ toolCallId, toolName, state, input }) => ({
    toolCallId,
    toolName,
    state,
    input,
  }))
}

function signatures(message: Message): Record<string, string> {
  return (message.metadata?.thoughtSignatures ?? {}) as Record<string, string>
}

/** An SSE body from chunk objects, with Gemini's CRLF framing. */
function sse(...chunks: unknown[]): string {
  return chunks
    .map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\r\n\r\n`)
    .join('')
}

function textChunk(text: string, extra: Record<string, unknown> = {}) {
  return { candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...extra }] }
}

describe('Gemini fixtures', () => {
  it('covers every recorded fixture', () => {
    expect(listFixtures(folder)).toEqual([
      parallel,
      afterTools,
      plainText,
      trailingSignature,
      thoughts,
      vertex,
    ])
  })

  it('streams plain text; usage grows until the chunk with finishReason', async () => {
    const message = await collect(fixtureText(plainText))
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe(
      "AI? It's simple! We just feed a computer a HUGE pile of information, tell it to find patterns, and then it pretends to be smart! Like teaching a parrot to say cool things. Mostly magic, though.\n",
    )
    expect(message.finishReason).toBe('stop')
    expect(message.rawFinishReason).toBe('STOP')
    expect(message.usage).toEqual({ inputTokens: 21, outputTokens: 47, totalTokens: 68 })
    expect(message.metadata?.model).toBe('gemini-2.0-flash')
  })

  it('keeps the trailing empty part’s thought signature for the text, without an empty reasoning part', async () => {
    const message = await collect(fixtureText(trailingSignature))
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['text'])
    expect(messageText(message)).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y')
    expect(message.usage).toEqual({
      inputTokens: 9,
      outputTokens: 23,
      reasoningTokens: 185,
      totalTokens: 217,
    })
    expect(signatures(message)['text-0']).toMatch(
      /^EqsFCqgFAb4\+9vvtAF5n87lB4OGDOoTRMOqp35jW.*FwAG37eeWcow=$/,
    )
  })

  it('streams thought summaries as reasoning signed by the function call that follows (CRLF framing)', async () => {
    const message = await collect(fixtureText(thoughts), [], {})
    expect(message.id).toBe('B94haYr_OovWjMcPjJy_6Qk')
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call'])
    expect(messageReasoning(message)).toBe(
      "**Checking the Weather Data**\n\nI'm currently focused on getting the precise weather details for San Francisco. I've decided to utilize the `weather` tool to retrieve the necessary data. My next step will be analyzing this data, focusing specifically on temperature and current conditions, to provide tailored advice regarding the necessity of a coat.\n\n\n" +
        "**Refining Coat Recommendations**\n\nI've determined that after collecting the San Francisco weather data, I'll need to develop a clear algorithm to advise the user on coat necessity. The temperature, wind, and precipitation will all be factored into my decision-making process. The output will then offer the user either a simple yes/no response, or a more detailed analysis.\n\n\n",
    )
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0',
        toolName: 'weather',
        state: 'input-available',
        input: { city: 'San Francisco' },
      },
    ])
    const reasoning = message.parts[0] as ReasoningPart
    expect(reasoning.signature).toMatch(/^Eq0ECqoEAdHtim8E9iAxfKwT6Qsj.*xIxU=$/)
    expect(signatures(message).call_0).toBe(reasoning.signature)
    expect(messageText(message)).toBe('')
    expect(message.finishReason).toBe('tool-calls')
    expect(message.rawFinishReason).toBe('STOP')
    expect(message.usage).toEqual({
      inputTokens: 131,
      outputTokens: 15,
      reasoningTokens: 95,
      totalTokens: 241,
    })
    expect(message.metadata).toMatchObject({
      model: 'gemini-3-pro-preview',
      responseId: 'B94haYr_OovWjMcPjJy_6Qk',
    })
  })

  it('decodes parallel function calls in one chunk; only the first carries a signature', async () => {
    const message = await collect(fixtureText(parallel))
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0',
        toolName: 'weather',
        state: 'input-available',
        input: { city: 'San Francisco' },
      },
      { toolCallId: 'call_1', toolName: 'weather', state: 'input-available', input: { city: 'Santa Cruz' } },
    ])
    expect(Object.keys(signatures(message))).toEqual(['call_0'])
    expect(signatures(message).call_0).toMatch(/^CiQBcsjafHZTzmdwT4VdIPd5.*dIUM=$/)
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 68,
      outputTokens: 28,
      reasoningTokens: 79,
      totalTokens: 175,
    })
    expect(message.metadata?.finishMessage).toBe('Model generated function call(s).')
  })

  it('decodes text with a signature on its first part (multi-byte characters intact)', async () => {
    const message = await collect(fixtureText(afterTools))
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe(
      'It is warmer in Santa Cruz. The weather in San Francisco is 50° and sunny, and in Santa Cruz, it is 75° and sunny.',
    )
    expect(message.parts.map((part) => part.type)).toEqual(['text'])
    expect(signatures(message)['text-0']).toMatch(/^CiIBcsjafBDzgG\/RVNyk2Yibkqm.*SlTYij0=$/)
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 245,
      outputTokens: 34,
      reasoningTokens: 100,
      totalTokens: 379,
    })
  })

  it('assembles Vertex streamed function-call arguments (partialArgs, willContinue, closing {})', async () => {
    const events = await decodeEvents(fixtureText(vertex), [], { messageId: 'm1' })
    const message = reduceChat(initialChatState, events).messages.m1!
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0',
        toolName: 'getWeather',
        state: 'input-available',
        input: { location: 'Boston' },
      },
      {
        toolCallId: 'call_1',
        toolName: 'getWeather',
        state: 'input-available',
        input: { location: 'San Francisco' },
      },
    ])
    expect(messageToolCalls(message).map((call) => call.inputText)).toEqual([
      '{"location":"Boston"}',
      '{"location":"San Francisco"}',
    ])
    // The input streams while the call is open: the first value arrives before the closing part.
    const deltas = events.filter((event) => event.type === 'tool-call-delta')
    expect(deltas.map((event) => event.delta)).toEqual(['{"location":"Boston', '{"location":"San Francisco'])
    expect(signatures(message).call_0).toMatch(/^CiMBjz1rX25KieIB4d4AwFn8/)
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 26,
      outputTokens: 23,
      reasoningTokens: 132,
      totalTokens: 181,
    })
    expect(message.metadata?.createTime).toBe('2026-04-02T17:03:50.399550Z')
  })

  it.each([plainText, trailingSignature, thoughts, parallel, afterTools, vertex])(
    'gives the same message however %s is chunked',
    async (path) => {
      const body = fixtureText(path)
      const whole = await collect(body)
      for (const sizes of [[1, 2, 3, 5, 8, 13, 21, 34, 55], Array(body.length).fill(1), [97, 3, 400, 1]]) {
        expect(await collect(body, sizes)).toEqual(whole)
      }
    },
  )
})

describe('Gemini edge cases', () => {
  const plainChunks = fixtureText(plainText).split('\n\n').filter(Boolean)

  it('interrupts a stream that ends without a finishReason, keeping the partial text', async () => {
    const message = await collect(`${plainChunks.slice(0, 2).join('\n\n')}\n\n`)
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe("AI? It's simple! We just feed a computer a HUGE pile of information")
    expect(message.error?.message).toMatch(/ended before a chunk with a finishReason/)
  })

  it('interrupts a stream cut in the middle of an event', async () => {
    const message = await collect(`${plainChunks[0]}\n\n${plainChunks[1]!.slice(0, 60)}`)
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('its last frame was cut off')
    expect(messageText(message)).toBe('AI')
  })

  it('turns a malformed event into an error that says what arrived', async () => {
    const message = await collect(sse(textChunk('Hello'), '{"candidates": [', textChunk(' world')))
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('Gemini')
    expect(messageText(message)).toBe('Hello')
  })

  it('ends with the Google error when an error object arrives as an event mid-stream', async () => {
    const error = {
      error: {
        code: 503,
        message: 'This model is currently experiencing high demand.',
        status: 'UNAVAILABLE',
      },
    }
    for (const payload of [error, [error]]) {
      const message = await collect(sse(textChunk('Partial'), payload))
      expect(message.status).toBe('error')
      expect(message.error).toEqual({
        message: 'This model is currently experiencing high demand.',
        code: 'UNAVAILABLE',
        status: 503,
      })
      expect(messageText(message)).toBe('Partial')
    }
  })

  it('surfaces a raw (non-SSE, pretty-printed) JSON error appended after the events', async () => {
    const raw = JSON.stringify(
      { error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } },
      null,
      2,
    )
    for (const lineEnd of ['\n', '\r\n']) {
      const body = `${sse(textChunk('Partial'))}${raw.replaceAll('\n', lineEnd)}${lineEnd}`
      const message = await collect(body)
      expect(message.status).toBe('error')
      expect(message.error).toEqual({
        message: 'An internal error has occurred.',
        code: 'INTERNAL',
        status: 500,
      })
      expect(messageText(message)).toBe('Partial')
    }
  })

  it('ignores unknown fields and part kinds', async () => {
    const body = sse(
      {
        candidates: [
          {
            content: {
              parts: [
                { text: 'Result: ' },
                { executableCode: { language: 'PYTHON', code: 'print(1)' } },
                { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1' } },
                { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
              ],
              role: 'model',
            },
            index: 0,
            safetyRatings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' }],
            citationMetadata: { citationSources: [] },
            avgLogprobs: -0.1,
          },
        ],
        usageMetadata: { promptTokenCount: 3, trafficType: 'ON_DEMAND', toolUsePromptTokenCount: 2 },
        futureField: { nested: true },
      },
      textChunk('1', { finishReason: 'STOP' }),
    )
    const message = await collect(body)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Result: 1')
    expect(message.usage).toEqual({ inputTokens: 3 })
  })

  it('uses only the first candidate', async () => {
    const body = sse({
      candidates: [
        { content: { parts: [{ text: 'second' }], role: 'model' }, index: 1, finishReason: 'STOP' },
        { content: { parts: [{ text: 'first' }], role: 'model' }, index: 0, finishReason: 'STOP' },
      ],
    })
    expect(messageText(await collect(body))).toBe('first')
  })

  it('ends a blocked prompt with content-filter', async () => {
    const body = sse({
      promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
      usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
      modelVersion: 'gemini-2.5-flash',
    })
    const message = await collect(body)
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('content-filter')
    expect(message.rawFinishReason).toBe('PROHIBITED_CONTENT')
    expect(message.usage).toEqual({ inputTokens: 8, totalTokens: 8 })
  })

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content-filter'],
    ['RECITATION', 'content-filter'],
    ['BLOCKLIST', 'content-filter'],
    ['PROHIBITED_CONTENT', 'content-filter'],
    ['SPII', 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', 'error'],
    ['OTHER', 'other'],
    ['LANGUAGE', 'other'],
    ['SOMETHING_NEW', 'other'],
  ])('maps finishReason %s to %s', async (raw, expected) => {
    const message = await collect(sse(textChunk('x', { finishReason: raw })))
    expect(message.finishReason).toBe(expected)
    expect(message.rawFinishReason).toBe(raw)
  })

  it('starts a new text part after a function call, in wire order', async () => {
    const body = sse(
      textChunk('Checking. '),
      {
        candidates: [{ content: { parts: [{ functionCall: { name: 'lookup', args: {} } }], role: 'model' } }],
      },
      textChunk('Done.', { finishReason: 'STOP' }),
    )
    const message = await collect(body)
    expect(message.parts.map((part) => part.type)).toEqual(['text', 'tool-call', 'text'])
    expect(messageText(message)).toBe('Checking. Done.')
    expect(toolCalls(message)[0]?.input).toEqual({})
  })

  it('keeps a function call id when the wire sends one', async () => {
    const body = sse({
      candidates: [
        {
          content: {
            parts: [{ functionCall: { id: 'fc-7', name: 'lookup', args: { q: 1 } } }],
            role: 'model',
          },
          finishReason: 'STOP',
        },
      ],
    })
    expect(toolCalls(await collect(body))[0]?.toolCallId).toBe('fc-7')
  })

  it('assembles nested, numeric and boolean streamed arguments', async () => {
    const call = (functionCall: unknown, extra: Record<string, unknown> = {}) => ({
      candidates: [{ content: { parts: [{ functionCall }], role: 'model' }, ...extra }],
    })
    const body = sse(
      call({ name: 'plan', willContinue: true }),
      call({
        partialArgs: [{ jsonPath: '$.stops[0].city', stringValue: 'Par', willContinue: true }],
        willContinue: true,
      }),
      call({ partialArgs: [{ jsonPath: '$.stops[0].city', stringValue: 'is' }], willContinue: true }),
      call({
        partialArgs: [
          { jsonPath: '$.stops[0].nights', numberValue: 2 },
          { jsonPath: "$['by train']", boolValue: true },
          { jsonPath: '$.note', nullValue: 'NULL_VALUE' },
          { jsonPath: 'not a path', stringValue: 'ignored' },
        ],
        willContinue: true,
      }),
      call({}, { finishReason: 'STOP' }),
    )
    const message = await collect(body)
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0',
        toolName: 'plan',
        state: 'input-available',
        input: { stops: [{ city: 'Paris', nights: 2 }], 'by train': true, note: null },
      },
    ])
  })

  it('adds web grounding chunks as sources, once each', async () => {
    const grounding = {
      groundingChunks: [
        { web: { uri: 'https://example.com/a', title: 'A' } },
        { web: { uri: 'https://example.com/a', title: 'A' } },
        { retrievedContext: { uri: 'gs://bucket/doc' } },
      ],
    }
    const body = sse(textChunk('Grounded.', { groundingMetadata: grounding, finishReason: 'STOP' }))
    const message = await collect(body)
    expect(message.parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', url: 'https://example.com/a', title: 'A' },
    ])
  })
})

describe('Gemini non-streaming bodies and errors', () => {
  const body = {
    candidates: [
      {
        content: {
          parts: [
            { text: 'Thinking about it.', thought: true },
            { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'c2ln' },
            { text: 'Checking Oslo.' },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 5,
      candidatesTokenCount: 7,
      thoughtsTokenCount: 3,
      totalTokenCount: 15,
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp-1',
  }

  it('decodes a generateContent body', () => {
    const state = reduceChat(initialChatState, geminiProtocol.decodeResponse!(body, { messageId: 'm1' }))
    const message = state.messages.m1!
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call', 'text'])
    expect(messageReasoning(message)).toBe('Thinking about it.')
    expect((message.parts[0] as ReasoningPart).signature).toBe('c2ln')
    expect(messageText(message)).toBe('Checking Oslo.')
    expect(toolCalls(message)[0]).toMatchObject({ toolName: 'weather', input: { city: 'Oslo' } })
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 5, outputTokens: 7, reasoningTokens: 3, totalTokens: 15 })
  })

  it('decodes a streamed JSON array body (streamGenerateContent without alt=sse)', () => {
    const first = { candidates: [{ content: { parts: [{ text: 'Hel' }], role: 'model' } }] }
    const last = {
      candidates: [{ content: { parts: [{ text: 'lo' }], role: 'model' }, finishReason: 'STOP' }],
    }
    const state = reduceChat(
      initialChatState,
      geminiProtocol.decodeResponse!([first, last], { messageId: 'm1' }),
    )
    expect(state.messages.m1?.status).toBe('complete')
    expect(messageText(state.messages.m1!)).toBe('Hello')
  })

  it('reads Google error bodies, as objects, arrays or text', () => {
    const error = {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
      },
    }
    const expected = {
      message: 'Resource has been exhausted (e.g. check quota).',
      code: 'RESOURCE_EXHAUSTED',
      status: 429,
    }
    expect(geminiProtocol.decodeError!(error, 429)).toEqual(expected)
    expect(geminiProtocol.decodeError!([error], 429)).toEqual(expected)
    expect(geminiProtocol.decodeError!(JSON.stringify([error], null, 2), 429)).toEqual(expected)
    expect(geminiProtocol.decodeError!('upstream connect error', 502)).toEqual({
      message: 'upstream connect error',
      status: 502,
    })
    expect(geminiProtocol.decodeError!({ unrelated: true }, 500)).toBeUndefined()
  })

  it('turns an error body given as a response into an errored message', () => {
    const state = reduceChat(
      initialChatState,
      geminiProtocol.decodeResponse!({
        error: { code: 401, message: 'API key not valid.', status: 'UNAUTHENTICATED' },
      }),
    )
    const message = state.messages[state.messageIds[0]!]!
    expect(message.status).toBe('error')
    expect(message.error).toEqual({ message: 'API key not valid.', code: 'UNAUTHENTICATED', status: 401 })
  })
})
