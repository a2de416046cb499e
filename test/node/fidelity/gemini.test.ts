/**
 * Fidelity of `gemini.streamGenerateContent(s)`: the official `@google/genai` SDK, at its default
 * base URL (Gemini Developer API, `v1beta`), reads the mock as it reads Gemini (issue 5).
 */
import {
  ApiError,
  type GenerateContentConfig,
  type GenerateContentResponse,
  GoogleGenAI,
} from '@google/genai'
import { gemini, scenario } from '@sluice/msw'
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

const model = 'gemini-2.5-flash'

function createClient(): GoogleGenAI {
  return new GoogleGenAI({ apiKey: 'test-api-key' })
}

/** Stream a scenario through `models.generateContentStream`, collecting every chunk. */
async function streamContent(config: GenerateContentConfig = {}): Promise<GenerateContentResponse[]> {
  const chunks: GenerateContentResponse[] = []
  const stream = await createClient().models.generateContentStream({ model, contents: prompt, config })
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

function partsOf(chunks: readonly GenerateContentResponse[]) {
  return chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? [])
}

/** The answer text: every text part that is not a thought, in order. */
function answerOf(chunks: readonly GenerateContentResponse[]): string {
  return partsOf(chunks)
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text)
    .join('')
}

function thoughtsOf(chunks: readonly GenerateContentResponse[]): string {
  return partsOf(chunks)
    .filter((part) => part.thought === true)
    .map((part) => part.text ?? '')
    .join('')
}

describe('gemini.streamGenerateContent with @google/genai', () => {
  it('streams the text; the last chunk has finishReason STOP', async () => {
    server.use(gemini.streamGenerateContent(scenario().text(answerText)))
    const chunks = await streamContent()
    expect(chunks.length).toBeGreaterThan(1)
    expect(answerOf(chunks)).toBe(answerText)
    expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe(answerText)
    for (const chunk of chunks) expect(chunk.candidates?.[0]?.content?.role).toBe('model')
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP')
  })

  it('streams the text when the body is cut into small chunks across events and characters', async () => {
    server.use(gemini.streamGenerateContent(scenario().text(answerText).chunkSizes(1, 7).seed(11)))
    const chunks = await streamContent()
    expect(answerOf(chunks)).toBe(answerText)
  })

  it('streams thought summaries as thought parts, then the text', async () => {
    server.use(gemini.streamGenerateContent(scenario().reasoning(reasoningText).text(answerText)))
    const chunks = await streamContent({ thinkingConfig: { includeThoughts: true } })
    expect(thoughtsOf(chunks)).toBe(reasoningText)
    expect(answerOf(chunks)).toBe(answerText)
  })

  it('streams two function calls with their args as objects', async () => {
    server.use(
      gemini.streamGenerateContent(
        scenario()
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const chunks = await streamContent({
      tools: [
        {
          functionDeclarations: [
            { name: weatherCall.name, parametersJsonSchema: weatherSchema },
            { name: timeCall.name },
          ],
        },
      ],
    })
    const calls = chunks.flatMap((chunk) => chunk.functionCalls ?? [])
    expect(calls.map((call) => call.name)).toEqual([weatherCall.name, timeCall.name])
    expect(calls[0]?.args).toEqual(weatherCall.input)
    expect(calls[1]?.args).toEqual(timeCall.input)
    // Gemini has no tool-calls finish reason: a turn that ends with function calls ends with STOP.
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP')
  })

  it('reports the usage in usageMetadata', async () => {
    server.use(gemini.streamGenerateContent(scenario().text(answerText).usage(usage)))
    const chunks = await streamContent()
    // usageMetadata is a cumulative snapshot: the last one is the total.
    const metadata = chunks.findLast((chunk) => chunk.usageMetadata !== undefined)?.usageMetadata
    expect(metadata?.promptTokenCount).toBe(usage.inputTokens)
    expect(metadata?.candidatesTokenCount).toBe(usage.outputTokens)
    expect(metadata?.totalTokenCount).toBe(totalTokens)
  })

  it('keeps the finish reason MAX_TOKENS when the scenario finishes with "length"', async () => {
    server.use(gemini.streamGenerateContent(scenario().text(answerText).finish('length')))
    const chunks = await streamContent()
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('MAX_TOKENS')
  })

  it('gemini.generateContent answers generateContent (not streamed) with one GenerateContentResponse', async () => {
    server.use(
      gemini.generateContent(
        scenario()
          .reasoning(reasoningText)
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .usage(usage),
      ),
    )
    const response = await createClient().models.generateContent({
      model,
      contents: prompt,
      config: { thinkingConfig: { includeThoughts: true } },
    })
    expect(thoughtsOf([response])).toBe(reasoningText)
    expect(answerOf([response])).toBe(answerText)
    expect(response.functionCalls?.map((call) => [call.name, call.args])).toEqual([
      [weatherCall.name, weatherCall.input],
    ])
    expect(response.usageMetadata?.promptTokenCount).toBe(usage.inputTokens)
    expect(response.usageMetadata?.candidatesTokenCount).toBe(usage.outputTokens)
  })

  describe('HTTP errors become the SDK ApiError', () => {
    it.each([401, 429, 500])('HTTP %i with the default body', async (status) => {
      server.use(gemini.streamGenerateContent(scenario().text(answerText).httpError(status)))
      const error = await rejectionOf(streamContent())
      expect(error).toBeInstanceOf(ApiError)
      expect((error as ApiError).status).toBe(status)
      // Google's error body is {"error":{"code","message","status"}}; the SDK quotes it whole.
      const quoted = JSON.parse((error as ApiError).message.replace(/^got status: [^{]*/, '')) as {
        error?: { code?: unknown; message?: unknown; status?: unknown }
      }
      expect(quoted.error?.code).toBe(status)
      expect(typeof quoted.error?.message).toBe('string')
      expect(typeof quoted.error?.status).toBe('string')
    })

    it('HTTP 429 with a given body keeps the provider message', async () => {
      const providerMessage = 'Resource has been exhausted (e.g. check quota).'
      server.use(
        gemini.streamGenerateContent(
          scenario().httpError(429, {
            error: { code: 429, message: providerMessage, status: 'RESOURCE_EXHAUSTED' },
          }),
        ),
      )
      const error = await rejectionOf(streamContent())
      expect(error).toBeInstanceOf(ApiError)
      expect((error as ApiError).status).toBe(429)
      expect((error as ApiError).message).toContain(providerMessage)
    })
  })

  describe('faults', () => {
    it('a mid-stream error object makes the SDK throw an ApiError with the provider message and code', async () => {
      server.use(
        gemini.streamGenerateContent(
          scenario().text(answerText).errorMidstream(midstreamMessage, { code: 'UNAVAILABLE', status: 503 }),
        ),
      )
      const error = await rejectionOf(streamContent())
      expect(error).toBeInstanceOf(ApiError)
      expect((error as ApiError).status).toBe(503)
      expect((error as ApiError).message).toContain(midstreamMessage)
    })

    it('a dropped connection makes the SDK raise', async () => {
      server.use(gemini.streamGenerateContent(scenario().text(answerText).disconnectAfter(3)))
      const error = await rejectionOf(streamContent())
      expect(error).toBeInstanceOf(Error)
    })

    it('a body that ends early has no chunk with a finish reason', async () => {
      server.use(
        gemini.streamGenerateContent(scenario().text(answerText).disconnectAfter(3, { mode: 'close' })),
      )
      const chunks = await streamContent()
      // Gemini has no end marker; the SDK reports what came: partial text, no finishReason.
      expect(chunks.every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true)
      const received = answerOf(chunks)
      expect(received.length).toBeGreaterThan(0)
      expect(received.length).toBeLessThan(answerText.length)
      expect(answerText.startsWith(received)).toBe(true)
    })

    it('a malformed frame makes the SDK raise', async () => {
      server.use(gemini.streamGenerateContent(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
      const error = await rejectionOf(streamContent())
      expect(error).toBeInstanceOf(SyntaxError)
    })

    it('a stall keeps the SDK waiting until the caller aborts', async () => {
      server.use(gemini.streamGenerateContent(scenario().text(answerText).stall({ afterEvents: 2 })))
      const controller = new AbortController()
      const reading = (async () => {
        const stream = await createClient().models.generateContentStream({
          model,
          contents: prompt,
          config: { abortSignal: controller.signal },
        })
        for await (const _chunk of stream) setTimeout(() => controller.abort(), 50)
      })()
      const error = await rejectionOf(reading)
      expect((error as Error).name).toBe('AbortError')
    })
  })
})
