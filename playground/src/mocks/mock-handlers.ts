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
import { buildScenario } from './scenarios.ts'

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
function nextDefinition(): ScenarioDefinition {
  const faulted = armed || settings.faultRepeat === 'always'
  armed = false
  return buildScenario(settings.scenario, settings.faults, faulted).definition
}

/**
 * A source whose definition is resolved per request. `@sluice/msw` handlers read
 * `source.definition` once per request (HTTP) or per socket message (WebSocket), so one set of
 * handlers follows every change of the pickers without `worker.resetHandlers()` (which would not
 * reach a WebSocket that is already open).
 */
const liveSource = {
  get definition(): ScenarioDefinition {
    return nextDefinition()
  },
} as unknown as ScenarioBuilder

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
    openai.chatCompletions(liveSource, { path: httpPattern('openai-chat') }),
    openai.responses(liveSource, { path: httpPattern('openai-responses') }),
    anthropic.messages(liveSource, { path: httpPattern('anthropic') }),
    ollama.chat(liveSource, { path: httpPattern('ollama') }),
    gemini.streamGenerateContent(liveSource, {
      path: '*/mock/gemini/v1beta/models/:model\\:streamGenerateContent',
    }),
    streamHandler('ai-sdk', httpPattern('ai-sdk'), liveSource),
    streamHandler('ag-ui', httpPattern('ag-ui'), liveSource),
    streamHandler('stream-chunk', httpPattern('stream-chunk'), liveSource),
    streamHandler('stream-delta', httpPattern('stream-delta'), liveSource),
    streamHandler('agent-events', httpPattern('agent-events'), liveSource),
    streamHandler('text', httpPattern('text'), liveSource),
    messageEventsSocket(pageUrl(mockPath('message-events'), 'ws'), liveSource),
  ]
}
