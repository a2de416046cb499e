/**
 * The Gemini `streamGenerateContent` and `generateContent` mocks.
 *
 * @module
 */
import { createMockHandler, type MockHttpHandler, type MockSource } from './create-mock-handler.ts'
import { type ProviderHandlerOptions, stepOptions } from './openai.ts'
import { modelOption } from './request-fields.ts'

function modelParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Gemini mocks (Google AI and Vertex paths alike; any origin). The model comes from the path,
 * as Gemini reads it.
 *
 * - `streamGenerateContent(s)` on `POST *\/models/:model:streamGenerateContent`: with
 *   `?alt=sse` (what `@google/genai` asks for) SSE events, without it the streamed JSON array
 *   Gemini sends by default.
 * - `generateContent(s)` on `POST *\/models/:model:generateContent`: the whole
 *   `GenerateContentResponse` JSON.
 *
 * The colon before the method is escaped in the msw path (`\\:`); msw would read
 * `:streamGenerateContent` as a second parameter otherwise.
 *
 * @example
 * ```ts
 * server.use(gemini.streamGenerateContent(scenario().text('Hi!')))
 * ```
 */
export const gemini = {
  streamGenerateContent(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/models/:model\\:streamGenerateContent',
      protocolId: 'gemini',
      framing: 'sse',
      source,
      ...stepOptions(options, 'gemini'),
      shape: (request, _body, params) => ({
        stream: true,
        steps: 'one',
        encoderOptions: modelOption(modelParam(params.model)),
        jsonArray: new URL(request.url).searchParams.get('alt') !== 'sse',
      }),
    })
  },
  generateContent(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/models/:model\\:generateContent',
      protocolId: 'gemini',
      framing: 'sse',
      source,
      ...stepOptions(options, 'gemini'),
      shape: (_request, _body, params) => ({
        stream: false,
        steps: 'one',
        encoderOptions: modelOption(modelParam(params.model)),
      }),
    })
  },
}
