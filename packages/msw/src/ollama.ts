/**
 * The Ollama `/api/chat` mock.
 *
 * @module
 */
import { createMockHandler, type MockHttpHandler, type MockSource } from './create-mock-handler.ts'
import { type ProviderHandlerOptions, stepOptions } from './openai.ts'
import { bodyObject, modelOption, requestModel } from './request-fields.ts'

/**
 * Ollama mocks. `chat(s)` on `POST *\/api/chat` (any origin): streams NDJSON unless the request
 * says `stream: false` (Ollama streams by default), then the one JSON object; the request's
 * `model` is echoed.
 *
 * @example
 * ```ts
 * server.use(ollama.chat(scenario().reasoning('Hmm.').text('Hi!')))
 * ```
 */
export const ollama = {
  chat(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/api/chat',
      protocolId: 'ollama',
      framing: 'ndjson',
      source,
      ...stepOptions(options, 'messages'),
      shape: (_request, body) => ({
        stream: bodyObject(body).stream !== false,
        steps: 'one',
        encoderOptions: modelOption(requestModel(body)),
      }),
    })
  },
}
