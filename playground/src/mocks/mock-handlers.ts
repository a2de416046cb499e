/**
 * Every provider's mock, served by the MSW service worker under `mock/` (so a real backend at
 * `…/v1/chat/completions` is never intercepted), plus the conversation REST endpoints.
 *
 * The handlers are created once; what they play is read per request from the playground's
 * current settings (provider, scenario, fault toggles). Faults apply "once" by default: the
 * first request after each Send gets them, a Retry gets the clean answer. "every request"
 * applies them to every request, retries included.
 *
 * @module
 */
import type { ProtocolId } from '@sluice/core'
import {
  anthropic,
  gemini,
  messageEventsSocket,
  ollama,
  openai,
  type ScenarioBuilder,
  type ScenarioDefinition,
  streamHandler,
} from '@sluice/msw'
import type { RequestHandler, WebSocketHandler } from 'msw'
import { mockPath, pageUrl } from '../chat/request-config.ts'
import type { Faults, ScenarioId } from '../settings/url-state.ts'
import { conversationHandlers } from './conversation-handlers.ts'
import { buildScenario, type ToolRunner } from './scenarios.ts'

/** What the mocks play. */
export interface MockSettings {
  scenario: ScenarioId
  faults: Faults
  /** `once`: faults hit the first request after each Send; `always`: every request. */
  faultRepeat: 'once' | 'always'
}

let settings: MockSettings = { scenario: 'markdown', faults: {}, faultRepeat: 'once' }
let armed = true

/**
 * Change what the mocks play from the next request on.
 *
 * @example
 * ```ts
 * configureMocks({ scenario: 'tools', faults: { tokensPerSecond: 5 }, faultRepeat: 'once' })
 * ```
 */
export function configureMocks(next: MockSettings): void {
  settings = next
}

/**
 * Re-arm the faults for the next request (the playground calls it on every Send, not on Retry).
 *
 * @example
 * ```ts
 * armFaults()
 * await chat.send(text)
 * ```
 */
export function armFaults(): void {
  armed = true
}

/** The definition for one request; reading it uses up the armed fault. */
function nextDefinition(tools: ToolRunner): ScenarioDefinition {
  const faulted = armed || settings.faultRepeat === 'always'
  armed = false
  return buildScenario(settings.scenario, settings.faults, faulted, tools).definition
}

/**
 * A source whose definition is resolved per request. `@sluice/msw` handlers read
 * `source.definition` once per request (HTTP) or per socket message (WebSocket), so one set of
 * handlers follows every change of the pickers without `worker.resetHandlers()` (which would not
 * reach a WebSocket that is already open).
 */
function liveSource(tools: ToolRunner): ScenarioBuilder {
  return {
    get definition(): ScenarioDefinition {
      return nextDefinition(tools)
    },
  } as unknown as ScenarioBuilder
}

/** Provider wires: the app runs the tools and sends the results back (a step a request). */
const providerSource = liveSource('app')
/** Agent protocols: the server runs the tools and streams every step in one response. */
const agentSource = liveSource('server')

/**
 * Provider handlers pick the step from the request's conversation, not from how many requests
 * the handler saw: every conversation (and every new question in one) starts at step 0.
 */
function providerOptions(protocol: ProtocolId): { path: string; steps: 'by-conversation' } {
  return { path: httpPattern(protocol), steps: 'by-conversation' }
}

function httpPattern(protocol: ProtocolId): string {
  // Match any origin and any base path: the build is relocatable.
  return `*/${mockPath(protocol).replace(/\?.*$/, '')}`
}

/**
 * Build the worker's handlers (the WebSocket URL depends on the page's origin).
 *
 * @example
 * ```ts
 * const worker = setupWorker(...createMockHandlers())
 * ```
 */
export function createMockHandlers(): (RequestHandler | WebSocketHandler)[] {
  return [
    ...conversationHandlers,
    openai.chatCompletions(providerSource, providerOptions('openai-chat')),
    openai.responses(providerSource, providerOptions('openai-responses')),
    anthropic.messages(providerSource, providerOptions('anthropic')),
    ollama.chat(providerSource, providerOptions('ollama')),
    gemini.streamGenerateContent(providerSource, {
      path: '*/mock/gemini/v1beta/models/:model\\:streamGenerateContent',
      steps: 'by-conversation',
    }),
    streamHandler('ai-sdk', httpPattern('ai-sdk'), agentSource),
    streamHandler('ag-ui', httpPattern('ag-ui'), agentSource),
    streamHandler('stream-chunk', httpPattern('stream-chunk'), agentSource),
    // Seed 002 leaves the tools to the app, which asks again with their results: one step a request.
    streamHandler('stream-delta', httpPattern('stream-delta'), providerSource, { steps: 'by-conversation' }),
    streamHandler('agent-events', httpPattern('agent-events'), agentSource),
    streamHandler('text', httpPattern('text'), agentSource),
    messageEventsSocket(pageUrl(mockPath('message-events'), 'ws'), agentSource),
  ]
}
