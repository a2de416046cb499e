/**
 * Fidelity of the provider mocks through the AI SDK: `streamText` with `@ai-sdk/openai` (Chat
 * Completions and Responses) and `@ai-sdk/anthropic`, at their default base URLs, reads the mocks
 * as it reads the real APIs (issue 5).
 */
import { createAnthropic } from '@ai-sdk/anthropic'
import { createOpenAI } from '@ai-sdk/openai'
import { anthropic, openai, type ScenarioBuilder, scenario } from '@sluice/msw'
import {
  APICallError,
  jsonSchema,
  type LanguageModel,
  streamText,
  type TextStreamPart,
  type ToolSet,
  tool,
} from 'ai'
import { describe, expect, it } from 'vitest'
import { startMockServer } from './mock-server.ts'
import {
  answerText,
  midstreamMessage,
  prompt,
  reasoningText,
  timeCall,
  timeSchema,
  totalTokens,
  usage,
  weatherCall,
  weatherSchema,
} from './scenario-values.ts'

const server = startMockServer()

const openaiProvider = createOpenAI({ apiKey: 'sk-test' })
const anthropicProvider = createAnthropic({ apiKey: 'sk-ant-test' })

interface Target {
  name: string
  model: () => LanguageModel
  handler: (source: ScenarioBuilder) => Parameters<typeof server.use>[0]
  /** Whether the provider's wire carries reasoning text. */
  reasoning: boolean
}

const targets: Target[] = [
  {
    name: 'openai.chat (Chat Completions)',
    model: () => openaiProvider.chat('gpt-4o'),
    handler: (source) => openai.chatCompletions(source),
    reasoning: false,
  },
  {
    name: 'openai.responses (Responses API)',
    model: () => openaiProvider.responses('o4-mini'),
    handler: (source) => openai.responses(source),
    reasoning: true,
  },
  {
    name: 'anthropic (Messages)',
    model: () => anthropicProvider('claude-sonnet-4-5'),
    handler: (source) => anthropic.messages(source),
    reasoning: true,
  },
]

const tools = {
  [weatherCall.name]: tool({ inputSchema: jsonSchema(weatherSchema) }),
  [timeCall.name]: tool({ inputSchema: jsonSchema(timeSchema) }),
} satisfies ToolSet

/**
 * Run `streamText` to the end; every stream part, the error parts apart, and the error the stream
 * itself failed with (a body that errors fails the stream rather than giving an error part).
 */
async function run(target: Target) {
  const result = streamText({
    model: target.model(),
    prompt,
    tools,
    // A 429 or 500 must reach the test, not be retried; errors are read from the stream.
    maxRetries: 0,
    onError: () => {},
  })
  const parts: TextStreamPart<typeof tools>[] = []
  let thrown: unknown
  try {
    for await (const part of result.fullStream) parts.push(part)
  } catch (error) {
    thrown = error
  }
  const errors = parts.flatMap((part) => (part.type === 'error' ? [part.error] : []))
  return { result, parts, errors, thrown }
}

describe.each(targets)('streamText with $name', (target) => {
  it('streams the text; finish reason "stop"', async () => {
    server.use(target.handler(scenario().text(answerText)))
    const { result, parts, errors, thrown } = await run(target)
    expect(thrown).toBeUndefined()
    expect(errors).toEqual([])
    expect(await result.text).toBe(answerText)
    expect(await result.finishReason).toBe('stop')
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1)
  })

  it.runIf(target.reasoning)('streams reasoning then text', async () => {
    server.use(target.handler(scenario().reasoning(reasoningText).text(answerText)))
    const { result, errors } = await run(target)
    expect(errors).toEqual([])
    expect(await result.reasoningText).toBe(reasoningText)
    expect(await result.text).toBe(answerText)
  })

  it('streams two tool calls with their ids and parsed inputs; finish reason "tool-calls"', async () => {
    server.use(
      target.handler(
        scenario()
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const { result, errors } = await run(target)
    expect(errors).toEqual([])
    const calls = await result.toolCalls
    expect(calls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([
      [weatherCall.id, weatherCall.name, weatherCall.input],
      [timeCall.id, timeCall.name, timeCall.input],
    ])
    expect(calls.every((call) => call.invalid !== true)).toBe(true)
    expect(await result.finishReason).toBe('tool-calls')
  })

  it('reports the usage', async () => {
    server.use(target.handler(scenario().text(answerText).usage(usage)))
    const { result } = await run(target)
    const reported = await result.usage
    expect(reported.inputTokens).toBe(usage.inputTokens)
    expect(reported.outputTokens).toBe(usage.outputTokens)
    expect(reported.totalTokens).toBe(totalTokens)
  })

  it.each([401, 429, 500])(
    'HTTP %i becomes an APICallError with the status and the provider message',
    async (status) => {
      server.use(target.handler(scenario().text(answerText).httpError(status)))
      const { errors } = await run(target)
      expect(errors).toHaveLength(1)
      const [error] = errors
      expect(APICallError.isInstance(error)).toBe(true)
      const callError = error as APICallError
      expect(callError.statusCode).toBe(status)
      // Both OpenAI and Anthropic nest the message in {"error":{"message"}}; the provider parses it.
      const body = JSON.parse(callError.responseBody ?? '{}') as { error?: { message?: string } }
      expect(typeof body.error?.message).toBe('string')
      expect(callError.message).toBe(body.error?.message)
    },
  )

  it('a mid-stream error is reported in the stream with the provider message', async () => {
    server.use(
      target.handler(scenario().text(answerText).errorMidstream(midstreamMessage, { code: 'server_error' })),
    )
    const { result, errors } = await run(target)
    expect(errors.length).toBeGreaterThan(0)
    expect(JSON.stringify(errors[0]) + String((errors[0] as { message?: unknown }).message)).toContain(
      midstreamMessage,
    )
    expect(await result.finishReason).not.toBe('stop')
  })

  it('a dropped connection fails the stream with an APICallError caused by the network error', async () => {
    server.use(target.handler(scenario().text(answerText).disconnectAfter(4)))
    const { thrown } = await run(target)
    expect(APICallError.isInstance(thrown)).toBe(true)
    expect((thrown as APICallError).cause).toBeInstanceOf(TypeError)
  })

  it('a body that ends early does not finish with "stop" and keeps the partial text', async () => {
    server.use(target.handler(scenario().text(answerText).disconnectAfter(5, { mode: 'close' })))
    const { result } = await run(target)
    expect(await result.finishReason).not.toBe('stop')
    const received = await result.text
    expect(received.length).toBeLessThan(answerText.length)
    expect(answerText.startsWith(received)).toBe(true)
  })

  it('a malformed frame is reported in the stream', async () => {
    server.use(target.handler(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
    const { errors } = await run(target)
    expect(errors.length).toBeGreaterThan(0)
  })
})
