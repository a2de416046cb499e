/**
 * `replay()`: serve a recorded body byte for byte, with its timing.
 *
 * @module
 */
import type { Framing, ProtocolId } from '@sluice/core'
import { protocols } from '@sluice/core'
import type { ScenarioFaults, TimingOptions } from './scenario.ts'
import { splitRecordedBody, type WireFrame } from './wire-frames.ts'

/** Options of {@link replay}. */
export interface ReplayOptions {
  /**
   * How fast to send it: timing options as for a scenario (`tokensPerSecond` counts wire
   * events here), `{ delays }` with one delay per wire event, or `'recorded'` to use the
   * timestamps the body carries (Ollama's `created_at` on every line). Default: all at once.
   */
  timing?:
    | TimingOptions
    | 'recorded'
    | { delays: readonly number[]; seed?: number; chunkSizes?: readonly [number, number] }
  /** The framing of the body. Default: the protocol's. */
  framing?: Framing
  /** Faults to apply to the recording (stall, disconnect, malformed frame). */
  faults?: Pick<ScenarioFaults, 'disconnect' | 'malformedFrame' | 'stall'>
}

/** A recorded body to serve; every handler accepts it where it accepts a scenario. */
export interface ReplaySource {
  readonly kind: 'replay'
  readonly protocolId: ProtocolId
  readonly body: string
  readonly framing: Framing
  readonly timing: TimingOptions
  /** One delay per wire event, when the timing gives them. */
  readonly delays: readonly number[] | undefined
  readonly faults: Pick<ScenarioFaults, 'disconnect' | 'malformedFrame' | 'stall'>
}

/** Milliseconds between consecutive `created_at` timestamps; 0 where a line has none. */
function recordedDelays(frames: readonly string[]): number[] {
  let previous: number | undefined
  return frames.map((text) => {
    let time: number | undefined
    try {
      const value = JSON.parse(text.replace(/^data: ?/gm, '')) as { created_at?: unknown }
      if (typeof value.created_at === 'string') time = Date.parse(value.created_at)
    } catch {
      time = undefined
    }
    if (time === undefined || Number.isNaN(time)) return 0
    const delay = previous === undefined ? 0 : Math.max(0, time - previous)
    previous = time
    return delay
  })
}

/**
 * A recorded response body to serve again, as the provider sent it. Pass it to any handler
 * in place of a scenario; the request is recorded but the body is sent unchanged. For a
 * `.chunks.txt` payload file, rebuild the SSE body first (`fixtureBody` in `test/helpers`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * const body = readFileSync('test/fixtures/ollama-chat/thinking-gpt-oss.ndjson', 'utf8')
 * server.use(ollama.chat(replay('ollama', body, { timing: 'recorded' })))
 * server.use(anthropic.messages(replay('anthropic', sse, { timing: { tokensPerSecond: 30 } })))
 * ```
 */
export function replay(protocolId: ProtocolId, body: string, options: ReplayOptions = {}): ReplaySource {
  const framing = options.framing ?? protocols[protocolId].framing
  const timing = options.timing
  let delays: readonly number[] | undefined
  let timingOptions: TimingOptions = {}
  if (timing === 'recorded') delays = recordedDelays(splitRecordedBody(body, framing))
  else if (timing !== undefined && 'delays' in timing) {
    delays = timing.delays
    timingOptions = {
      ...(timing.seed === undefined ? {} : { seed: timing.seed }),
      ...(timing.chunkSizes === undefined ? {} : { chunkSizes: timing.chunkSizes }),
    }
  } else if (timing !== undefined) timingOptions = timing
  return {
    kind: 'replay',
    protocolId,
    body,
    framing,
    timing: timingOptions,
    delays,
    faults: options.faults ?? {},
  }
}

/** The recorded body as wire frames; every frame counts as a token for `tokensPerSecond`, the last one ends it. */
export function replayFrames(source: ReplaySource): WireFrame[] {
  const texts = splitRecordedBody(source.body, source.framing)
  return texts.map((text, index) => ({ text, token: true, terminal: index === texts.length - 1 }))
}

/**
 * Whether a handler was given a recording rather than a scenario.
 *
 * @example
 * ```ts
 * isReplaySource(replay('ollama', body)) // true
 * ```
 */
export function isReplaySource(source: unknown): source is ReplaySource {
  return typeof source === 'object' && source !== null && (source as { kind?: unknown }).kind === 'replay'
}
