/**
 * OpenAI mocks: Chat Completions and the Responses API.
 *
 * @module
 */
import type { ConversationFormat, StepSelection } from './conversation-step.ts'
import { createMockHandler, type MockHttpHandler, type MockSource } from './create-mock-handler.ts'
import { bodyObject, modelOption, requestModel } from './request-fields.ts'

/** Options every provider handler takes. */
export interface ProviderHandlerOptions {
  /** The path to match instead of the provider's (any origin matches with a leading `*`). */
  path?: string
  /**
   * Which scenario step a request gets. `by-call` (default): the n-th request to this handler
   * gets step n, the last step repeats. `by-conversation`: the number of model turns in the
   * request's conversation after the user's last own message (tool results do not count), so
   * every conversation starts at step 0; a conversation past the scenario's last step gets an
   * HTTP 500 in the provider's error shape that says how many steps the scenario has.
   */
  steps?: StepSelection
}

/**
 * The step options `createMockHandler` takes, from a provider handler's options (internal).
 *
 * @example
 * ```ts
 * stepOptions({ steps: 'by-conversation' }, 'messages') // { steps: 'by-conversation', conversation: 'messages' }
 * ```
 */
export function stepOptions(
  options: ProviderHandlerOptions,
  conversation: ConversationFormat,
): { steps?: StepSelection; conversation: ConversationFormat } {
  return options.steps === undefined ? { conversation } : { steps: options.steps, conversation }
}

/** Request fields the Responses API echoes on its `response` object. */
const echoedResponseFields = [
  'tools',
  'tool_choice',
  'instructions',
  'temperature',
  'top_p',
  'max_output_tokens',
  'parallel_tool_calls',
  'previous_response_id',
  'metadata',
] as const

function echoResponseFields(response: unknown, request: Record<string, unknown>): unknown {
  if (typeof response !== 'object' || response === null) return response
  const echoed: Record<string, unknown> = { ...(response as Record<string, unknown>) }
  for (const field of echoedResponseFields) if (request[field] !== undefined) echoed[field] = request[field]
  return echoed
}

/**
 * OpenAI mocks. Any origin matches, so OpenAI-compatible servers (`baseURL`) are covered too.
 *
 * - `chatCompletions(s)` on `POST *\/v1/chat/completions`: `stream: true` streams
 *   `chat.completion.chunk`s (the usage chunk when `stream_options.include_usage`), otherwise
 *   the `chat.completion` JSON; the request's `model` is echoed.
 * - `responses(s)` on `POST *\/v1/responses`: `stream: true` streams the Responses events,
 *   otherwise the `response` JSON; `model`, `tools`, `instructions`, `tool_choice`, … are
 *   echoed on the response object as the API does.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { openai, scenario } from '@sluice/msw'
 * const mock = openai.chatCompletions(scenario().text('Hello!'))
 * const server = setupServer(mock)
 * // … call the API …
 * expect(mock.calls[0]?.body).toMatchObject({ model: 'gpt-4o' })
 * ```
 */
export const openai = {
  chatCompletions(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/v1/chat/completions',
      protocolId: 'openai-chat',
      framing: 'sse',
      source,
      ...stepOptions(options, 'messages'),
      shape(_request, body) {
        const request = bodyObject(body)
        const streamOptions = bodyObject(request.stream_options)
        return {
          stream: request.stream === true,
          steps: 'one',
          encoderOptions: {
            ...modelOption(requestModel(body)),
            includeUsage: streamOptions.include_usage === true,
          },
        }
      },
    })
  },
  responses(source: MockSource, options: ProviderHandlerOptions = {}): MockHttpHandler {
    return createMockHandler({
      method: 'post',
      path: options.path ?? '*/v1/responses',
      protocolId: 'openai-responses',
      framing: 'sse',
      source,
      ...stepOptions(options, 'responses'),
      shape(_request, body) {
        const request = bodyObject(body)
        const echo = (data: string): string => {
          const value = JSON.parse(data) as Record<string, unknown>
          if (value.response === undefined) return data
          return JSON.stringify({ ...value, response: echoResponseFields(value.response, request) })
        }
        return {
          stream: request.stream === true,
          steps: 'one',
          encoderOptions: modelOption(requestModel(body)),
          transformData: echo,
          transformBody: (response) => echoResponseFields(response, request),
        }
      },
    })
  },
}
