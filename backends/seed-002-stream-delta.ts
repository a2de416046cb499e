/**
 * Seed 002's reference backend: the ECS agent framework's `OpenAIProvider` stream of
 * `StreamDelta { content, tool_calls, finish_reason, usage }`, literally.
 *
 * Every delta has all four fields (a Python dataclass serializes `None` as `null`). Text deltas
 * carry `content`; tool calls are "accumulated by OpenAIProvider", so they appear whole (`ToolCall
 * { id, name, arguments: dict }`) in the final delta whose `finish_reason` is `"tool_calls"`;
 * `usage` (`Usage { prompt_tokens, completion_tokens, total_tokens }`) is "typically only provided
 * in the final delta". A request whose conversation ends with tool results (`role: "tool"`) gets
 * the text answer, as the provider would after the app ran the tools. A failure halfway is
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
import { endsWithToolResults } from './shared/request-body.ts'

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
    const callsTools = request.behaviour.scenario === 'tools' && !endsWithToolResults(request.turns)
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
      failFrames: () => [
        {
          error: {
            message: 'The provider stream failed halfway (told to fail by the test).',
            type: 'api_error',
          },
        },
      ],
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
