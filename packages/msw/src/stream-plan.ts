/**
 * Wire frames + timing + faults → the chunks a mock sends, each with the delay before it.
 * Pure and deterministic: the same frames, timing and seed give the same chunks.
 *
 * @module
 */
import type { Framing } from '@sluice/core'
import type { ScenarioFaults, TimingOptions } from './scenario.ts'
import { createSeededRandom, randomInteger } from './seeded-random.ts'
import { malformedWireFrame, type WireFrame } from './wire-frames.ts'

/** One write to the body (or one WebSocket message), after `delay` milliseconds. */
export interface PlannedChunk {
  /** UTF-8 bytes (HTTP bodies). */
  bytes: Uint8Array
  /** The same bytes as text, for WebSocket messages (only whole frames: chunking never applies there). */
  text: string
  delay: number
}

/** How the body ends after the last chunk. */
export type PlannedEnding =
  /** Normally. */
  | 'end'
  /** Early, cleanly: a truncated body (`disconnectAfter(n, { mode: 'close' })`). */
  | 'close'
  /** With a network error (`disconnectAfter(n)`). */
  | 'error'
  /** Never: nothing more is sent until the client aborts (`stall()`). */
  | 'stall'

/** What to send and how it ends. */
export interface StreamPlan {
  chunks: PlannedChunk[]
  ending: PlannedEnding
  /** Milliseconds from the first chunk to the last (without the first-byte delay). */
  duration: number
}

/** The faults the plan applies (HTTP errors and mid-stream errors are decided before framing). */
export type PlanFaults = Pick<ScenarioFaults, 'disconnect' | 'malformedFrame' | 'stall'>

const encoder = new TextEncoder()

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

/**
 * Apply faults and timing to wire frames.
 *
 * - `malformedFrame` inserts a cut-off frame after that many frames.
 * - `stall` (default: before the first terminal frame) and `disconnect` cut the frames; the
 *   earlier cut wins and decides the ending.
 * - Delays: `firstByte` before the first chunk; `drip` before every later frame, or else
 *   `1000 / tokensPerSecond` before each token frame; `jitter` adds a seeded ±jitter to those.
 * - `chunkSizes` recuts the bytes into seeded sizes across frame boundaries; a chunk waits for
 *   the latest frame it contains.
 *
 * @example
 * ```ts
 * const plan = planStream(frames, { tokensPerSecond: 50, seed: 7, chunkSizes: [1, 16] }, {}, 'sse', { chunk: true })
 * plan.chunks.map((chunk) => chunk.delay)
 * ```
 */
export function planStream(
  wireFrames: readonly WireFrame[],
  timing: TimingOptions,
  faults: PlanFaults,
  framing: Framing,
  options: { chunk: boolean; delays?: readonly number[] },
): StreamPlan {
  let frames = [...wireFrames]
  if (faults.malformedFrame !== undefined) {
    const at = clamp(faults.malformedFrame.afterEvents, 0, frames.length)
    // Borrow the event name of the content frame it stands in for, as a frame cut off mid-write
    // would (not a ping's: SDKs skip pings unparsed, so a broken "ping" would be no fault).
    const neighbour = frames.slice(at).find((frame) => frame.token) ?? frames[at] ?? frames[at - 1]
    const eventName = neighbour === undefined ? undefined : /^event: ?(.*)$/m.exec(neighbour.text)?.[1]
    frames.splice(at, 0, malformedWireFrame(framing, eventName))
  }

  let ending: PlannedEnding = 'end'
  let cut = frames.length
  if (faults.stall !== undefined) {
    const firstTerminal = frames.findIndex((frame) => frame.terminal)
    cut = clamp(
      faults.stall.afterEvents ?? (firstTerminal === -1 ? frames.length : firstTerminal),
      0,
      frames.length,
    )
    ending = 'stall'
  }
  if (faults.disconnect !== undefined && faults.disconnect.afterEvents <= cut) {
    cut = clamp(faults.disconnect.afterEvents, 0, frames.length)
    ending = faults.disconnect.mode
  }
  frames = frames.slice(0, cut)

  // Separate streams of randomness, so turning chunking on does not change the jitter.
  const jitterRandom = createSeededRandom(timing.seed ?? 1)
  const chunkRandom = createSeededRandom(((timing.seed ?? 1) ^ 0x9e3779b9) >>> 0)
  const jitter = timing.jitter ?? 0
  const delays = frames.map((frame, index) => {
    // Recorded delays (replay) are sent as they were, before drip or tokens per second.
    const recorded = options.delays?.[index]
    if (recorded !== undefined) return recorded
    let delay = 0
    if (timing.drip !== undefined) delay = index === 0 ? 0 : timing.drip
    else if (frame.token && timing.tokensPerSecond !== undefined) delay = 1000 / timing.tokensPerSecond
    if (delay > 0 && jitter > 0) delay = Math.max(0, delay + (jitterRandom() * 2 - 1) * jitter)
    return delay
  })
  const firstByte = timing.firstByte ?? 0
  const duration = delays.reduce((sum, delay) => sum + delay, 0)

  if (!options.chunk || timing.chunkSizes === undefined) {
    const chunks: PlannedChunk[] = frames.map((frame, index) => ({
      bytes: encoder.encode(frame.text),
      text: frame.text,
      delay: (index === 0 ? firstByte : 0) + (delays[index] ?? 0),
    }))
    return { chunks, ending, duration }
  }

  // Cumulative send time of each frame, and where its bytes start.
  const frameBytes = frames.map((frame) => encoder.encode(frame.text))
  const starts: number[] = []
  const times: number[] = []
  let offset = 0
  let time = 0
  frameBytes.forEach((bytes, index) => {
    time += delays[index] ?? 0
    starts.push(offset)
    times.push(time)
    offset += bytes.length
  })
  const all = new Uint8Array(offset)
  frameBytes.forEach((bytes, index) => {
    all.set(bytes, starts[index] ?? 0)
  })

  const [min, max] = timing.chunkSizes
  const chunks: PlannedChunk[] = []
  let position = 0
  let frameIndex = 0
  let previousTime = 0
  const decoder = new TextDecoder()
  while (position < all.length) {
    const end = Math.min(all.length, position + randomInteger(chunkRandom, min, max))
    // The chunk can go once the last frame that has bytes in it is due.
    while (frameIndex + 1 < starts.length && (starts[frameIndex + 1] ?? Number.POSITIVE_INFINITY) < end) {
      frameIndex += 1
    }
    const due = times[frameIndex] ?? previousTime
    const bytes = all.subarray(position, end)
    chunks.push({
      bytes,
      text: decoder.decode(bytes, { stream: true }),
      delay: (chunks.length === 0 ? firstByte : 0) + Math.max(0, due - previousTime),
    })
    previousTime = Math.max(previousTime, due)
    position = end
  }
  return { chunks, ending, duration }
}
