/**
 * Fidelity of `openai.chatCompletions(s)`: the official `openai` SDK, at its default base URL,
 * reads the mock as it reads OpenAI Chat Completions (issue 5). OpenAI streams no reasoning text
 * over Chat Completions, so there is no reasoning scenario here.
 */

import { openai, scenario } from '@sluice/msw'
import OpenAI from 'openai'
import type { ChatCompletionStreamParams } from 'openai/resources/chat/completions'
import { describe, expect, it } from 'vitest'
import { startMockServer } from './mock-server.ts'
import { rejectionOf } from './rejection-of.ts'
import {
  answerText,
  midstreamMessage,
  prompt,
  timeCall,
  totalTokens,
  usage,
  weatherCall,
  weatherSchema,
} from './scenario-values.ts'

const server = startMockServer()

function createClient(): OpenAI {
  // maxRetries 0: a 429 or 500 must reach the test, not be retried.
  return new OpenAI({ apiKey: 'sk-test', maxRetries: 0 })
}

const streamParams: ChatCompletionStreamParams = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: prompt }],
  stream_options: { include_usage: true },
}

/** Stream a scenario through `chat.completions.stream`; the content deltas and the final completion. */
async function streamChat(params: ChatCompletionStreamParams = streamParams) {
  const stream = createClient().chat.completions.stream(params)
  const deltas: string[] = []
  stream.on('content', (delta) => deltas.push(delta))
  const completion = await stream.finalChatCompletion()
  return { deltas, completion }
}

describe('openai.chatCompletions with the openai SDK', () => {
  it('streams the text, token by token, into the final completion', async () => {
    server.use(openai.chatCompletions(scenario().text(answerText)))
    const { deltas, completion } = await streamChat()
    const choice = completion.choices[0]
    expect(completion.choices).toHaveLength(1)
    expect(choice?.message.role).toBe('assistant')
    expect(choice?.message.content).toBe(answerText)
    expect(choice?.finish_reason).toBe('stop')
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe(answerText)
  })

  it('streams the text when the body is cut into small chunks across frames and characters', async () => {
    server.use(openai.chatCompletions(scenario().text(answerText).chunkSizes(1, 7).seed(5)))
    const { completion } = await streamChat()
    expect(completion.choices[0]?.message.content).toBe(answerText)
  })

  it('streams two tool calls with their structured arguments', async () => {
    server.use(
      openai.chatCompletions(
        scenario()
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const { completion } = await streamChat({
      ...streamParams,
      tools: [
        { type: 'function', function: { name: weatherCall.name, parameters: weatherSchema } },
        { type: 'function', function: { name: timeCall.name } },
      ],
    })
    const choice = completion.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    const calls = choice?.message.tool_calls ?? []
    expect(calls).toHaveLength(2)
    const [first, second] = calls
    expect(first?.type).toBe('function')
    expect(first?.id).toBe(weatherCall.id)
    expect(first?.type === 'function' && first.function.name).toBe(weatherCall.name)
    expect(first?.type === 'function' && JSON.parse(first.function.arguments)).toEqual(weatherCall.input)
    expect(second?.id).toBe(timeCall.id)
    expect(second?.type === 'function' && second.function.name).toBe(timeCall.name)
    expect(second?.type === 'function' && JSON.parse(second.function.arguments)).toEqual(timeCall.input)
  })

  it('streams text before a tool call in the same message', async () => {
    server.use(
      openai.chatCompletions(
        scenario().text(answerText).toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id }),
      ),
    )
    const { completion } = await streamChat()
    const message = completion.choices[0]?.message
    expect(message?.content).toBe(answerText)
    expect(message?.tool_calls).toHaveLength(1)
    const call = message?.tool_calls?.[0]
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual(weatherCall.input)
  })

  it('reports the usage in the final completion', async () => {
    server.use(openai.chatCompletions(scenario().text(answerText).usage(usage)))
    const { completion } = await streamChat()
    expect(completion.choices[0]?.message.content).toBe(answerText)
    expect(completion.usage?.prompt_tokens).toBe(usage.inputTokens)
    expect(completion.usage?.completion_tokens).toBe(usage.outputTokens)
    expect(completion.usage?.total_tokens).toBe(totalTokens)
  })

  it('keeps the finish reason "length" when the scenario says so', async () => {
    server.use(openai.chatCompletions(scenario().text(answerText).finish('length')))
    const { completion } = await streamChat()
    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.choices[0]?.message.content).toBe(answerText)
  })

  it('answers a request without stream with one chat.completion JSON', async () => {
    server.use(
      openai.chatCompletions(
        scenario()
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .usage(usage),
      ),
    )
    const completion = await createClient().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: prompt }],
    })
    expect(completion.object).toBe('chat.completion')
    const choice = completion.choices[0]
    expect(choice?.message.content).toBe(answerText)
    expect(choice?.finish_reason).toBe('tool_calls')
    const call = choice?.message.tool_calls?.[0]
    expect(call?.id).toBe(weatherCall.id)
    expect(call?.type === 'function' && call.function.name).toBe(weatherCall.name)
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual(weatherCall.input)
    expect(completion.usage?.prompt_tokens).toBe(usage.inputTokens)
    expect(completion.usage?.completion_tokens).toBe(usage.outputTokens)
    expect(completion.usage?.total_tokens).toBe(totalTokens)
  })

  describe('HTTP errors become the SDK typed errors', () => {
    it.each([
      [401, OpenAI.AuthenticationError],
      [429, OpenAI.RateLimitError],
      [500, OpenAI.InternalServerError],
    ] as const)('HTTP %i with the default body', async (status, errorClass) => {
      server.use(openai.chatCompletions(scenario().text(answerText).httpError(status)))
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(errorClass)
      const apiError = error as InstanceType<typeof errorClass>
      expect(apiError.status).toBe(status)
      // OpenAI's error body is {"error":{"message","type","param","code"}}: the SDK keeps the inner
      // object in `error` and puts its message after the status.
      const body = apiError.error as { message?: unknown; type?: unknown }
      expect(typeof body.message).toBe('string')
      expect(typeof body.type).toBe('string')
      expect(apiError.message).toBe(`${status} ${body.message as string}`)
    })

    it('HTTP 429 with a given body keeps the provider message and code', async () => {
      const providerMessage = 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3.'
      server.use(
        openai.chatCompletions(
          scenario().httpError(429, {
            error: { message: providerMessage, type: 'requests', param: null, code: 'rate_limit_exceeded' },
          }),
        ),
      )
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(OpenAI.RateLimitError)
      const apiError = error as InstanceType<typeof OpenAI.RateLimitError>
      expect(apiError.status).toBe(429)
      expect(apiError.message).toBe(`429 ${providerMessage}`)
      expect(apiError.code).toBe('rate_limit_exceeded')
    })
  })

  describe('faults', () => {
    it('a mid-stream error makes the SDK throw an APIError with the provider message', async () => {
      server.use(
        openai.chatCompletions(
          scenario().text(answerText).errorMidstream(midstreamMessage, { code: 'server_error' }),
        ),
      )
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(OpenAI.APIError)
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(midstreamMessage)
    })

    it('a dropped connection makes the SDK raise', async () => {
      server.use(openai.chatCompletions(scenario().text(answerText).disconnectAfter(3)))
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(Error)
    })

    it('a body that ends early (no finish_reason, no [DONE]) makes the final completion raise', async () => {
      server.use(openai.chatCompletions(scenario().text(answerText).disconnectAfter(3, { mode: 'close' })))
      const stream = createClient().chat.completions.stream(streamParams)
      const deltas: string[] = []
      stream.on('content', (delta) => deltas.push(delta))
      const error = await rejectionOf(stream.finalChatCompletion())
      // The SDK refuses a completion whose choice never got a finish_reason.
      expect(error).toBeInstanceOf(OpenAI.OpenAIError)
      expect((error as Error).message).toMatch(/finish_reason/)
      expect(answerText.startsWith(deltas.join(''))).toBe(true)
      expect(deltas.join('').length).toBeLessThan(answerText.length)
    })

    it('a malformed frame makes the SDK raise, caused by the JSON SyntaxError', async () => {
      server.use(openai.chatCompletions(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
      const error = await rejectionOf(streamChat())
      // The stream helper wraps any non-OpenAI error in an OpenAIError and keeps it as the cause.
      expect(error).toBeInstanceOf(OpenAI.OpenAIError)
      expect((error as Error).cause).toBeInstanceOf(SyntaxError)
    })

    it('a stall keeps the SDK waiting until the caller aborts', async () => {
      server.use(openai.chatCompletions(scenario().text(answerText).stall({ afterEvents: 3 })))
      const controller = new AbortController()
      const stream = createClient().chat.completions.stream(streamParams, { signal: controller.signal })
      let received = ''
      stream.on('content', (_delta, snapshot) => {
        received = snapshot
      })
      stream.once('content', () => setTimeout(() => controller.abort(), 50))
      const error = await rejectionOf(stream.finalChatCompletion())
      expect(error).toBeInstanceOf(OpenAI.APIUserAbortError)
      expect(received.length).toBeGreaterThan(0)
      expect(answerText.startsWith(received)).toBe(true)
      expect(received.length).toBeLessThan(answerText.length)
    })
  })
})
