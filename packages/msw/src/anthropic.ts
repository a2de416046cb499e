/**
 * The Anthropic Messages mock.
 *
 * @module
 */
import { createMockHandler, type MockHttpHandler, type MockSource } from './create-mock-handler.ts'
import { type ProviderHandlerOptions, stepOptions } from './openai.ts'
import { bodyObject, modelOption, requestModel } from './request-fields.ts'

/**
 * Anthropic mocks. `messages(s)` on `POST *\/v1/messages` (any origin): `stream: true` streams
 * the Messages SSE events (`message_start` … `message_stop`, the `ping`, `error` for a
 * mid-stream error), otherwise the whole `message` JSON; the request's `model` is echoed.
 *
 * @example
 * ```ts
 * server.use(anthropic.messages(scenario().reasoning('Let me think.').text('Done.')))
 * ```
 */
export const anthropic = {
  messages(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/v1/messages',
      protocolId: 'anthropic',
      framing: 'sse',
      source,
      ...stepOptions(options, 'messages'),
      shape: (_request, body) => ({
        stream: bodyObject(body).stream === true,
        steps: 'one',
        // The real API signs every thinking block; SDKs expose the signature.
        encoderOptions: { ...modelOption(requestModel(body)), placeholderSignatures: true },
      }),
    })
  },
}
