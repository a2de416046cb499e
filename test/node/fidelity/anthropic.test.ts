/**
 * Fidelity of `anthropic.messages(s)`: the official `@anthropic-ai/sdk`, at its default base URL,
 * reads the mock as it reads the Anthropic Messages API (issue 5).
 */
import Anthropic from '@anthropic-ai/sdk'
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages'
import { anthropic, scenario } from '@sluice/msw'
import { describe, expect, it } from 'vitest'
import { startMockServer } from './mock-server.ts'
import { rejectionOf } from './rejection-of.ts'
import {
  answerText,
  midstreamMessage,
  prompt,
  reasoningText,
  timeCall,
  timeSchema,
  usage,
  weatherCall,
  weatherSchema,
} from './scenario-values.ts'

const server = startMockServer()

function createClient(): Anthropic {
  // maxRetries 0: a 429 or 500 must reach the test, not be retried.
  return new Anthropic({ apiKey: 'sk-ant-test', maxRetries: 0 })
}

const params: MessageCreateParamsNonStreaming = {
  model: 'claude-opus-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: prompt }],
}

/** Stream a scenario through `messages.stream`; the text deltas, thinking deltas and the final message. */
async function streamMessage(overrides: Partial<MessageCreateParamsNonStreaming> = {}) {
  const stream = createClient().messages.stream({ ...params, ...overrides })
  const textDeltas: string[] = []
  const thinkingDeltas: string[] = []
  stream.on('text', (delta) => textDeltas.push(delta))
  stream.on('thinking', (delta) => thinkingDeltas.push(delta))
  const message = await stream.finalMessage()
  return { textDeltas, thinkingDeltas, message }
}

describe('anthropic.messages with @anthropic-ai/sdk', () => {
  it('streams the text into one text block of the final message', async () => {
    server.use(anthropic.messages(scenario().text(answerText)))
    const { textDeltas, message } = await streamMessage()
    expect(message.type).toBe('message')
    expect(message.role).toBe('assistant')
    expect(message.content).toHaveLength(1)
    expect(message.content[0]).toMatchObject({ type: 'text', text: answerText })
    expect(message.stop_reason).toBe('end_turn')
    expect(textDeltas.length).toBeGreaterThan(1)
    expect(textDeltas.join('')).toBe(answerText)
  })

  it('streams the text when the body is cut into small chunks across frames and characters', async () => {
    server.use(anthropic.messages(scenario().text(answerText).chunkSizes(1, 7).seed(3)))
    const { message } = await streamMessage()
    expect(message.content[0]).toMatchObject({ type: 'text', text: answerText })
  })

  it('streams thinking then text as a thinking block with a signature and a text block', async () => {
    server.use(anthropic.messages(scenario().reasoning(reasoningText).text(answerText)))
    const { thinkingDeltas, message } = await streamMessage({
      thinking: { type: 'enabled', budget_tokens: 1024 },
    })
    expect(message.content).toHaveLength(2)
    const [thinking, text] = message.content
    expect(thinking?.type).toBe('thinking')
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe(reasoningText)
    // A thinking block always ends with a signature the client must send back on the next turn.
    expect(thinking?.type === 'thinking' && typeof thinking.signature).toBe('string')
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(0)
    expect(text).toMatchObject({ type: 'text', text: answerText })
    expect(thinkingDeltas.join('')).toBe(reasoningText)
    expect(message.stop_reason).toBe('end_turn')
  })

  it('streams text and two tool_use blocks with their parsed inputs', async () => {
    server.use(
      anthropic.messages(
        scenario()
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const { message } = await streamMessage({
      tools: [
        { name: weatherCall.name, input_schema: weatherSchema },
        { name: timeCall.name, input_schema: timeSchema },
      ],
    })
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toHaveLength(3)
    const [text, first, second] = message.content
    expect(text).toMatchObject({ type: 'text', text: answerText })
    expect(first).toEqual({
      type: 'tool_use',
      id: weatherCall.id,
      name: weatherCall.name,
      input: weatherCall.input,
    })
    expect(second).toEqual({ type: 'tool_use', id: timeCall.id, name: timeCall.name, input: timeCall.input })
  })

  it('reports the usage of the final message', async () => {
    server.use(anthropic.messages(scenario().text(answerText).usage(usage)))
    const { message } = await streamMessage()
    expect(message.usage.input_tokens).toBe(usage.inputTokens)
    expect(message.usage.output_tokens).toBe(usage.outputTokens)
  })

  it('keeps the stop reason "max_tokens" when the scenario finishes with "length"', async () => {
    server.use(anthropic.messages(scenario().text(answerText).finish('length')))
    const { message } = await streamMessage()
    expect(message.stop_reason).toBe('max_tokens')
  })

  it('answers a request without stream with one Message JSON', async () => {
    server.use(
      anthropic.messages(
        scenario()
          .reasoning(reasoningText)
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .usage(usage),
      ),
    )
    const message = await createClient().messages.create({
      ...params,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    })
    expect(message.type).toBe('message')
    expect(message.role).toBe('assistant')
    expect(message.content).toHaveLength(3)
    const [thinking, text, call] = message.content
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe(reasoningText)
    expect(text).toMatchObject({ type: 'text', text: answerText })
    expect(call).toEqual({
      type: 'tool_use',
      id: weatherCall.id,
      name: weatherCall.name,
      input: weatherCall.input,
    })
    expect(message.stop_reason).toBe('tool_use')
    expect(message.usage.input_tokens).toBe(usage.inputTokens)
    expect(message.usage.output_tokens).toBe(usage.outputTokens)
  })

  describe('HTTP errors become the SDK typed errors', () => {
    // Anthropic's error body is {"type":"error","error":{"type","message"}}, with the error type
    // of the status (https://docs.claude.com/en/api/errors).
    it.each([
      [401, Anthropic.AuthenticationError, 'authentication_error'],
      [429, Anthropic.RateLimitError, 'rate_limit_error'],
      [500, Anthropic.InternalServerError, 'api_error'],
      [529, Anthropic.InternalServerError, 'overloaded_error'],
    ] as const)('HTTP %i with the default body', async (status, errorClass, errorType) => {
      server.use(anthropic.messages(scenario().text(answerText).httpError(status)))
      const error = await rejectionOf(streamMessage())
      expect(error).toBeInstanceOf(errorClass)
      const apiError = error as InstanceType<typeof errorClass>
      expect(apiError.status).toBe(status)
      expect(apiError.type).toBe(errorType)
      expect(typeof apiError.apiMessage).toBe('string')
      expect(apiError.message).toContain(apiError.apiMessage as string)
    })

    it('HTTP 429 with a given body keeps the provider message', async () => {
      const providerMessage = 'Number of request tokens has exceeded your per-minute rate limit.'
      server.use(
        anthropic.messages(
          scenario().httpError(429, {
            type: 'error',
            error: { type: 'rate_limit_error', message: providerMessage },
          }),
        ),
      )
      const error = await rejectionOf(streamMessage())
      expect(error).toBeInstanceOf(Anthropic.RateLimitError)
      const apiError = error as InstanceType<typeof Anthropic.RateLimitError>
      expect(apiError.status).toBe(429)
      expect(apiError.apiMessage).toBe(providerMessage)
      expect(apiError.message).toContain(providerMessage)
    })
  })

  describe('faults', () => {
    it('a mid-stream error event makes the SDK throw an APIError with the provider type and message', async () => {
      server.use(
        anthropic.messages(
          scenario().text(answerText).errorMidstream(midstreamMessage, { code: 'overloaded_error' }),
        ),
      )
      const error = await rejectionOf(streamMessage())
      expect(error).toBeInstanceOf(Anthropic.APIError)
      const apiError = error as InstanceType<typeof Anthropic.APIError>
      expect(apiError.apiMessage).toBe(midstreamMessage)
      expect(apiError.type).toBe('overloaded_error')
    })

    it('a dropped connection makes the SDK raise', async () => {
      server.use(anthropic.messages(scenario().text(answerText).disconnectAfter(4)))
      const error = await rejectionOf(streamMessage())
      expect(error).toBeInstanceOf(Error)
    })

    it('a body that ends before message_stop makes the final message raise', async () => {
      server.use(anthropic.messages(scenario().text(answerText).disconnectAfter(4, { mode: 'close' })))
      const stream = createClient().messages.stream(params)
      const textDeltas: string[] = []
      stream.on('text', (delta) => textDeltas.push(delta))
      const error = await rejectionOf(stream.finalMessage())
      // The SDK only yields a final message on message_stop; a truncated body is an AnthropicError.
      expect(error).toBeInstanceOf(Anthropic.AnthropicError)
      const received = textDeltas.join('')
      expect(received.length).toBeGreaterThan(0)
      expect(received.length).toBeLessThan(answerText.length)
      expect(answerText.startsWith(received)).toBe(true)
    })

    it('a malformed frame makes the SDK raise its own error about the JSON', async () => {
      server.use(anthropic.messages(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
      const error = await rejectionOf(streamMessage())
      expect(error).toBeInstanceOf(Anthropic.AnthropicError)
      expect((error as Error).message).toMatch(/JSON/)
    })

    it('a stall keeps the SDK waiting until the caller aborts', async () => {
      server.use(anthropic.messages(scenario().text(answerText).stall({ afterEvents: 4 })))
      const controller = new AbortController()
      const stream = createClient().messages.stream(params, { signal: controller.signal })
      stream.once('text', () => setTimeout(() => controller.abort(), 50))
      const error = await rejectionOf(stream.finalMessage())
      expect(error).toBeInstanceOf(Anthropic.APIUserAbortError)
    })
  })
})
