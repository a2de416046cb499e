import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureText, fromChunks, listFixtures } from '../../../../../test/helpers/fixtures.ts'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import {
  type DataPart,
  type Message,
  messageReasoning,
  messageText,
  messageToolCalls,
  type SourcePart,
  type TextPart,
} from '../../message.ts'
import { decodeChunks } from '../test-helpers/decode-chunks.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import { type OpenAIChatDecoderOptions, openaiChatProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** Bytes → SSE frames → the decoder → events, as a client reads them. */
function decodeEvents(
  chunks: readonly (Uint8Array | string)[],
  options?: OpenAIChatDecoderOptions,
): ChatEvent[] {
  return decodeChunks(openaiChatProtocol, chunks, options)
}

/** A whole body through `collectMessage`, as an app reads it. */
function decodeBody(body: string, options?: { messageId?: string }): Promise<Message> {
  return collectMessage(fromChunks([body]), openaiChatProtocol, options)
}

function decodeFixture(path: string, options?: { messageId?: string }): Promise<Message> {
  return decodeBody(fixtureText(path), options)
}

/** Name, id and parsed input of every tool call, in order. */
function toolCalls(message: Message) {
  return messageToolCalls(message).map(({ toolCallId, toolName, state, input }) => ({
    toolCallId,
    toolName,
    state,
    input,
  }))
}

/** The SSE body for some chunk payloads, as a server sends them. */
function sse(...payloads: readonly (object | string)[]): string {
  return payloads
    .map((payload) => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`)
    .join('')
}

function chunk(delta: object, extra: { finish_reason?: string | null; index?: number } = {}) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: extra.index ?? 0, delta, logprobs: null, finish_reason: extra.finish_reason ?? null }],
  }
}

describe('openai-chat fixtures (OpenAI)', () => {
  it('text-gpt4o-usage: plain text, stop, usage from the choices:[] chunk, id and model from the wire', async () => {
    const message = await decodeFixture('openai-chat/text-gpt4o-usage.sse')
    expect(message.id).toBe('chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe(
      "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    )
    expect(message.finishReason).toBe('stop')
    expect(message.rawFinishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 14, outputTokens: 30, totalTokens: 44, reasoningTokens: 0 })
    expect(message.metadata).toMatchObject({
      responseId: 'chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL',
      model: 'gpt-4o-2024-08-06',
      systemFingerprint: 'fp_5050236cbd',
    })
    expect(message.parts.map((part) => part.type)).toEqual(['text'])
  })

  it('uses options.messageId over the chunk id, and keeps the chunk id as metadata', async () => {
    const message = await decodeFixture('openai-chat/text-gpt4o-usage.sse', { messageId: 'placeholder-1' })
    expect(message.id).toBe('placeholder-1')
    expect(message.metadata?.responseId).toBe('chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL')
  })

  it('text-gpt41nano-obfuscation-usage: a long text with obfuscation padding, cached and reasoning tokens', async () => {
    const message = await decodeFixture('openai-chat/text-gpt41nano-obfuscation-usage.chunks.txt')
    const text = messageText(message)
    expect(
      text.startsWith(
        '**Holiday Name:** Harmony Day\n\n**Date:** Celebrated annually on the first Saturday of May',
      ),
    ).toBe(true)
    expect(
      text.endsWith(
        'reminding everyone that despite our differences, we are all connected through shared human experiences and mutual respect.',
      ),
    ).toBe(true)
    expect(text).toHaveLength(1724)
    expect(text).not.toContain('Qup1BsQ3')
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 16,
      outputTokens: 300,
      totalTokens: 316,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    })
    expect(message.metadata?.model).toBe('gpt-4.1-nano-2025-04-14')
  })

  it('finish-length-max-tokens: a truncated answer is complete with finish reason length', async () => {
    const message = await decodeFixture('openai-chat/finish-length-max-tokens-gpt4o.sse')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('{"')
    expect(message.finishReason).toBe('length')
    expect(message.rawFinishReason).toBe('length')
    expect(message.usage).toEqual({ inputTokens: 79, outputTokens: 1, totalTokens: 80, reasoningTokens: 0 })
  })

  it('refusal: delta.refusal is kept as refusal text and the finish reason is content-filter', async () => {
    const message = await decodeFixture('openai-chat/refusal-gpt4o.sse')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe("I'm sorry, I can't assist with that request.")
    const parts = message.parts as TextPart[]
    expect(parts).toHaveLength(1)
    expect(parts[0]?.refusal).toBe(true)
    expect(message.finishReason).toBe('content-filter')
    expect(message.rawFinishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 79, outputTokens: 11, totalTokens: 90, reasoningTokens: 0 })
  })

  it('single-tool-call: role and the first tool fragment in one chunk, arguments in many fragments', async () => {
    const message = await decodeFixture('openai-chat/single-tool-call-gpt4o-usage.sse')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_c91SqDXlYFuETYv8mUHzz6pp',
        toolName: 'GetWeatherArgs',
        state: 'input-available',
        input: { city: 'Edinburgh', country: 'UK', units: 'c' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.rawFinishReason).toBe('tool_calls')
    expect(message.usage).toEqual({ inputTokens: 76, outputTokens: 24, totalTokens: 100, reasoningTokens: 0 })
  })

  it('parallel-tool-calls: two calls keyed by index 0 and 1', async () => {
    const message = await decodeFixture('openai-chat/parallel-tool-calls-gpt4o-usage.sse')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_JMW1whyEaYG438VE1OIflxA2',
        toolName: 'GetWeatherArgs',
        state: 'input-available',
        input: { city: 'Edinburgh', country: 'GB', units: 'c' },
      },
      {
        toolCallId: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
        toolName: 'get_stock_price',
        state: 'input-available',
        input: { ticker: 'AAPL', exchange: 'NASDAQ' },
      },
    ])
    expect(message.parts.map((part) => part.type)).toEqual(['tool-call', 'tool-call'])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 149,
      outputTokens: 60,
      totalTokens: 209,
      reasoningTokens: 0,
    })
  })

  it('multiple-choices-n3: choice 0 is the message, choices 1 and 2 are kept apart as data parts', async () => {
    const message = await decodeFixture('openai-chat/multiple-choices-n3-gpt4o.sse')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('{"city":"San Francisco","temperature":65,"units":"f"}')
    const choices = message.parts.filter((part): part is DataPart => part.type === 'data')
    expect(choices.map(({ name, id, data }) => ({ name, id, data }))).toEqual([
      {
        name: 'openai-choice',
        id: 'choice-1',
        data: {
          index: 1,
          text: '{"city":"San Francisco","temperature":61,"units":"f"}',
          finishReason: 'stop',
          rawFinishReason: 'stop',
        },
      },
      {
        name: 'openai-choice',
        id: 'choice-2',
        data: {
          index: 2,
          text: '{"city":"San Francisco","temperature":59,"units":"f"}',
          finishReason: 'stop',
          rawFinishReason: 'stop',
        },
      },
    ])
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 79, outputTokens: 42, totalTokens: 121, reasoningTokens: 0 })
  })

  it('multiple-choices-n3 with choiceIndex 2: that choice becomes the message', async () => {
    // collectMessage passes only messageId on, so this one drives the decoder directly.
    const message = onlyMessage(
      decodeEvents([fixtureText('openai-chat/multiple-choices-n3-gpt4o.sse')], { choiceIndex: 2 }),
    )
    expect(messageText(message)).toBe('{"city":"San Francisco","temperature":59,"units":"f"}')
    const choices = message.parts.filter((part): part is DataPart => part.type === 'data')
    expect(choices.map((part) => part.id)).toEqual(['choice-0', 'choice-1'])
  })
})

describe('openai-chat fixtures (OpenAI-compatible servers)', () => {
  it('alibaba-qwen3max: continuation fragments with id "" never replace the first id', async () => {
    const message = await decodeFixture(
      'openai-compatible/alibaba-qwen3max-tool-call-empty-id-continuations.chunks.txt',
    )
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_eee11723464a4b9eb8cee71d',
        toolName: 'weather',
        state: 'input-available',
        input: { location: 'San Francisco' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 295,
      outputTokens: 22,
      totalTokens: 317,
      cachedInputTokens: 0,
    })
  })

  it('anthropic-openai-compat: text, then a tool call whose index starts at 1', async () => {
    const message = await decodeFixture(
      'openai-compatible/anthropic-openai-compat-tool-call-index-starts-at-1.sse',
    )
    expect(message.id).toBe('msg_sanitized')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Reading it.')
    expect(message.parts.map((part) => part.type)).toEqual(['text', 'tool-call'])
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'toolu_sanitized',
        toolName: 'read_file',
        state: 'input-available',
        input: { path: 'a.txt' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toBeUndefined()
    expect(message.metadata?.model).toBe('claude-haiku-4-5-20251001')
  })

  it('azure-openai: the prompt_filter_results-only first chunk does not name the message ""', async () => {
    const message = await decodeFixture(
      'openai-compatible/azure-openai-prompt-filter-results-content-filter.chunks.txt',
    )
    expect(message.id).toBe('chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Capital of Denmark.')
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 15,
      outputTokens: 78,
      totalTokens: 93,
      cachedInputTokens: 0,
      reasoningTokens: 64,
    })
    expect(message.metadata?.model).toBe('gpt-5-nano-2025-08-07')
  })

  it('deepseek-chat: two calls with tiny fragments, usage in the finish chunk, cache hits as cached tokens', async () => {
    const message = await decodeFixture('openai-compatible/deepseek-chat-two-tool-calls-usage.sse')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0_7d6a342f-6da3-400c-a4f9-d80055fd7c74',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers game time today' },
      },
      {
        toolCallId: 'call_1_b0aff31e-ccb8-4418-a5fa-2d16caaf7945',
        toolName: 'get_weather',
        state: 'input-available',
        input: { city: 'Detroit' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 223,
      outputTokens: 43,
      totalTokens: 266,
      cachedInputTokens: 192,
    })
  })

  it('deepseek-reasoner: reasoning_content then content, as two parts in that order', async () => {
    const message = await decodeFixture(
      'openai-compatible/deepseek-reasoner-reasoning-content-text.chunks.txt',
    )
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text'])
    const reasoning = messageReasoning(message)
    expect(
      reasoning.startsWith(
        'We need to count the number of the letter "r" in the word "strawberry". The word is spelled: s-t-r-a-w-b-e-r-r-y.',
      ),
    ).toBe(true)
    expect(reasoning.endsWith('So yes, 3.\n\nThus, the answer is 3.')).toBe(true)
    expect(reasoning).toHaveLength(606)
    expect(messageText(message)).toBe('The word "strawberry" contains three "r"s.')
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 18,
      outputTokens: 219,
      totalTokens: 237,
      cachedInputTokens: 0,
      reasoningTokens: 205,
    })
  })

  it('deepseek-reasoner: reasoning then a tool call streamed character by character', async () => {
    const message = await decodeFixture(
      'openai-compatible/deepseek-reasoner-reasoning-content-then-tool-call.chunks.txt',
    )
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call'])
    expect(messageReasoning(message)).toBe(
      'The user is asking for the weather in San Francisco. I need to use the weather tool to get this information. Let me invoke the weather tool with the location parameter set to "San Francisco".',
    )
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
        toolName: 'weather',
        state: 'input-available',
        input: { location: 'San Francisco' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 339,
      outputTokens: 83,
      totalTokens: 422,
      cachedInputTokens: 320,
      reasoningTokens: 39,
    })
  })

  it('groq-llama33: a whole tool call in one chunk, usage from the finish chunk', async () => {
    const message = await decodeFixture('openai-compatible/groq-llama33-tool-call-x-groq-usage.chunks.txt')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'tk85n1k4m', toolName: 'weather', state: 'input-available', input: {} },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 210, outputTokens: 15, totalTokens: 225 })
  })

  it('groq: x_groq.usage is read when the top-level usage is absent', async () => {
    const body = sse(
      chunk({ role: 'assistant', content: 'Hi' }),
      {
        ...chunk({}, { finish_reason: 'stop' }),
        x_groq: {
          id: 'req_1',
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6, queue_time: 0.1 },
        },
      },
      '[DONE]',
    )
    expect((await decodeBody(body)).usage).toEqual({ inputTokens: 5, outputTokens: 1, totalTokens: 6 })
  })

  it('mistral-large: two complete tool calls in one chunk with finish_reason and usage', async () => {
    const message = await decodeFixture('openai-compatible/mistral-large-two-tool-calls-one-chunk.sse')
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'yBvJuId6u',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers game time today' },
      },
      { toolCallId: 'ihQrVBDfy', toolName: 'weather', state: 'input-available', input: { city: 'Detroit' } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 164, outputTokens: 25, totalTokens: 189 })
  })

  it('mistral-magistral: thinking arrives as a content array, the answer as plain strings', async () => {
    const message = await decodeFixture('openai-compatible/mistral-magistral-thinking-content-array.sse')
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text'])
    const reasoning = messageReasoning(message)
    expect(
      reasoning.startsWith('The question is a simple arithmetic problem: "What is 2+2?"\n\nFirst, I recall'),
    ).toBe(true)
    expect(
      reasoning.endsWith("Now, to present the answer to the user, I'll keep it clear and concise."),
    ).toBe(true)
    expect(reasoning).toHaveLength(500)
    expect(messageText(message)).toBe('The answer is 4.')
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 10,
      outputTokens: 142,
      totalTokens: 152,
      cachedInputTokens: 64,
    })
  })

  it('openrouter-gpt5: processing comments are skipped, encrypted reasoning adds no text, the provider is kept', async () => {
    const message = await decodeFixture(
      'openai-compatible/openrouter-gpt5-processing-comments-reasoning-details-tool-call.sse',
    )
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['tool-call'])
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'call_KDpVIRBU5EIprhJ4cpxDEfPr', toolName: 'time', state: 'input-available', input: {} },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 50,
      outputTokens: 143,
      totalTokens: 193,
      cachedInputTokens: 0,
      reasoningTokens: 128,
    })
    expect(message.metadata).toMatchObject({ provider: 'OpenAI', model: 'openai/gpt-5' })
  })

  it('openrouter: reasoning sent both as `reasoning` and `reasoning_details` is not doubled', async () => {
    const body = sse(
      chunk({
        role: 'assistant',
        content: '',
        reasoning: 'Thinking.',
        reasoning_details: [{ type: 'reasoning.text', text: 'Thinking.', index: 0 }],
      }),
      chunk({ reasoning_details: [{ type: 'reasoning.summary', summary: ' Summary.' }] }),
      chunk({ content: 'Done.' }),
      chunk({}, { finish_reason: 'stop' }),
      '[DONE]',
    )
    const message = await decodeBody(body)
    expect(messageReasoning(message)).toBe('Thinking. Summary.')
    expect(messageText(message)).toBe('Done.')
  })

  it('perplexity-sonar: cumulative usage (the last wins), citations as sources once each, done object', async () => {
    const message = await decodeFixture(
      'openai-compatible/perplexity-sonar-cumulative-usage-citations-done-object.chunks.txt',
    )
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('**EcoVista Day**[1][5]')
    const sources = message.parts.filter((part): part is SourcePart => part.type === 'source')
    expect(sources.map((part) => part.url)).toEqual([
      'https://www.modernchristmastrees.com/innovative-approaches-holiday-decor-modern-interior-design/',
      'https://camillestyles.com/design/modern-christmas-decorating-ideas/',
      'https://www.elledecor.com/design-decorate/interior-designers/advice/g2833/christmas-decorating-ideas/',
      'https://www.youtube.com/watch?v=GVxMMHAwzIU',
      'https://www.jjonesdesignco.com/blogs/modern-industrial-christmas-decor-joshuas-must-have-holiday-picks',
    ])
    expect(sources.map((part) => part.sourceId)).toEqual([
      'citation-1',
      'citation-2',
      'citation-3',
      'citation-4',
      'citation-5',
    ])
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 11, outputTokens: 434, totalTokens: 445 })
  })

  it('perplexity: the done object completes the message even when no [DONE] follows', async () => {
    const body = fixtureText(
      'openai-compatible/perplexity-sonar-cumulative-usage-citations-done-object.chunks.txt',
    ).replace('data: [DONE]\n\n', '')
    const message = await decodeBody(body)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('**EcoVista Day**[1][5]')
    expect(message.usage?.outputTokens).toBe(434)
  })

  it('xai-grok3mini: reasoning_content, a whole tool call, finish_reason key absent until the end', async () => {
    const message = await decodeFixture(
      'openai-compatible/xai-grok3mini-reasoning-content-tool-call.chunks.txt',
    )
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call'])
    expect(messageReasoning(message)).toBe('First, the user is')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_55117580',
        toolName: 'weather',
        state: 'input-available',
        input: { location: 'San Francisco' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 291,
      outputTokens: 26,
      totalTokens: 513,
      cachedInputTokens: 290,
      reasoningTokens: 196,
    })
  })

  it('covers every Chat Completions fixture (the LM Studio file is a Responses API stream)', async () => {
    const covered = [
      'openai-chat/finish-length-max-tokens-gpt4o.sse',
      'openai-chat/multiple-choices-n3-gpt4o.sse',
      'openai-chat/parallel-tool-calls-gpt4o-usage.sse',
      'openai-chat/refusal-gpt4o.sse',
      'openai-chat/single-tool-call-gpt4o-usage.sse',
      'openai-chat/text-gpt41nano-obfuscation-usage.chunks.txt',
      'openai-chat/text-gpt4o-usage.sse',
      'openai-compatible/alibaba-qwen3max-tool-call-empty-id-continuations.chunks.txt',
      'openai-compatible/anthropic-openai-compat-tool-call-index-starts-at-1.sse',
      'openai-compatible/azure-openai-prompt-filter-results-content-filter.chunks.txt',
      'openai-compatible/deepseek-chat-two-tool-calls-usage.sse',
      'openai-compatible/deepseek-reasoner-reasoning-content-text.chunks.txt',
      'openai-compatible/deepseek-reasoner-reasoning-content-then-tool-call.chunks.txt',
      'openai-compatible/groq-llama33-tool-call-x-groq-usage.chunks.txt',
      'openai-compatible/lmstudio-responses-api-reasoning-text-tool-call.chunks.txt',
      'openai-compatible/mistral-large-two-tool-calls-one-chunk.sse',
      'openai-compatible/mistral-magistral-thinking-content-array.sse',
      'openai-compatible/openrouter-gpt5-processing-comments-reasoning-details-tool-call.sse',
      'openai-compatible/perplexity-sonar-cumulative-usage-citations-done-object.chunks.txt',
      'openai-compatible/xai-grok3mini-reasoning-content-tool-call.chunks.txt',
    ]
    expect([...listFixtures('openai-chat'), ...listFixtures('openai-compatible')]).toEqual(covered)
  })

  it('every fixture gives the same message whole, byte by byte and in odd-sized chunks', async () => {
    for (const path of [...listFixtures('openai-chat'), ...listFixtures('openai-compatible')]) {
      if (path.includes('lmstudio')) continue
      const text = fixtureText(path)
      const whole = await decodeBody(text)
      const byteByByte = chunkedBytes(text, Array(text.length).fill(1))
      expect(await collectMessage(fromChunks(byteByByte), openaiChatProtocol), path).toEqual(whole)
      const oddSizes = chunkedBytes(text, [3, 17, 5, 101, 2, 64, 9, 33, 1000])
      expect(await collectMessage(fromChunks(oddSizes), openaiChatProtocol), path).toEqual(whole)
    }
  })
})

describe('openai-chat edge cases', () => {
  it('a malformed JSON frame is a message-error that keeps the partial text', async () => {
    const body = `${sse(chunk({ role: 'assistant', content: 'Hel' }))}data: {"id":"chatcmpl-test","choices":[{\n\n${sse(chunk({ content: 'lo' }), '[DONE]')}`
    const message = await decodeBody(body)
    expect(message.status).toBe('error')
    expect(messageText(message)).toBe('Hel')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('openai-chat')
  })

  it('a body cut in the middle of a chunk is interrupted, keeping the text', async () => {
    const body = `${sse(chunk({ role: 'assistant', content: 'Hel' }))}data: {"id":"chatcmpl-test","choices":[{`
    const message = await decodeBody(body)
    expect(message.status).toBe('interrupted')
    expect(message.error).toMatchObject({ code: 'stream-interrupted' })
    expect(message.error?.message).toContain('in the middle of a chunk')
    expect(messageText(message)).toBe('Hel')
  })

  it('a body cut in the middle of [DONE], after the finish_reason, is complete', async () => {
    const body = `${sse(chunk({ role: 'assistant', content: 'Hi' }), chunk({}, { finish_reason: 'stop' }))}data: [DO`
    expect(await decodeBody(body)).toMatchObject({ status: 'complete', finishReason: 'stop' })
  })

  it('names the protocol with the right article when a frame is not JSON', async () => {
    const body = `${sse(chunk({ role: 'assistant', content: 'Hel' }))}data: nope\n\n${sse('[DONE]')}`
    expect((await decodeBody(body)).error?.message).toContain(
      'Received an openai-chat frame that is not valid JSON',
    )
  })

  it('tool arguments sent as an object nested thousands deep are a clear error, not a RangeError', async () => {
    const depth = 5000
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    const call = `{"id":"chatcmpl-test","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"deep","arguments":${deep}}}]}}]}`
    const message = await decodeBody(
      `${sse(chunk({ role: 'assistant', content: 'Hel' }))}data: ${call}\n\n${sse('[DONE]')}`,
    )
    expect(message.status).toBe('error')
    expect(message.error).toMatchObject({ code: 'value-too-deep' })
    expect(messageText(message)).toBe('Hel')
  })

  it('unknown fields in chunks, choices and deltas change nothing', async () => {
    const body = sse(
      {
        ...chunk({ role: 'assistant', content: 'A', audio: { id: 'x' }, future_field: [1, 2] }),
        brand_new: true,
        p: 'abc',
      },
      {
        ...chunk({ content: 'B' }),
        choices: [{ index: 0, delta: { content: 'B' }, matched_stop: 2, mystery: {} }],
      },
      { object: 'chat.completion.something-new', id: 'chatcmpl-test', whatever: 1 },
      chunk({}, { finish_reason: 'stop' }),
      '[DONE]',
    )
    const message = await decodeBody(body)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('AB')
  })

  it('a stream cut off before any finish_reason is interrupted; partial text kept, the open tool call cancelled', async () => {
    const body = sse(
      chunk({ role: 'assistant', content: 'Let me check.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Par' } }] }),
    )
    const message = await decodeBody(body)
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('Let me check.')
    expect(message.error?.code).toBe('stream-interrupted')
    expect(message.error?.message).toContain('[DONE]')
    expect(messageToolCalls(message).map(({ toolCallId, state }) => ({ toolCallId, state }))).toEqual([
      { toolCallId: 'call_1', state: 'cancelled' },
    ])
  })

  it('a stream cut off after the finish_reason (usage chunk and [DONE] lost) is complete, without usage', async () => {
    const body = sse(chunk({ role: 'assistant', content: 'All done.' }), chunk({}, { finish_reason: 'stop' }))
    const message = await decodeBody(body)
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('stop')
    expect(messageText(message)).toBe('All done.')
    expect(message.usage).toBeUndefined()
  })

  it('an empty body is interrupted, not an exception', async () => {
    const message = await decodeBody('', { messageId: 'm1' })
    expect(message.id).toBe('m1')
    expect(message.status).toBe('interrupted')
  })

  it('tool-call arguments for an index that never named its tool do not crash or leak into other calls', async () => {
    const body = sse(
      chunk({ tool_calls: [{ index: 3, function: { arguments: '{"orphan":true}' } }] }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'search', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":"x"}' } }] }),
      chunk({}, { finish_reason: 'tool_calls' }),
      '[DONE]',
    )
    const message = await decodeBody(body)
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'call_a', toolName: 'search', state: 'input-available', input: { q: 'x' } },
    ])
  })

  it('arguments that arrive before the tool name are held back and kept once the name arrives', async () => {
    const body = sse(
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_late', function: { name: 'search', arguments: '"late"}' } }],
      }),
      chunk({}, { finish_reason: 'tool_calls' }),
      '[DONE]',
    )
    expect(toolCalls(await decodeBody(body))).toEqual([
      { toolCallId: 'call_late', toolName: 'search', state: 'input-available', input: { q: 'late' } },
    ])
  })

  it('tool calls without an index are matched by id; a new id on a reused index is a new call', async () => {
    const body = sse(
      chunk({
        tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'a', arguments: '{"n":' } }],
      }),
      chunk({ tool_calls: [{ function: { arguments: '1}' } }] }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_y', type: 'function', function: { name: 'b', arguments: '{}' } }],
      }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_z', type: 'function', function: { name: 'c', arguments: '{"m":2}' } },
        ],
      }),
      chunk({}, { finish_reason: 'tool_calls' }),
      '[DONE]',
    )
    expect(toolCalls(await decodeBody(body))).toEqual([
      { toolCallId: 'call_x', toolName: 'a', state: 'input-available', input: { n: 1 } },
      { toolCallId: 'call_y', toolName: 'b', state: 'input-available', input: {} },
      { toolCallId: 'call_z', toolName: 'c', state: 'input-available', input: { m: 2 } },
    ])
  })

  it('a tool call without an id gets a deterministic id; legacy function_call is a tool call', async () => {
    const body = sse(
      chunk({ function_call: { name: 'lookup', arguments: '{"k"' } }),
      chunk({ function_call: { arguments: ':1}' } }),
      chunk({}, { finish_reason: 'function_call' }),
      '[DONE]',
    )
    const message = await decodeBody(body, { messageId: 'm7' })
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'm7-call-function_call', toolName: 'lookup', state: 'input-available', input: { k: 1 } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.rawFinishReason).toBe('function_call')
  })

  it('tool-call-end is emitted for every open call when finish_reason arrives, before [DONE]', async () => {
    const events = decodeEvents([
      sse(
        chunk({
          tool_calls: [{ index: 0, id: 'c0', type: 'function', function: { name: 'a', arguments: '{}' } }],
        }),
        chunk({
          tool_calls: [{ index: 1, id: 'c1', type: 'function', function: { name: 'b', arguments: '{}' } }],
        }),
        chunk({}, { finish_reason: 'tool_calls' }),
      ),
    ])
    const ends = events.flatMap((event) => (event.type === 'tool-call-end' ? [event.toolCallId] : []))
    expect(ends).toEqual(['c0', 'c1'])
  })

  it('a mid-stream {"error":…} frame is a message-error with the provider message and code; [DONE] after it changes nothing', async () => {
    const body = sse(
      chunk({ role: 'assistant', content: 'Partial' }),
      {
        error: {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
      '[DONE]',
    )
    const message = await decodeBody(body)
    expect(message.status).toBe('error')
    expect(messageText(message)).toBe('Partial')
    expect(message.error).toEqual({
      message: 'The server had an error while processing your request. Sorry about that!',
      code: 'server_error',
    })
  })

  it('vLLM {"object":"error"} and OpenRouter numeric codes are errors too', async () => {
    const vllm = await decodeBody(
      sse({ object: 'error', message: 'max_tokens is too large', type: 'BadRequestError', code: 400 }),
    )
    expect(vllm.status).toBe('error')
    expect(vllm.error).toEqual({ message: 'max_tokens is too large', code: '400' })
    const openrouter = await decodeBody(
      sse(chunk({ content: 'x' }), { id: 'gen-1', error: { code: 502, message: 'Provider returned error' } }),
    )
    expect(openrouter.error).toEqual({ message: 'Provider returned error', code: '502' })
  })

  it('an `event: error` frame is an error', async () => {
    const message = await decodeBody(
      `${sse(chunk({ content: 'x' }))}event: error\ndata: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\n`,
    )
    expect(message.status).toBe('error')
    expect(message.error).toEqual({ message: 'Overloaded', code: 'overloaded_error' })
  })

  it('text after reasoning after text starts new parts in order', async () => {
    const body = sse(
      chunk({ content: 'One. ' }),
      chunk({ reasoning_content: 'Hmm.' }),
      chunk({ content: 'Two.' }),
      chunk({}, { finish_reason: 'stop' }),
      '[DONE]',
    )
    const message = await decodeBody(body)
    expect(message.parts.map((part) => [part.type, (part as TextPart).text])).toEqual([
      ['text', 'One. '],
      ['reasoning', 'Hmm.'],
      ['text', 'Two.'],
    ])
  })

  it('Perplexity search_results give citations their titles', async () => {
    const body = sse(
      {
        ...chunk({ content: 'Answer [1].' }),
        citations: ['https://example.com/one'],
        search_results: [
          { title: 'One', url: 'https://example.com/one', date: null },
          { title: 'Two', url: 'https://example.com/two' },
        ],
      },
      chunk({}, { finish_reason: 'stop' }),
      '[DONE]',
    )
    const sources = (await decodeBody(body)).parts.filter(
      (part): part is SourcePart => part.type === 'source',
    )
    expect(sources).toEqual([
      { type: 'source', url: 'https://example.com/one', title: 'One', sourceId: 'citation-1' },
      { type: 'source', url: 'https://example.com/two', title: 'Two' },
    ])
  })

  it('delta.annotations url citations become sources', async () => {
    const body = sse(
      chunk({
        content: 'See this.',
        annotations: [
          {
            type: 'url_citation',
            url_citation: { url: 'https://example.com/a', title: 'A', start_index: 0, end_index: 3 },
          },
        ],
      }),
      chunk({}, { finish_reason: 'stop' }),
      '[DONE]',
    )
    const sources = (await decodeBody(body)).parts.filter(
      (part): part is SourcePart => part.type === 'source',
    )
    expect(sources).toEqual([{ type: 'source', url: 'https://example.com/a', title: 'A' }])
  })
})

describe('openaiChatProtocol.decodeResponse (stream: false)', () => {
  it('reads a chat.completion body: reasoning, text, tool calls, finish reason and usage', async () => {
    const body = {
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me look that up.',
            reasoning_content: 'The user wants the weather.',
            refusal: null,
            annotations: [],
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 19,
        completion_tokens: 10,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fc9f1d7035',
    }
    const message = onlyMessage(openaiChatProtocol.decodeResponse(body))
    expect(message.id).toBe('chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG')
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call', 'tool-call'])
    expect(messageReasoning(message)).toBe('The user wants the weather.')
    expect(messageText(message)).toBe('Let me look that up.')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'call_1', toolName: 'get_weather', state: 'input-available', input: { city: 'Paris' } },
      { toolCallId: 'call_2', toolName: 'get_time', state: 'input-available', input: { zone: 'CET' } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 19,
      outputTokens: 10,
      totalTokens: 29,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    })
  })

  it('a refusal body keeps the refusal', async () => {
    const message = onlyMessage(
      openaiChatProtocol.decodeResponse(
        {
          id: 'chatcmpl-r',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: null, refusal: "I'm sorry, I can't help with that." },
              finish_reason: 'stop',
            },
          ],
        },
        { messageId: 'm2' },
      ),
    )
    expect(message.id).toBe('m2')
    expect(messageText(message)).toBe("I'm sorry, I can't help with that.")
    expect((message.parts[0] as TextPart).refusal).toBe(true)
    expect(message.finishReason).toBe('content-filter')
  })

  it('an error body is a message-error', async () => {
    const message = onlyMessage(
      openaiChatProtocol.decodeResponse({
        error: { message: 'Bad request', type: 'invalid_request_error', code: null },
      }),
    )
    expect(message.status).toBe('error')
    expect(message.error).toEqual({ message: 'Bad request', code: 'invalid_request_error' })
  })
})

describe('openaiChatProtocol.decodeError', () => {
  it("reads OpenAI's error body with its code and the HTTP status", async () => {
    const body = {
      error: {
        message:
          'Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    }
    expect(openaiChatProtocol.decodeError(body, 401)).toEqual({
      message:
        'Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.',
      code: 'invalid_api_key',
      status: 401,
    })
  })

  it('falls back to the type when code is null, reads JSON text, plain text and vLLM bodies', async () => {
    expect(
      openaiChatProtocol.decodeError(
        { error: { message: 'Slow down', type: 'requests', param: null, code: null } },
        429,
      ),
    ).toEqual({ message: 'Slow down', code: 'requests', status: 429 })
    expect(
      openaiChatProtocol.decodeError(
        '{"error":{"message":"Boom","type":"server_error","code":"server_error"}}',
        500,
      ),
    ).toEqual({ message: 'Boom', code: 'server_error', status: 500 })
    expect(openaiChatProtocol.decodeError('Bad Gateway', 502)).toEqual({
      message: 'Bad Gateway',
      status: 502,
    })
    expect(
      openaiChatProtocol.decodeError(
        { object: 'error', message: 'model not found', type: 'NotFoundError', code: 404 },
        404,
      ),
    ).toEqual({ message: 'model not found', code: '404', status: 404 })
    expect(openaiChatProtocol.decodeError({ unrelated: true }, 500)).toBeUndefined()
  })
})
