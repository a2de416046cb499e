/**
 * A ready preset: every provider and agent mock with a default scenario, for the playground
 * and for quick starts.
 *
 * @module
 */
import { type AgentProtocolId, agentHandlers } from './agent-handlers.ts'
import { anthropic } from './anthropic.ts'
import { gemini } from './gemini.ts'
import { messageEventsSocket } from './message-events-socket.ts'
import { ollama } from './ollama.ts'
import { openai } from './openai.ts'
import { type ScenarioBuilder, scenario } from './scenario.ts'

/**
 * The default scenario: a little reasoning, a markdown answer, usage, at a readable pace.
 *
 * @example
 * ```ts
 * server.use(openai.chatCompletions(defaultScenario()))
 * ```
 */
export function defaultScenario(): ScenarioBuilder {
  return scenario()
    .reasoning('The user said hello. A short, friendly answer with a list will do.')
    .text(
      'Hello! I am a **mocked** model served by `@sluice/msw`.\n\nI can:\n\n- stream text\n- call tools\n- fail on purpose\n',
    )
    .usage({ inputTokens: 12, outputTokens: 34 })
    .firstByte(150)
    .tokensPerSecond(60)
    .jitter(10)
}

/** Where the preset serves the agent protocols (any origin). */
export const defaultAgentPaths: Readonly<Record<AgentProtocolId, string>> = Object.freeze({
  'ai-sdk': '*/api/ai-sdk',
  'ag-ui': '*/api/ag-ui',
  'stream-chunk': '*/api/stream-chunk',
  'stream-delta': '*/api/stream-delta',
  'agent-events': '*/api/agent-events',
})

/** Where the preset serves `message-events` over a WebSocket. */
export const defaultMessageEventsUrl = 'ws://localhost/api/message-events'

/**
 * Every mock with a scenario (default: {@link defaultScenario}): OpenAI Chat Completions and
 * Responses, Anthropic Messages, Ollama chat, Gemini (streaming and not), the agent protocols
 * at {@link defaultAgentPaths}, and `message-events` at `socketUrl`.
 *
 * @example
 * ```ts
 * import { setupWorker } from 'msw/browser'
 * import { createHandlers } from '@sluice/msw'
 * await setupWorker(...createHandlers({ socketUrl: `ws://${location.host}/api/message-events` })).start()
 * ```
 */
export function createHandlers(
  options: { scenario?: ScenarioBuilder; socketUrl?: string } = {},
): ReturnType<typeof openai.chatCompletions | typeof messageEventsSocket>[] {
  const source = options.scenario ?? defaultScenario()
  return [
    openai.chatCompletions(source),
    openai.responses(source),
    anthropic.messages(source),
    ollama.chat(source),
    gemini.streamGenerateContent(source),
    gemini.generateContent(source),
    ...(Object.keys(defaultAgentPaths) as AgentProtocolId[]).map((id) =>
      agentHandlers[id](defaultAgentPaths[id], source),
    ),
    messageEventsSocket(options.socketUrl ?? defaultMessageEventsUrl, source),
  ]
}

/**
 * {@link createHandlers} with the default scenario.
 *
 * @example
 * ```ts
 * const server = setupServer(...handlers)
 * ```
 */
export const handlers = createHandlers()
