/**
 * Fidelity of `openai.responses(s)`: the official `openai` SDK, at its default base URL, reads
 * the mock as it reads the OpenAI Responses API (issue 5).
 */

import { openai, scenario } from '@sluice/msw'
import OpenAI from 'openai'
import type { Response, ResponseCreateParamsStreaming } from 'openai/resources/responses/responses'
import { describe, expect, it } from 'vitest'
import { startMockServer } from './mock-server.ts'
import { rejectionOf } from './rejection-of.ts'
import {
  answerText,
  midstreamMessage,
  prompt,
  reasoningText,
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

const params: ResponseCreateParamsStreaming = { model: 'gpt-4o', input: prompt, stream: true }

/** Stream a scenario through `responses.stream`; the text and reasoning deltas and the final response. */
async function streamResponse(overrides: Partial<ResponseCreateParamsStreaming> = {}) {
  const { stream: _stream, ...rest } = { ...params, ...overrides }
  const stream = createClient().responses.stream(rest)
  const textDeltas: string[] = []
  const reasoningDeltas: string[] = []
  stream.on('response.output_text.delta', (event) => textDeltas.push(event.delta))
  stream.on('response.reasoning_summary_text.delta', (event) => reasoningDeltas.push(event.delta))
  const response = await stream.finalResponse()
  return { textDeltas, reasoningDeltas, response }
}

function functionCalls(response: Response) {
  return response.output.flatMap((item) => (item.type === 'function_call' ? [item] : []))
}

describe('openai.responses with the openai SDK', () => {
  it('streams the text into output_text of the final response', async () => {
    server.use(openai.responses(scenario().text(answerText)))
    const { textDeltas, response } = await streamResponse()
    expect(response.object).toBe('response')
    expect(response.status).toBe('completed')
    expect(response.output_text).toBe(answerText)
    const messages = response.output.filter((item) => item.type === 'message')
    expect(messages).toHaveLength(1)
    expect(messages[0]?.type === 'message' && messages[0].role).toBe('assistant')
    expect(textDeltas.length).toBeGreaterThan(1)
    expect(textDeltas.join('')).toBe(answerText)
  })

  it('streams the text when the body is cut into small chunks across events and characters', async () => {
    server.use(openai.responses(scenario().text(answerText).chunkSizes(1, 7).seed(2)))
    const { response } = await streamResponse()
    expect(response.output_text).toBe(answerText)
  })

  it('streams a reasoning summary item before the message', async () => {
    server.use(openai.responses(scenario().reasoning(reasoningText).text(answerText)))
    const { reasoningDeltas, response } = await streamResponse({
      model: 'o4-mini',
      reasoning: { effort: 'low', summary: 'auto' },
    })
    const [reasoning, message] = response.output
    expect(reasoning?.type).toBe('reasoning')
    expect(reasoning?.type === 'reasoning' && reasoning.summary).toEqual([
      { type: 'summary_text', text: reasoningText },
    ])
    expect(message?.type).toBe('message')
    expect(response.output_text).toBe(answerText)
    expect(reasoningDeltas.join('')).toBe(reasoningText)
  })

  it('streams two function_call items with their arguments and call ids', async () => {
    server.use(
      openai.responses(
        scenario()
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const { response } = await streamResponse({
      tools: [
        { type: 'function', name: weatherCall.name, parameters: weatherSchema, strict: false },
        { type: 'function', name: timeCall.name, parameters: null, strict: false },
      ],
    })
    expect(response.status).toBe('completed')
    const calls = functionCalls(response)
    expect(calls).toHaveLength(2)
    const [first, second] = calls
    // call_id is the id the next request's function_call_output must carry.
    expect(first?.call_id).toBe(weatherCall.id)
    expect(first?.name).toBe(weatherCall.name)
    expect(JSON.parse(first?.arguments ?? '')).toEqual(weatherCall.input)
    expect(second?.call_id).toBe(timeCall.id)
    expect(second?.name).toBe(timeCall.name)
    expect(JSON.parse(second?.arguments ?? '')).toEqual(timeCall.input)
  })

  it('reports the usage in the final response', async () => {
    server.use(openai.responses(scenario().text(answerText).usage(usage)))
    const { response } = await streamResponse()
    expect(response.usage?.input_tokens).toBe(usage.inputTokens)
    expect(response.usage?.output_tokens).toBe(usage.outputTokens)
    expect(response.usage?.total_tokens).toBe(totalTokens)
  })

  it('ends as "incomplete" with reason max_output_tokens when the scenario finishes with "length"', async () => {
    server.use(openai.responses(scenario().text(answerText).finish('length')))
    const { response } = await streamResponse()
    expect(response.status).toBe('incomplete')
    expect(response.incomplete_details?.reason).toBe('max_output_tokens')
    expect(response.output_text).toBe(answerText)
  })

  it('answers a request without stream with one response JSON', async () => {
    server.use(
      openai.responses(
        scenario()
          .reasoning(reasoningText)
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .usage(usage),
      ),
    )
    const response = await createClient().responses.create({ model: 'o4-mini', input: prompt })
    expect(response.object).toBe('response')
    expect(response.status).toBe('completed')
    expect(response.output_text).toBe(answerText)
    const reasoning = response.output.find((item) => item.type === 'reasoning')
    expect(reasoning?.type === 'reasoning' && reasoning.summary).toEqual([
      { type: 'summary_text', text: reasoningText },
    ])
    const [call] = functionCalls(response)
    expect(call?.call_id).toBe(weatherCall.id)
    expect(call?.name).toBe(weatherCall.name)
    expect(JSON.parse(call?.arguments ?? '')).toEqual(weatherCall.input)
    expect(response.usage?.input_tokens).toBe(usage.inputTokens)
    expect(response.usage?.output_tokens).toBe(usage.outputTokens)
  })

  describe('HTTP errors become the SDK typed errors', () => {
    it.each([
      [401, OpenAI.AuthenticationError],
      [429, OpenAI.RateLimitError],
      [500, OpenAI.InternalServerError],
    ] as const)('HTTP %i with the default body', async (status, errorClass) => {
      server.use(openai.responses(scenario().text(answerText).httpError(status)))
      const error = await rejectionOf(streamResponse())
      expect(error).toBeInstanceOf(errorClass)
      const apiError = error as InstanceType<typeof errorClass>
      expect(apiError.status).toBe(status)
      const body = apiError.error as { message?: unknown }
      expect(typeof body.message).toBe('string')
      expect(apiError.message).toBe(`${status} ${body.message as string}`)
    })
  })

  describe('faults', () => {
    it('a mid-stream error event makes the SDK throw an APIError with the provider message', async () => {
      server.use(
        openai.responses(
          scenario().text(answerText).errorMidstream(midstreamMessage, { code: 'rate_limit_exceeded' }),
        ),
      )
      const error = await rejectionOf(streamResponse())
      expect(error).toBeInstanceOf(OpenAI.APIError)
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(midstreamMessage)
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('rate_limit_exceeded')
    })

    it('a dropped connection makes the SDK raise', async () => {
      server.use(openai.responses(scenario().text(answerText).disconnectAfter(5)))
      const error = await rejectionOf(streamResponse())
      expect(error).toBeInstanceOf(Error)
    })

    it('a body that ends before response.completed leaves the final response unfinished', async () => {
      server.use(openai.responses(scenario().text(answerText).disconnectAfter(8, { mode: 'close' })))
      const { textDeltas, response } = await streamResponse()
      // The SDK returns its last snapshot: the response it got from response.created, still running.
      expect(response.status).not.toBe('completed')
      const received = textDeltas.join('')
      expect(received.length).toBeGreaterThan(0)
      expect(received.length).toBeLessThan(answerText.length)
      expect(answerText.startsWith(received)).toBe(true)
    })

    it('a malformed frame makes the SDK raise, caused by the JSON SyntaxError', async () => {
      server.use(openai.responses(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
      const error = await rejectionOf(streamResponse())
      expect(error).toBeInstanceOf(Error)
      const cause = error instanceof SyntaxError ? error : (error as Error).cause
      expect(cause).toBeInstanceOf(SyntaxError)
    })

    it('a stall keeps the SDK waiting until the caller aborts', async () => {
      server.use(openai.responses(scenario().text(answerText).stall({ afterEvents: 6 })))
      const controller = new AbortController()
      const { stream: _stream, ...rest } = params
      const stream = createClient().responses.stream(rest, { signal: controller.signal })
      stream.once('response.output_text.delta', () => setTimeout(() => controller.abort(), 50))
      const error = await rejectionOf(stream.finalResponse())
      expect(error).toBeInstanceOf(OpenAI.APIUserAbortError)
    })
  })
})
