/**
 * Seed 003's reference backend: aof-runtime's `StreamEvent` enum, serialized by serde, literally.
 *
 * ```rust
 * TextDelta { delta, timestamp: Option<u64> }
 * ToolCallStart { tool_name, tool_id, arguments }
 * ToolCallComplete { tool_name, tool_id, success, execution_time_ms, error }
 * Thinking { content }
 * IterationStart { iteration, max_iterations }
 * IterationComplete { iteration, stop_reason }
 * Done { content, total_iterations, execution_time_ms, input_tokens, output_tokens }
 * Error { message }
 * ```
 *
 * `tagging` picks serde's representation: `internal` (`#[serde(tag = "type")]`:
 * `{"type":"TextDelta","delta":…}`, the default), `external` (serde's default:
 * `{"TextDelta":{"delta":…}}`) or `snake` (`tag = "type", rename_all = "snake_case"`:
 * `{"type":"text_delta",…}`). `Option::None` is `null`.
 *
 * A cancel (the connection closing, or a `{"type":"cancel"}` frame on the WebSocket: the seed's
 * cancel is an in-process `oneshot`, so the frame is our choice) makes the generator stop and
 * send `Error { message: "Execution cancelled by user" }` ("Cancellation → Error event"); a
 * failure sends `Error { message }` ("Model streaming errors → StreamEvent::Error").
 *
 * The `tools` scenario runs two iterations: a `Thinking`, two tool calls (one succeeds, one fails
 * with an error) and `IterationComplete { stop_reason: "tool_use" }`, then the text answer.
 *
 * `POST /stream` (SSE, or NDJSON with `?framing=ndjson`) and `ws://…/ws`.
 *
 * @example
 * ```ts
 * const backend = await startSeed003Server({ port: 0, behaviour: { tagging: 'external' } })
 * ```
 * @module
 */
import { answerChunks, type BackendBehaviour } from './shared/behaviour.ts'
import {
  type ReferenceServerOptions,
  type RunningBackend,
  type SeedDefinition,
  startReferenceServer,
} from './shared/reference-server.ts'

/** The variants and their fields. */
export interface StreamEventFields {
  TextDelta: { delta: string; timestamp: number | null }
  ToolCallStart: { tool_name: string; tool_id: string; arguments: Record<string, unknown> }
  ToolCallComplete: {
    tool_name: string
    tool_id: string
    success: boolean
    execution_time_ms: number
    error: string | null
  }
  Thinking: { content: string }
  IterationStart: { iteration: number; max_iterations: number }
  IterationComplete: { iteration: number; stop_reason: string }
  Done: {
    content: string
    total_iterations: number
    execution_time_ms: number
    input_tokens: number
    output_tokens: number
  }
  Error: { message: string }
}

/** A variant name. */
export type StreamEventVariant = keyof StreamEventFields

/** The message aof-runtime sends when the user cancels (issue 10's observation of the real backend). */
export const cancelledMessage = 'Execution cancelled by user'

/** The iterations limit the backend announces. */
export const maximumIterations = 5

/** The tool calls of the `tools` scenario: the second one fails. */
export const seed003ToolCalls = [
  { tool_name: 'get_weather', tool_id: 'tool_1', arguments: { city: 'Paris' }, error: null },
  {
    tool_name: 'search_docs',
    tool_id: 'tool_2',
    arguments: { query: 'umbrella policy' },
    error: 'Index unavailable: the docs index is rebuilding',
  },
] as const

function snakeCase(name: string): string {
  return name.replace(
    /[A-Z]/g,
    (letter, offset: number) => `${offset === 0 ? '' : '_'}${letter.toLowerCase()}`,
  )
}

/**
 * One `StreamEvent` as serde writes it under the given tagging.
 *
 * @example
 * ```ts
 * serializeStreamEvent('Error', { message: 'x' }, 'external') // { Error: { message: 'x' } }
 * serializeStreamEvent('TextDelta', { delta: 'a', timestamp: null }, 'snake') // { type: 'text_delta', delta: 'a', timestamp: null }
 * ```
 */
export function serializeStreamEvent<Variant extends StreamEventVariant>(
  variant: Variant,
  fields: StreamEventFields[Variant],
  tagging: BackendBehaviour['tagging'],
): Record<string, unknown> {
  switch (tagging) {
    case 'external':
      return { [variant]: fields }
    case 'snake':
      return { type: snakeCase(variant), ...fields }
    case 'internal':
      return { type: variant, ...fields }
    default: {
      const unknownTagging: never = tagging
      throw new Error(`seed-003: unknown tagging ${String(unknownTagging)}`)
    }
  }
}

/** Seed 003's frames. */
export const seed003: SeedDefinition = {
  seed: 'seed-003',
  httpPaths: ['/stream'],
  websocket: true,
  plan(request) {
    const { tagging } = request.behaviour
    const event = <Variant extends StreamEventVariant>(
      variant: Variant,
      fields: StreamEventFields[Variant],
    ) => serializeStreamEvent(variant, fields, tagging)
    const chunks = answerChunks(request.behaviour)
    const frames: (() => unknown)[] = []
    const delays = new Map<number, number>()
    let iteration = 0
    const tools = request.behaviour.scenario === 'tools'
    const reasoning = tools || request.behaviour.scenario === 'reasoning'
    if (tools) {
      iteration++
      const first = iteration
      frames.push(() => event('IterationStart', { iteration: first, max_iterations: maximumIterations }))
      frames.push(() =>
        event('Thinking', { content: 'The user asked about the weather; I will look it up.' }),
      )
      for (const call of seed003ToolCalls) {
        let startedAt = 0
        frames.push(() => {
          startedAt = Date.now()
          return event('ToolCallStart', {
            tool_name: call.tool_name,
            tool_id: call.tool_id,
            arguments: { ...call.arguments },
          })
        })
        // The tool runs between its start and its result (`tool_delay`, else `delay`).
        if (request.behaviour.toolDelay !== undefined) delays.set(frames.length, request.behaviour.toolDelay)
        frames.push(() =>
          event('ToolCallComplete', {
            tool_name: call.tool_name,
            tool_id: call.tool_id,
            success: call.error === null,
            execution_time_ms: Date.now() - startedAt,
            error: call.error,
          }),
        )
      }
      frames.push(() => event('IterationComplete', { iteration: first, stop_reason: 'tool_use' }))
    }
    iteration++
    const last = iteration
    frames.push(() => event('IterationStart', { iteration: last, max_iterations: maximumIterations }))
    if (reasoning && !tools)
      frames.push(() => event('Thinking', { content: 'Thinking about how to answer.' }))
    for (const delta of chunks) frames.push(() => event('TextDelta', { delta, timestamp: Date.now() }))
    frames.push(() => event('IterationComplete', { iteration: last, stop_reason: 'end_turn' }))
    const inputTokens = request.userText.split(/\s+/).filter(Boolean).length
    frames.push(() =>
      event('Done', {
        content: chunks.join(''),
        total_iterations: last,
        execution_time_ms: Date.now() - request.startedAt,
        input_tokens: inputTokens,
        output_tokens: chunks.length,
      }),
    )
    return {
      frames,
      delays,
      failFrames: () => [
        event('Error', {
          message: 'Model stream error: the provider closed the stream (told to fail by the test).',
        }),
      ],
      cancelFrames: () => [event('Error', { message: cancelledMessage })],
    }
  },
}

/**
 * Start seed 003's backend.
 *
 * @example
 * ```ts
 * const backend = await startSeed003Server({ port: 8703 })
 * ```
 */
export function startSeed003Server(options: ReferenceServerOptions = {}): Promise<RunningBackend> {
  return startReferenceServer(seed003, options)
}
