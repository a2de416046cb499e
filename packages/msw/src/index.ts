/**
 * @sluice/msw: MSW handlers that speak every LLM provider's and agent protocol's streaming wire
 * format, with timing and faults, built on the encoders of `@sluice/core`. No React, no DOM at
 * import time; works with `setupServer` (Node) and `setupWorker` (browser).
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { anthropic, scenario } from '@sluice/msw'
 * const server = setupServer(anthropic.messages(scenario().text('Hello!').tokensPerSecond(50)))
 * server.listen()
 * ```
 * @module
 */
export {
  type AgentHandlerOptions,
  type AgentProtocolId,
  agentHandlers,
  ndjsonHandler,
  sseHandler,
  streamHandler,
} from './agent-handlers.ts'
export { anthropic } from './anthropic.ts'
export type { CallRecorder, RecordedCall } from './call-recorder.ts'
export { compileScenario } from './compile-scenario.ts'
export {
  type ConversationFormat,
  conversationStep,
  type StepSelection,
} from './conversation-step.ts'
export type { MockHttpHandler, MockSource } from './create-mock-handler.ts'
export {
  createHandlers,
  defaultAgentPaths,
  defaultMessageEventsUrl,
  defaultScenario,
  handlers,
} from './default-handlers.ts'
export { gemini } from './gemini.ts'
export {
  type MessageEventsSocketOptions,
  type MockWebSocketHandler,
  messageEventsSocket,
} from './message-events-socket.ts'
export { ollama } from './ollama.ts'
export { openai, type ProviderHandlerOptions } from './openai.ts'
export { type ReplayOptions, type ReplaySource, replay } from './replay.ts'
export { type RecordedFile, requestFiles } from './request-files.ts'
export {
  type ScenarioBuilder,
  type ScenarioDefinition,
  type ScenarioFaults,
  type ScenarioItem,
  type ScenarioStep,
  scenario,
  type TimingOptions,
} from './scenario.ts'
export { splitIntoTokens } from './split-into-tokens.ts'
