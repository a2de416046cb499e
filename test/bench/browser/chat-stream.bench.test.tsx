import { useChat } from '@ai-sdk/react'
import { type ChatEvent, type Message, messageText, type Chat as SluiceChat } from '@sluice/core'
import { encoders, serializeFrames } from '@sluice/core/encoders'
import { DefaultChatTransport, type UIMessage } from 'ai'
import { memo, Profiler, type ReactNode } from 'react'
import type { createRoot as CreateRoot } from 'react-dom/client'
// @ts-expect-error react-dom ships no types for its profiling build (the production build with Profiler timings).
import { createRoot as createProfilingRoot } from 'react-dom/profiling'
import { expect, test } from 'vitest'
import {
  ChatProvider,
  useChatContext,
  useMessage,
  useMessageIds,
  useStreamingChat,
} from '../../../packages/react/src/hooks/index.ts'

/**
 * One 10,000-token answer streamed into a chat that already shows 200 messages, in Chromium with
 * React's production build (its profiling variant, so `<Profiler onRender>` reports commits).
 * Sluice (selector rows, and `useStreamingChat` with `messages.map`) and the AI SDK's `useChat`
 * (`@ai-sdk/react` 3 + `DefaultChatTransport` from `ai` 6, without throttle and with
 * `experimental_throttle: 50`) read the same bytes: the AI SDK UI message stream, which Sluice
 * reads as protocol `ai-sdk`.
 *
 * The mock is a `fetch` (both clients take one) whose body is fed from the page, in two modes:
 * - `per-event`: one SSE event per macrotask (MessageChannel), as fast as the page lets it: the
 *   worst case for per-chunk costs.
 * - `64 KB`: network-sized chunks (about 1,100 events each), one per macrotask: the worst case
 *   for the longest task.
 *
 * Measured, per run, from `send` until the whole answer is in the DOM:
 * - commits: `Profiler.onRender` calls; frames: `requestAnimationFrame` callbacks in the window.
 * - busy: main-thread time not available to other work. A MessageChannel probe posts to itself
 *   continuously; any gap over 0.1 ms between two probe messages is time the thread spent on
 *   something else (scripting, React, style, layout, paint, GC, the mock). `baseline` is the mock
 *   read by a bare reader (no parsing, no React), so `busy - baseline` is the client's cost.
 * - longest gap: the longest such gap (finer than longtask, which only reports tasks over 50 ms);
 *   long tasks: `PerformanceObserver('longtask')` count and longest, with the React render
 *   (`Profiler` spans) and, for Sluice, the store updates (`apply`, timed by wrapping it) that ran
 *   inside the longest one, so a long task can be told apart from the client's own work.
 * - largest batch (Sluice): the most events one store update applied.
 * - render: the sum of `Profiler` actualDuration (React render work only).
 * - first byte → paint: from the mock handing over the first chunk to the first frame after the
 *   first token appeared in the DOM (MutationObserver, then rAF + a task: the paint has happened).
 *
 * The answer has a paragraph break every 50 tokens and every screen renders one `<p>` per
 * paragraph (the same `MessageRow` for all), so layout cost per frame stays bounded.
 * Run on a shared 2-core machine, figures vary between runs: compare within one run.
 *
 * Figures are printed, never asserted.
 */
const createRoot = createProfilingRoot as typeof CreateRoot
const TOKENS = 10_000
const EARLIER_MESSAGES = 200
const NETWORK_CHUNK = 64 * 1024

/** Paragraphs of 50 tokens, as real answers come: see `MessageRow`. */
const tokens = Array.from({ length: TOKENS }, (_, index) =>
  index === 0 ? 'FIRST ' : index % 50 === 49 ? `w${index % 997}\n\n` : `w${index % 997} `,
)
/** What the answer's row shows once complete (paragraphs are separate elements). */
const answerDomText = tokens.join('').split('\n\n').join('')

/** The AI SDK UI message stream of the answer, one string per SSE event group. */
function aiSdkWire(): string[] {
  const encoder = encoders['ai-sdk'].createEncoder()
  const events: ChatEvent[] = [
    { type: 'message-start', messageId: 'answer', role: 'assistant' },
    ...tokens.map((delta): ChatEvent => ({ type: 'text-delta', messageId: 'answer', id: 'text', delta })),
    { type: 'text-end', messageId: 'answer', id: 'text' },
    { type: 'message-end', messageId: 'answer', finishReason: 'stop' },
  ]
  const wire = events.map((event) => serializeFrames(encoder.encode(event), 'sse'))
  wire.push(serializeFrames(encoder.end(), 'sse'))
  return wire.filter((text) => text !== '')
}
const textEncoder = new TextEncoder()
const perEventChunks = aiSdkWire().map((text) => textEncoder.encode(text))
const wholeBody = textEncoder.encode(aiSdkWire().join(''))
const networkChunks = Array.from({ length: Math.ceil(wholeBody.length / NETWORK_CHUNK) }, (_, index) =>
  wholeBody.subarray(index * NETWORK_CHUNK, (index + 1) * NETWORK_CHUNK),
)

type Mode = 'per-event' | '64 KB'

interface Timeline {
  firstByteAt?: number
}

/** A fetch that answers every request with the stream, one chunk per macrotask. */
function mockFetch(mode: Mode, timeline: Timeline): typeof fetch {
  return async () => {
    const chunks = mode === 'per-event' ? perEventChunks : networkChunks
    const channel = new MessageChannel()
    let index = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        channel.port1.onmessage = () => {
          if (cancelled) return
          const chunk = chunks[index++]
          if (chunk === undefined) {
            controller.close()
            channel.port1.close()
            return
          }
          if (timeline.firstByteAt === undefined) timeline.firstByteAt = performance.now()
          controller.enqueue(chunk)
          channel.port2.postMessage(0)
        }
        channel.port2.postMessage(0)
      },
      cancel() {
        cancelled = true
      },
    })
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1' },
    })
  }
}

function sluiceHistory(): Message[] {
  return Array.from({ length: EARLIER_MESSAGES }, (_, index) => ({
    id: `saved-${index}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    status: 'complete',
    parts: [
      {
        type: 'text',
        id: 'text',
        text: `Earlier message ${index}: ${'lorem ipsum '.repeat(8)}`,
        state: 'done',
      },
    ],
  }))
}

function aiSdkHistory(): UIMessage[] {
  return sluiceHistory().map((message) => ({
    id: message.id,
    role: message.role === 'user' ? 'user' : 'assistant',
    parts: [{ type: 'text', text: messageText(message) }],
  }))
}

/** What a screen hands back to the runner: how to send, and Sluice's chat (to time its store updates). */
interface Box {
  send?: (text: string) => Promise<void>
  chat?: SluiceChat
}

// --- the screens (identical markup: one <article><p>text</p></article> per message) ---

function SluiceThread({ box }: { box: Box }) {
  const chat: SluiceChat = useChatContext()
  box.send = chat.send
  box.chat = chat
  const ids = useMessageIds()
  return (
    <div className="thread">
      {ids.map((id) => (
        <SluiceRow key={id} id={id} />
      ))}
    </div>
  )
}

/**
 * One `<p>` per paragraph, keyed by position: a token changes only the last paragraph's text
 * node, so Chromium lays out one paragraph per frame instead of the whole answer (a 57 KB text
 * node re-laid out every frame costs tens of ms and would hide every library difference).
 */
const MessageRow = memo(function MessageRow({ text }: { text: string }) {
  return (
    <article>
      {text.split('\n\n').map((paragraph, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs only grow at the end; position is their identity.
        <p key={index}>{paragraph}</p>
      ))}
    </article>
  )
})

const SluiceRow = memo(function SluiceRow({ id }: { id: string }) {
  const message = useMessage(id)
  return message ? <MessageRow text={messageText(message)} /> : null
})

function SluiceArrayThread({ fetch, box }: { fetch: typeof globalThis.fetch; box: Box }) {
  const { messages, send, chat } = useStreamingChat({
    api: '/api/chat',
    protocol: 'ai-sdk',
    fetch,
    initialMessages: sluiceHistory(),
  })
  box.send = send
  box.chat = chat
  return (
    <div className="thread">
      {messages.map((message) => (
        <MessageRow key={message.id} text={messageText(message)} />
      ))}
    </div>
  )
}

function aiSdkText(message: UIMessage): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}

function AiSdkThread({
  fetch,
  throttle,
  box,
}: {
  fetch: typeof globalThis.fetch
  throttle: number | undefined
  box: Box
}) {
  const { messages, sendMessage } = useChat({
    transport: new DefaultChatTransport({ api: '/api/chat', fetch }),
    messages: aiSdkHistory(),
    ...(throttle === undefined ? {} : { experimental_throttle: throttle }),
  })
  box.send = (text) => sendMessage({ text })
  return (
    <div className="thread">
      {messages.map((message) => (
        <MessageRow key={message.id} text={aiSdkText(message)} />
      ))}
    </div>
  )
}

// --- measurement ---

interface RunResult {
  scenario: string
  mode: Mode
  durationMs: number
  commits: number
  frames: number
  busyMs: number
  longestGapMs: number
  longTasks: number
  longestTaskMs: number
  /** React render work (Profiler) that ran inside the longest long task. */
  longestTaskRenderMs: number
  /** Sluice store updates (`apply`: the reducer pass over a batch) that ran inside the longest long task. */
  longestTaskApplyMs: number
  /** Script and style+layout time of the long animation frame holding the longest long task (-1: none). */
  longestTaskFrameScriptMs: number
  longestTaskFrameStyleLayoutMs: number
  /** JS heap freed during the longest long task, in MB (a GC ran in it when this is large). */
  longestTaskHeapFreedMb: number
  /** The most events one store update applied (Sluice only). */
  largestBatch: number
  renderMs: number
  firstBytePaintMs: number
}

/** A long animation frame: its span, the script time in it and its style + layout time. */
interface LongFrame extends Span {
  script: number
  styleLayout: number
}

/** The fields of a `long-animation-frame` entry this bench reads. */
interface LoafEntry {
  startTime: number
  duration: number
  styleAndLayoutStart: number
  scripts?: { duration: number }[]
}

/** The long frame that overlaps `span` most. */
function frameCovering(span: Span, frames: readonly LongFrame[]): LongFrame | undefined {
  let best: LongFrame | undefined
  let bestOverlap = 0
  for (const frame of frames) {
    const overlap = Math.min(span.end, frame.end) - Math.max(span.start, frame.start)
    if (overlap > bestOverlap) {
      bestOverlap = overlap
      best = frame
    }
  }
  return best
}

interface Span {
  start: number
  end: number
}

/** The longest span, and how much of `work` ran inside it. */
function longestWith(
  longTasks: readonly Span[],
  work: readonly Span[],
): { duration: number; inside: number; span?: Span } {
  let longest: Span | undefined
  for (const task of longTasks)
    if (!longest || task.end - task.start > longest.end - longest.start) longest = task
  if (!longest) return { duration: 0, inside: 0 }
  let inside = 0
  for (const span of work)
    inside += Math.max(0, Math.min(span.end, longest.end) - Math.max(span.start, longest.start))
  return { duration: longest.end - longest.start, inside, span: longest }
}

function startProbe() {
  const channel = new MessageChannel()
  let running = true
  let last = performance.now()
  let busy = 0
  let longest = 0
  let lastHeap = usedHeap()
  /** Gaps over 40 ms with the JS heap the page freed during them (a drop means a GC ran). */
  const bigGaps: (Span & { heapFreed: number })[] = []
  channel.port1.onmessage = () => {
    const now = performance.now()
    const gap = now - last
    const heap = usedHeap()
    if (gap > 0.1) {
      busy += gap
      if (gap > longest) longest = gap
      if (gap > 40) bigGaps.push({ start: last, end: now, heapFreed: lastHeap - heap })
    }
    last = now
    lastHeap = heap
    if (running) channel.port2.postMessage(0)
  }
  channel.port2.postMessage(0)
  let frames = 0
  let frameRunning = true
  const onFrame = () => {
    frames++
    if (frameRunning) requestAnimationFrame(onFrame)
  }
  requestAnimationFrame(onFrame)
  const longTasks: Span[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
  })
  observer.observe({ type: 'longtask' })
  // Long animation frames (Chromium's LoAF): how much of a long frame ran script, and how much
  // was style and layout; the rest of it the thread did neither (GC, paint, or not scheduled).
  const longFrames: LongFrame[] = []
  const readFrames = (entries: PerformanceEntryList) => {
    for (const entry of entries as unknown as LoafEntry[]) {
      let script = 0
      for (const item of entry.scripts ?? []) script += item.duration
      const end = entry.startTime + entry.duration
      longFrames.push({
        start: entry.startTime,
        end,
        script,
        styleLayout: entry.styleAndLayoutStart > 0 ? end - entry.styleAndLayoutStart : 0,
      })
    }
  }
  const frameObserver = new PerformanceObserver((list) => readFrames(list.getEntries()))
  const loafSupported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
  if (loafSupported) frameObserver.observe({ type: 'long-animation-frame' })
  return {
    stop() {
      if (loafSupported) {
        readFrames(frameObserver.takeRecords())
        frameObserver.disconnect()
      }
      running = false
      frameRunning = false
      channel.port1.close()
      for (const entry of observer.takeRecords())
        longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration })
      observer.disconnect()
      return { busy, longest, frames, longTasks, bigGaps, longFrames }
    },
  }
}

/** The page's used JS heap (precise with `--enable-precise-memory-info`), or 0 where unknown. */
function usedHeap(): number {
  return (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0
}

function frameFigures(
  span: Span | undefined,
  frames: readonly LongFrame[],
): { longestTaskFrameScriptMs: number; longestTaskFrameStyleLayoutMs: number } {
  const frame = span === undefined ? undefined : frameCovering(span, frames)
  return frame === undefined
    ? { longestTaskFrameScriptMs: -1, longestTaskFrameStyleLayoutMs: -1 }
    : { longestTaskFrameScriptMs: frame.script, longestTaskFrameStyleLayoutMs: frame.styleLayout }
}

/** What ran inside the longest long task, as one phrase. */
function insideLongest(result: RunResult): string {
  if (result.longestTaskMs === 0) return ''
  const parts = [`React render ${result.longestTaskRenderMs.toFixed(1)} ms`]
  if (result.largestBatch > 0) parts.push(`store apply ${result.longestTaskApplyMs.toFixed(1)} ms`)
  parts.push(`heap freed ${result.longestTaskHeapFreedMb.toFixed(1)} MB`)
  if (result.longestTaskFrameScriptMs >= 0)
    parts.push(
      `its frame: script ${result.longestTaskFrameScriptMs.toFixed(0)} ms, style+layout ${result.longestTaskFrameStyleLayoutMs.toFixed(0)} ms`,
    )
  return ` (in it: ${parts.join(', ')})`
}

/** The heap freed during the probe gap that covers most of `span` (0 when none does). */
function heapFreedIn(span: Span, gaps: readonly (Span & { heapFreed: number })[]): number {
  let best = 0
  let bestOverlap = 0
  for (const gap of gaps) {
    const overlap = Math.min(span.end, gap.end) - Math.max(span.start, gap.start)
    if (overlap > bestOverlap) {
      bestOverlap = overlap
      best = gap.heapFreed
    }
  }
  return best
}

const nextPaint = () =>
  new Promise<number>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(0)
    }),
  )

/**
 * Between runs: a full GC (Chromium runs with `--js-flags=--expose-gc`, see
 * vitest.bench.config.ts), so each run starts with a clean heap, as in a fresh page, and does
 * not pay for the garbage of the run before it (useChat without throttle leaves hundreds of MB).
 */
async function settle() {
  for (let index = 0; index < 5; index++) await nextPaint()
  ;(globalThis as { gc?: () => void }).gc?.()
  await new Promise((resolve) => setTimeout(resolve, 200))
}

type Screen = (fetch: typeof globalThis.fetch, box: Box) => ReactNode

async function run(scenario: string, mode: Mode, screen: Screen): Promise<RunResult> {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  const timeline: Timeline = {}
  const box: Box = {}
  let commits = 0
  let renderMs = 0
  let counting = false
  const renders: Span[] = []
  const applies: Span[] = []
  let largestBatch = 0
  const onRender = (
    _id: string,
    _phase: string,
    actualDuration: number,
    _base: number,
    startTime: number,
  ) => {
    if (!counting) return
    commits++
    renderMs += actualDuration
    renders.push({ start: startTime, end: startTime + actualDuration })
  }
  root.render(
    <Profiler id={scenario} onRender={onRender}>
      {screen(mockFetch(mode, timeline), box)}
    </Profiler>,
  )
  await settle()
  const thread = container.querySelector('.thread')!
  expect(thread.children).toHaveLength(EARLIER_MESSAGES)
  // Sluice only: time each store update (two clock reads per frame), to attribute long tasks.
  const store = box.chat?.store
  if (store) {
    const apply = store.getState().apply
    store.setState({
      apply(events) {
        const start = performance.now()
        apply(events)
        if (!counting) return
        applies.push({ start, end: performance.now() })
        largestBatch = Math.max(largestBatch, events.length)
      },
    })
  }

  let firstTokenPainted: Promise<number> | undefined
  const mutations = new MutationObserver(() => {
    if (firstTokenPainted === undefined && thread.lastElementChild?.textContent?.startsWith('FIRST')) {
      firstTokenPainted = nextPaint()
      mutations.disconnect()
    }
  })
  mutations.observe(thread, { childList: true, subtree: true, characterData: true })

  counting = true
  const probe = startProbe()
  const start = performance.now()
  const sent = box.send!('Go')
  // Done when the whole answer is on screen.
  await new Promise<void>((resolve) => {
    const check = () => {
      if (thread.lastElementChild?.textContent === answerDomText) resolve()
      else requestAnimationFrame(check)
    }
    check()
  })
  const end = performance.now()
  const measured = probe.stop()
  counting = false
  await sent
  const paintedAt = await firstTokenPainted!
  const longest = longestWith(measured.longTasks, renders)
  root.unmount()
  container.remove()
  await settle()
  return {
    scenario,
    mode,
    durationMs: end - start,
    commits,
    frames: measured.frames,
    busyMs: measured.busy,
    longestGapMs: measured.longest,
    longTasks: measured.longTasks.length,
    longestTaskMs: longest.duration,
    longestTaskRenderMs: longest.inside,
    longestTaskApplyMs: longestWith(measured.longTasks, applies).inside,
    longestTaskHeapFreedMb: longest.span ? heapFreedIn(longest.span, measured.bigGaps) / 2 ** 20 : 0,
    ...frameFigures(longest.span, measured.longFrames),
    largestBatch,
    renderMs,
    firstBytePaintMs: paintedAt - timeline.firstByteAt!,
  }
}

/** The mock alone: the same chunks read by a bare reader, for the share of `busy` that is not the client. */
async function baseline(mode: Mode): Promise<RunResult> {
  const timeline: Timeline = {}
  const probe = startProbe()
  const start = performance.now()
  const response = await mockFetch(mode, timeline)('/api/chat')
  const reader = response.body!.getReader()
  let firstAt: number | undefined
  for (;;) {
    const { done } = await reader.read()
    firstAt ??= performance.now()
    if (done) break
  }
  const end = performance.now()
  const measured = probe.stop()
  await settle()
  return {
    scenario: 'baseline (mock + bare reader)',
    mode,
    durationMs: end - start,
    commits: 0,
    frames: measured.frames,
    busyMs: measured.busy,
    longestGapMs: measured.longest,
    longTasks: measured.longTasks.length,
    longestTaskMs: longestWith(measured.longTasks, []).duration,
    longestTaskRenderMs: 0,
    longestTaskApplyMs: 0,
    longestTaskHeapFreedMb: 0,
    longestTaskFrameScriptMs: -1,
    longestTaskFrameStyleLayoutMs: -1,
    largestBatch: 0,
    renderMs: 0,
    firstBytePaintMs: firstAt - timeline.firstByteAt!,
  }
}

const scenarios: Record<string, Screen> = {
  'sluice rows (useMessageIds + useMessage)': (fetch, box) => (
    <ChatProvider api="/api/chat" protocol="ai-sdk" fetch={fetch} initialMessages={sluiceHistory()}>
      <SluiceThread box={box} />
    </ChatProvider>
  ),
  'sluice useStreamingChat messages.map': (fetch, box) => <SluiceArrayThread fetch={fetch} box={box} />,
  'ai-sdk useChat (no throttle)': (fetch, box) => (
    <AiSdkThread fetch={fetch} throttle={undefined} box={box} />
  ),
  'ai-sdk useChat throttle 50': (fetch, box) => <AiSdkThread fetch={fetch} throttle={50} box={box} />,
}

function table(results: RunResult[]): string {
  const rows = results.map((result) => {
    const seconds = result.durationMs / 1000
    return [
      result.scenario.padEnd(42),
      result.mode.padEnd(9),
      result.durationMs.toFixed(0).padStart(7),
      String(result.commits).padStart(7),
      String(result.frames).padStart(6),
      (result.commits / Math.max(1, result.frames)).toFixed(2).padStart(7),
      (result.commits / seconds).toFixed(1).padStart(8),
      result.busyMs.toFixed(0).padStart(7),
      result.renderMs.toFixed(0).padStart(7),
      result.longestGapMs.toFixed(1).padStart(8),
      `${result.longTasks}/${result.longestTaskMs.toFixed(0)}`.padStart(9),
      result.firstBytePaintMs.toFixed(1).padStart(9),
    ].join(' ')
  })
  const header = [
    'scenario'.padEnd(42),
    'mode'.padEnd(9),
    'wall ms'.padStart(7),
    'commits'.padStart(7),
    'frames'.padStart(6),
    'c/frame'.padStart(7),
    'commit/s'.padStart(8),
    'busy ms'.padStart(7),
    'rend ms'.padStart(7),
    'max gap'.padStart(8),
    'long n/ms'.padStart(9),
    '1B→paint'.padStart(9),
  ].join(' ')
  return [header, ...rows].join('\n')
}

test(`chat stream: ${TOKENS} tokens into a chat with ${EARLIER_MESSAGES} messages, Sluice vs AI SDK useChat`, async () => {
  const rounds = 2
  // One unreported round first (network-sized chunks: seconds, even for useChat without
  // throttle), so no client pays for a cold JIT or a cold layout engine in round 1.
  for (const [name, screen] of Object.entries(scenarios)) await run(name, '64 KB', screen)
  const results: (RunResult & { round: number })[] = []
  for (const mode of ['per-event', '64 KB'] as const) {
    for (let round = 0; round < rounds; round++) {
      results.push({ ...(await baseline(mode)), round })
      for (const [name, screen] of Object.entries(scenarios))
        results.push({ ...(await run(name, mode, screen)), round })
    }
  }
  const lines = [
    `Chat stream benchmark (${TOKENS} tokens, ${perEventChunks.length} SSE event groups, ${wholeBody.length} bytes, ${EARLIER_MESSAGES} earlier messages; ${rounds} rounds per mode)`,
    table(results),
    '',
    // Compared within a round, where the machine's load is alike: client busy = busy - that round's baseline.
    'Per round, against Sluice rows of the same round (client busy = busy minus the round baseline):',
    // A long task's time that is neither React render nor store apply is the page's (GC, style,
    // layout, paint, the mock) or the machine's (a descheduled renderer on a loaded 2-core host);
    // a GC pause or a preemption that strikes during a render or an apply is counted in it.
    '  (longest task: the React render and Sluice store apply time that ran inside it; the rest is GC, style/layout/paint, the mock or the loaded machine)',
  ]
  const sluice = 'sluice rows (useMessageIds + useMessage)'
  for (const mode of ['per-event', '64 KB'] as const) {
    for (let round = 0; round < rounds; round++) {
      const inRound = results.filter((result) => result.mode === mode && result.round === round)
      const find = (scenario: string) => inRound.find((result) => result.scenario === scenario)!
      const base = find('baseline (mock + bare reader)').busyMs
      const reference = find(sluice)
      const referenceCost = reference.busyMs - base
      for (const scenario of Object.keys(scenarios)) {
        const result = find(scenario)
        const cost = result.busyMs - base
        lines.push(
          `  [${mode} #${round + 1}] ${scenario.padEnd(42)} client busy ${cost.toFixed(0).padStart(6)} ms (x${(cost / referenceCost).toFixed(2)})` +
            `  commits ${String(result.commits).padStart(5)} (x${(result.commits / reference.commits).toFixed(2)})` +
            `  commits/frame ${(result.commits / Math.max(1, result.frames)).toFixed(2)}` +
            `  longest task ${result.longestTaskMs.toFixed(0)} ms` +
            insideLongest(result) +
            (result.largestBatch > 0 ? `  largest batch ${result.largestBatch} events` : '') +
            `  first byte→paint ${result.firstBytePaintMs.toFixed(1)} ms`,
        )
      }
      lines.push(`  [${mode} #${round + 1}] baseline busy ${base.toFixed(0)} ms`)
    }
  }
  console.log(lines.join('\n'))
})

test('long tasks: Sluice alone, clean heap per run, 5 rounds per mode', async () => {
  const rounds = 5
  const sluiceScenarios = Object.entries(scenarios).filter(([name]) => name.startsWith('sluice'))
  for (const [name, screen] of sluiceScenarios) await run(name, '64 KB', screen)
  const lines = [
    `Long tasks (> 50 ms) while Sluice streams ${TOKENS} tokens into ${EARLIER_MESSAGES} messages, ${rounds} rounds per mode and client.`,
    '  The baseline (mock + bare reader) busy time before each round shows how loaded the machine was (about 700 ms per-event when quiet).',
    `  long-animation-frame entries: ${PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') ? 'supported' : 'not supported by this Chromium'}.`,
  ]
  for (const mode of ['per-event', '64 KB'] as const) {
    for (const [name] of sluiceScenarios) {
      const runs: RunResult[] = []
      const baselines: number[] = []
      for (let round = 0; round < rounds; round++) {
        baselines.push((await baseline(mode)).busyMs)
        runs.push(await run(name, mode, scenarios[name]!))
      }
      const withLong = runs.filter((result) => result.longTasks > 0)
      const worst = runs.reduce(
        (max, result) => (result.longestTaskMs > max.longestTaskMs ? result : max),
        runs[0]!,
      )
      lines.push(
        `  [${mode}] ${name.padEnd(42)} runs with a long task: ${withLong.length}/${rounds}` +
          `  long tasks per run: ${runs.map((result) => result.longTasks).join(', ')}` +
          `  longest: ${worst.longestTaskMs.toFixed(0)} ms` +
          insideLongest(worst) +
          `  longest probe gap per run: ${runs.map((result) => result.longestGapMs.toFixed(0)).join(', ')} ms` +
          `  baseline busy: ${baselines.map((value) => value.toFixed(0)).join(', ')} ms`,
      )
    }
  }
  console.log(lines.join('\n'))
})
