/**
 * `scenario()`: a conversation turn described once (content, timing, faults) and served by any
 * handler in any protocol.
 *
 * @module
 */
import type { FinishReason, MessageError, Usage } from '@sluice/core'

/** One piece of content in a step, in the order it streams. */
export type ScenarioItem =
  | { kind: 'reasoning'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { kind: 'tool-result'; toolCallId: string; output: unknown }
  | { kind: 'source'; url: string; title?: string }
  | { kind: 'file'; url: string; mediaType: string; name?: string }
  | { kind: 'data'; name: string; data: unknown; id?: string }

/** One step: what the model sends in one response (provider handlers serve one step a request). */
export interface ScenarioStep {
  items: readonly ScenarioItem[]
  usage?: Usage
  finishReason?: FinishReason
}

/**
 * How fast the bytes come. Every delay is in milliseconds; with no timing at all the whole body
 * is sent at once (what unit tests want).
 */
export interface TimingOptions {
  /** Delay before the first byte (time to first token). */
  firstByte?: number
  /** Rate of token deltas (text, reasoning and tool-input fragments); other wire events are not delayed. */
  tokensPerSecond?: number
  /** A random ±`jitter` added to every token or drip delay (never below zero), from the seed. */
  jitter?: number
  /** Seed of the random source for jitter and chunk sizes: the same seed gives the same bytes in the same chunks. */
  seed?: number
  /**
   * Cut the body into chunks of `[min, max]` bytes from the seed, across frame boundaries and
   * inside multi-byte characters, as a real network does. Without it, one chunk per wire event.
   */
  chunkSizes?: readonly [min: number, max: number]
  /** A fixed delay before every wire event after the first (a slow drip); replaces `tokensPerSecond`. */
  drip?: number
}

/** What goes wrong, if anything. Positions count wire events (SSE events, NDJSON lines, WebSocket messages). */
export interface ScenarioFaults {
  /** Answer with this HTTP status and the provider's error body (or `body`) instead of a stream. */
  httpError?: { status: number; message?: string; body?: unknown }
  /** End with the provider's mid-stream error event instead of the normal end. */
  midstreamError?: MessageError
  /** Send this many wire events, then drop the connection (`error`, the default) or end the body early (`close`). */
  disconnect?: { afterEvents: number; mode: 'error' | 'close' }
  /** Insert a frame whose JSON is cut off after this many wire events. */
  malformedFrame?: { afterEvents: number }
  /** Send this many wire events (default: everything but the end), then nothing, forever, until the client aborts. */
  stall?: { afterEvents?: number }
}

/** Everything a scenario says, as plain data. */
export interface ScenarioDefinition {
  steps: readonly ScenarioStep[]
  timing: TimingOptions
  faults: ScenarioFaults
  /** The model to report when the request names none. */
  model?: string
}

const emptyDefinition: ScenarioDefinition = { steps: [{ items: [] }], timing: {}, faults: {} }

/**
 * A conversation turn under construction. Every method returns a new builder, so a base
 * scenario can be shared and varied (`base.stall()` leaves `base` as it was).
 *
 * @example
 * ```ts
 * const weather = scenario()
 *   .reasoning('The user wants the weather.')
 *   .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
 *   .step()
 *   .text('It is sunny in Paris.')
 *   .usage({ inputTokens: 12, outputTokens: 7 })
 *   .tokensPerSecond(40)
 * ```
 */
export class ScenarioBuilder {
  /** The scenario as plain data (what handlers read). */
  readonly definition: ScenarioDefinition

  constructor(definition: ScenarioDefinition = emptyDefinition) {
    this.definition = definition
  }

  private with(change: Partial<ScenarioDefinition>): ScenarioBuilder {
    return new ScenarioBuilder({ ...this.definition, ...change })
  }

  private withStep(change: (step: ScenarioStep) => ScenarioStep): ScenarioBuilder {
    const steps = [...this.definition.steps]
    const last = steps.pop() ?? { items: [] }
    return this.with({ steps: [...steps, change(last)] })
  }

  private withItem(item: ScenarioItem): ScenarioBuilder {
    return this.withStep((step) => ({ ...step, items: [...step.items, item] }))
  }

  private withTiming(change: TimingOptions): ScenarioBuilder {
    return this.with({ timing: { ...this.definition.timing, ...change } })
  }

  private withFaults(change: ScenarioFaults): ScenarioBuilder {
    return this.with({ faults: { ...this.definition.faults, ...change } })
  }

  /** Reasoning (thinking) text, streamed token by token. */
  reasoning(text: string): ScenarioBuilder {
    return this.withItem({ kind: 'reasoning', text })
  }

  /** Answer text, streamed token by token (words and punctuation). */
  text(text: string): ScenarioBuilder {
    return this.withItem({ kind: 'text', text })
  }

  /**
   * A tool call whose input JSON streams in fragments. The id defaults to `call_<n>`, counting
   * calls across the scenario.
   */
  toolCall(name: string, input: unknown, options: { id?: string } = {}): ScenarioBuilder {
    const count = this.definition.steps
      .flatMap((step) => step.items)
      .filter((item) => item.kind === 'tool-call')
    const toolCallId = options.id ?? `call_${count.length + 1}`
    return this.withItem({ kind: 'tool-call', toolCallId, toolName: name, input })
  }

  /** A tool's result (sent by agent protocols; provider wires leave results to the next request). */
  toolResult(id: string, output: unknown): ScenarioBuilder {
    return this.withItem({ kind: 'tool-result', toolCallId: id, output })
  }

  /** A cited source (sent by protocols that have sources). */
  source(url: string, title?: string): ScenarioBuilder {
    return this.withItem(title === undefined ? { kind: 'source', url } : { kind: 'source', url, title })
  }

  /**
   * A file in the answer (sent by protocols that have file parts: the AI SDK UI message stream
   * `{"type":"file"}`, AG-UI as a `file` custom event; the others have no file in their stream
   * and leave it out).
   *
   * @example
   * ```ts
   * scenario().text('Here is the chart.').file('https://files.example.com/chart.png', 'image/png', { name: 'chart.png' })
   * ```
   */
  file(url: string, mediaType: string, options: { name?: string } = {}): ScenarioBuilder {
    return this.withItem(
      options.name === undefined
        ? { kind: 'file', url, mediaType }
        : { kind: 'file', url, mediaType, name: options.name },
    )
  }

  /**
   * Custom data in the answer, named (sent by protocols that carry data: the AI SDK UI message
   * stream as `data-<name>`, AG-UI as a `CUSTOM` event; the others leave it out). A `suggestions`
   * part is what `ChatSuggestions` offers after the answer.
   *
   * @example
   * ```ts
   * scenario().text('Paris is the capital.').data('suggestions', ['Tell me more', 'And Lyon?'])
   * ```
   */
  data(name: string, data: unknown, options: { id?: string } = {}): ScenarioBuilder {
    return this.withItem(
      options.id === undefined ? { kind: 'data', name, data } : { kind: 'data', name, data, id: options.id },
    )
  }

  /** Token usage of the current step. */
  usage(usage: Usage): ScenarioBuilder {
    return this.withStep((step) => ({ ...step, usage }))
  }

  /**
   * The current step's finish reason. Default: `tool-calls` when the step has a tool call
   * without a result, else `stop`.
   */
  finish(reason: FinishReason = 'stop'): ScenarioBuilder {
    return this.withStep((step) => ({ ...step, finishReason: reason }))
  }

  /**
   * Start a new step. Provider handlers serve step n on the n-th request (the request that
   * carries the tool results gets the next step; the last step repeats); agent handlers stream
   * every step in one message with step events.
   */
  step(): ScenarioBuilder {
    return this.with({ steps: [...this.definition.steps, { items: [] }] })
  }

  /** The model to report when the request names none. */
  model(name: string): ScenarioBuilder {
    return this.with({ model: name })
  }

  /** Several timing options at once. */
  timing(options: TimingOptions): ScenarioBuilder {
    return this.withTiming(options)
  }

  /** Delay before the first byte, in milliseconds. */
  firstByte(milliseconds: number): ScenarioBuilder {
    return this.withTiming({ firstByte: milliseconds })
  }

  /** Token deltas per second. */
  tokensPerSecond(rate: number): ScenarioBuilder {
    if (!(rate > 0)) throw new RangeError(`tokensPerSecond(${rate}): the rate must be a positive number.`)
    return this.withTiming({ tokensPerSecond: rate })
  }

  /** A random ±`milliseconds` on every token or drip delay, from the seed. */
  jitter(milliseconds: number): ScenarioBuilder {
    return this.withTiming({ jitter: milliseconds })
  }

  /** Seed for jitter and chunk sizes (default 1). */
  seed(seed: number): ScenarioBuilder {
    return this.withTiming({ seed })
  }

  /** Cut the body into chunks of `min`..`max` bytes, from the seed. */
  chunkSizes(min: number, max: number): ScenarioBuilder {
    if (!(min >= 1 && max >= min)) {
      throw new RangeError(`chunkSizes(${min}, ${max}): need 1 <= min <= max.`)
    }
    return this.withTiming({ chunkSizes: [Math.floor(min), Math.floor(max)] })
  }

  /** A fixed delay before every wire event after the first (a slow drip). */
  drip(milliseconds: number): ScenarioBuilder {
    return this.withTiming({ drip: milliseconds })
  }

  /**
   * Answer with an HTTP error: this status and the provider's own error body for it, or `body`
   * as given (an object is sent as JSON, a string as text).
   */
  httpError(status: number, body?: unknown): ScenarioBuilder {
    return this.withFaults({ httpError: body === undefined ? { status } : { status, body } })
  }

  /** End the stream with the provider's mid-stream error event (Anthropic `error`, OpenAI `{"error":…}`, …). */
  errorMidstream(message: string, options: { code?: string; status?: number } = {}): ScenarioBuilder {
    return this.withFaults({ midstreamError: { message, ...options } })
  }

  /**
   * Drop the connection after `events` wire events. `mode: 'error'` (default) fails the body
   * like a network error; `'close'` ends it early as a truncated body.
   */
  disconnectAfter(events: number, options: { mode?: 'error' | 'close' } = {}): ScenarioBuilder {
    return this.withFaults({ disconnect: { afterEvents: events, mode: options.mode ?? 'error' } })
  }

  /** Insert a frame with cut-off JSON after `afterEvents` wire events (default 1). */
  malformedFrame(options: { afterEvents?: number } = {}): ScenarioBuilder {
    return this.withFaults({ malformedFrame: { afterEvents: options.afterEvents ?? 1 } })
  }

  /**
   * Stop sending without closing: after `afterEvents` wire events (default: all but the end),
   * nothing more comes until the client aborts.
   */
  stall(options: { afterEvents?: number } = {}): ScenarioBuilder {
    return this.withFaults({
      stall: options.afterEvents === undefined ? {} : { afterEvents: options.afterEvents },
    })
  }
}

/**
 * Start a scenario.
 *
 * @example
 * ```ts
 * import { scenario, openai } from '@sluice/msw'
 * server.use(openai.chatCompletions(scenario().text('Hello!').usage({ inputTokens: 3, outputTokens: 2 })))
 * ```
 */
export function scenario(): ScenarioBuilder {
  return new ScenarioBuilder()
}
