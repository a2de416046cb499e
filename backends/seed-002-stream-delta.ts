/**
 * Seed 002's reference backend: the ECS agent framework's `OpenAIProvider` stream of
 * `StreamDelta { content, tool_calls, finish_reason, usage }`, literally.
 *
 * Every delta has all four fields (a Python dataclass serializes `None` as `null`). Text deltas
 * carry `content`; tool calls are "accumulated by OpenAIProvider", so they appear whole (`ToolCall
 * { id, name, arguments: dict }`) in the final delta whose `finish_reason` is `"tool_calls"`;
 * `usage` (`Usage { prompt_tokens, completion_tokens, total_tokens }`) is "typically only provided
 * in the final delta". A request whose conversation ends with tool results (`role: "tool"`, each
 * naming by `tool_call_id` a call of an assistant message's `tool_calls` before it) gets the text
 * answer, as the provider would after the app ran the tools; a result for a call the
 * conversation never made gets an `invalid_request_error` frame. A failure halfway is
 * "passed through to the consumer": `{"error": {"message": …}}` as the last frame (the document
 * names no shape; our choice).
 *
 * `POST /stream` (SSE, or NDJSON with `?framing=ndjson`) and `ws://…/ws`.
 *
 * @example
 * ```ts
 * const backend = await startSeed002Server({ port: 0, behaviour: { scenario: 'tools' } })
 * ```
 * @module
 */
import { answerChunks } from './shared/behaviour.ts'
import {
  type ReferenceServerOptions,
  type RunningBackend,
  type SeedDefinition,
  startReferenceServer,
} from './shared/reference-server.ts'
import { type ConversationTurn, endsWithToolResults, field } from './shared/request-body.ts'

/** `ToolCall` of `ecs_agent.types`. */
export interface ToolCall {
  id: string
  name: string
  arguments: Record<string, unknown>
}

/** `Usage` of `ecs_agent.types`. */
export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** One `StreamDelta`. */
export interface StreamDelta {
  content: string | null
  tool_calls: ToolCall[] | null
  finish_reason: string | null
  usage: Usage | null
}

/** The tool calls the `tools` scenario makes (the playground runs `get_weather`). */
export const seed002ToolCalls: readonly ToolCall[] = [
  { id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris' } },
]

/**
 * The ids of the calls the conversation's assistant messages made (`tool_calls`, as the stream
 * delivered them, `ToolCall { id, name, arguments }`, or in the Chat Completions shape).
 */
function calledToolIds(body: Record<string, unknown>): Set<string> {
  const ids = new Set<string>()
  const messages = field(body, 'messages')
  if (!Array.isArray(messages)) return ids
  for (const message of messages.slice(-500)) {
    if (field(message, 'role') !== 'assistant') continue
    const calls = field(message, 'tool_calls')
    if (!Array.isArray(calls)) continue
    for (const call of calls.slice(0, 100)) {
      const id = field(call, 'id')
      if (typeof id === 'string') ids.add(id)
    }
  }
  return ids
}

/** The trailing tool results whose `tool_call_id` names no call of the conversation. */
function unansweredResults(turns: readonly ConversationTurn[], called: Set<string>): string[] {
  const unknown: string[] = []
  for (let index = turns.length - 1; index >= 0 && turns[index]!.role === 'tool'; index--) {
    const id = turns[index]!.toolCallId
    if (id === undefined || !called.has(id)) unknown.push(id ?? '(no tool_call_id)')
  }
  return unknown
}

/** A word count, as a stand-in for the prompt's tokens. */
function promptTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

/** Seed 002's frames. */
export const seed002: SeedDefinition = {
  seed: 'seed-002',
  httpPaths: ['/stream'],
  websocket: true,
  plan(request) {
    const continues = endsWithToolResults(request.turns)
    const failure = {
      error: {
        message: 'The provider stream failed halfway (told to fail by the test).',
        type: 'api_error',
      },
    }
    if (continues) {
      // The app ran the calls and called `complete()` again: each result must answer a call the
      // conversation made, as the provider's API (OpenAI's) requires.
      const unknown = unansweredResults(request.turns, calledToolIds(request.body))
      if (unknown.length > 0) {
        return {
          frames: [
            {
              error: {
                message: `seed-002: the tool result for ${unknown.map((id) => JSON.stringify(id.slice(0, 100))).join(', ')} answers no call of an assistant message in messages. Send the assistant message with its tool_calls before the role "tool" messages that answer them.`,
                type: 'invalid_request_error',
              },
            },
          ],
          failFrames: () => [failure],
        }
      }
    }
    const callsTools = request.behaviour.scenario === 'tools' && !continues
    const chunks = callsTools
      ? answerChunks({ text: 'Let me check the weather.', words: 0 })
      : answerChunks(request.behaviour)
    const frames: StreamDelta[] = chunks.map((content) => ({
      content,
      tool_calls: null,
      finish_reason: null,
      usage: null,
    }))
    const prompt = promptTokens(request.userText)
    const usage: Usage = {
      prompt_tokens: prompt,
      completion_tokens: chunks.length,
      total_tokens: prompt + chunks.length,
    }
    frames.push({
      content: null,
      tool_calls: callsTools
        ? seed002ToolCalls.map((call) => ({ ...call, arguments: { ...call.arguments } }))
        : null,
      finish_reason: callsTools ? 'tool_calls' : 'stop',
      usage,
    })
    return {
      frames,
      failFrames: () => [failure],
    }
  },
}

/**
 * Start seed 002's backend.
 *
 * @example
 * ```ts
 * const backend = await startSeed002Server({ port: 8702 })
 * ```
 */
export function startSeed002Server(options: ReferenceServerOptions = {}): Promise<RunningBackend> {
  return startReferenceServer(seed002, options)
}
