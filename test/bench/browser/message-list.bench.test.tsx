import { type Chat, createChat, createChatStore, type Message, type MessagePart } from '@sluice/core'
import { memo, Profiler, useMemo, useSyncExternalStore } from 'react'
import { flushSync } from 'react-dom'
import type { createRoot as CreateRoot } from 'react-dom/client'
// @ts-expect-error react-dom ships no types for its profiling build (the production build with Profiler timings).
import { createRoot as createProfilingRoot } from 'react-dom/profiling'
import { expect, test } from 'vitest'
import { page } from 'vitest/browser'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import '../../../packages/react/src/theme.css'
import { seededRandom } from '../../browser/markdown-corpus.ts'

/**
 * Is `MessageList` smooth with 5,000 messages? In Chromium, with React's production build and the
 * default theme, on a thread of mixed messages (questions; markdown answers with lists, tables,
 * code blocks; tool calls; reasoning), deterministic (seeded):
 *
 * 1. Mount: from `root.render` to the first paint, and to "settled" (10 frames in a row with no
 *    change of the scroll height or position: the virtualizer has measured what it shows).
 * 2. Scroll from the bottom to the top, one step per animation frame (a fixed number of pixels,
 *    the same for every list, written between frames as a user's scroll arrives), and record the
 *    time between frames (p50 / p95 / max), the long tasks (`PerformanceObserver('longtask')`,
 *    > 50 ms), the number of message rows in the DOM, and content jumps (a row on screen that
 *    moved by other than the step).
 * 3. Stream one answer (markdown with a list and a code block) at the bottom while stuck to it:
 *    one text delta per frame, applied to the chat store as the chat does (at most once a frame).
 *
 * The baseline is the same messages rendered as a plain list: `messages.map(ChatMessage)` in a
 * scrolling `div`, no virtualization. Mounting 5,000 such messages is the cost being avoided, so
 * the baseline is run at 1,000 messages (and at 5,000 only if 1,000 mounted in under 12 s); the
 * virtualized list is also run at 1,000 so one ratio compares equal threads.
 *
 * Frame times include everything the page does in the frame (scroll, React, style, layout, paint);
 * React's own render work is timed apart with `<Profiler>` (React's profiling build), so a long
 * frame can be told apart from a long render: the rest is style, layout, paint, GC or the machine.
 * Headless Chromium draws at 60 Hz here, so a smooth frame is ~16.7 ms. The machine is shared
 * (2 cores, other jobs): compare within one run. Figures are printed, never asserted.
 */
const createRoot = createProfilingRoot as typeof CreateRoot
const LARGE = 5000
const BASELINE = 1000
const VIEWPORT = { width: 1000, height: 800 }
const LIST_HEIGHT = 760
/** Pixels per frame while scrolling: a fast scroll that shows almost a whole new screen each frame. */
const SCROLL_STEP = 600
const STREAM_CHARACTERS_PER_FRAME = 12
/** A safety stop: a list that keeps growing above the viewport must not hang the bench. */
const MAX_SCROLL_FRAMES = 20_000

// --- a deterministic thread ---

const WORDS =
  'stream token answer model request latency cache layout render markdown parser buffer chunk frame list row scroll server client event'.split(
    ' ',
  )

function sentence(random: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)] ?? 'word')
  return `${picked.join(' ')}.`
}

function paragraph(random: () => number): string {
  const sentences = Array.from({ length: 2 + Math.floor(random() * 4) }, () =>
    sentence(random, 6 + Math.floor(random() * 10)),
  )
  // Some inline markdown in most paragraphs.
  if (random() < 0.6) sentences[0] = `**${sentences[0]}** Use \`readChatEvents\` here.`
  if (random() < 0.2) sentences.push('See [the guide](https://example.com/guide).')
  return sentences.join(' ')
}

function codeBlock(random: () => number, index: number): string {
  const lines = Array.from(
    { length: 4 + Math.floor(random() * 20) },
    (_, line) => `  const value${line} = compute(${index}, ${line}) // ${sentence(random, 3)}`,
  )
  return `\`\`\`ts\nfunction example${index}() {\n${lines.join('\n')}\n}\n\`\`\``
}

function assistantText(random: () => number, index: number): string {
  const kind = random()
  if (kind < 0.35) {
    return Array.from({ length: 1 + Math.floor(random() * 5) }, () => paragraph(random)).join('\n\n')
  }
  if (kind < 0.6) {
    const items = Array.from({ length: 3 + Math.floor(random() * 6) }, () => `- ${sentence(random, 5)}`)
    return `### Notes ${index}\n\n${paragraph(random)}\n\n${items.join('\n')}`
  }
  if (kind < 0.85) return `${paragraph(random)}\n\n${codeBlock(random, index)}\n\n${paragraph(random)}`
  const rows = Array.from(
    { length: 3 + Math.floor(random() * 4) },
    (_, row) => `| row ${row} | ${Math.floor(random() * 100)} ms | ${sentence(random, 3)} |`,
  )
  return `${paragraph(random)}\n\n| name | time | note |\n|---|---|---|\n${rows.join('\n')}`
}

function thread(count: number): Message[] {
  const random = seededRandom(5000)
  return Array.from({ length: count }, (_, index): Message => {
    const id = `m${index}`
    if (index % 2 === 0) {
      return {
        id,
        role: 'user',
        status: 'complete',
        parts: [
          { type: 'text', id: 'text', text: sentence(random, 5 + Math.floor(random() * 25)), state: 'done' },
        ],
      }
    }
    const parts: MessagePart[] = []
    if (random() < 0.15) {
      parts.push({
        type: 'reasoning',
        id: 'reasoning',
        text: paragraph(random),
        state: 'done',
        startedAt: 0,
        endedAt: 3000,
      })
    }
    if (random() < 0.25) {
      parts.push({
        type: 'tool-call',
        toolCallId: `call-${index}`,
        toolName: 'search_docs',
        state: 'output-available',
        inputText: JSON.stringify({ query: sentence(random, 3) }),
        input: { query: 'q' },
        output: { results: [sentence(random, 4), sentence(random, 4)] },
      })
    }
    parts.push({ type: 'text', id: 'text', text: assistantText(random, index), state: 'done' })
    return { id, role: 'assistant', status: 'complete', parts }
  })
}

/** The streamed answer: paragraphs, a list and a code block, about 4,000 characters. */
function streamedAnswer(): string {
  const random = seededRandom(77)
  const items = Array.from({ length: 6 }, () => `- ${sentence(random, 6)}`).join('\n')
  return [
    paragraph(random),
    paragraph(random),
    `### Steps\n\n${items}`,
    codeBlock(random, 9999),
    paragraph(random),
    paragraph(random),
    paragraph(random),
    paragraph(random),
  ].join('\n\n')
}

// --- the screens ---

/** The baseline: every message rendered, as `useStreamingChat` users write it (`messages.map`). */
function PlainList({ chat }: { chat: Chat }) {
  const state = useSyncExternalStore(chat.store.subscribe, chat.store.getState)
  const messages = useMemo(
    () => state.messageIds.flatMap((id) => state.messages[id] ?? []),
    [state.messageIds, state.messages],
  )
  return (
    <div
      role="log"
      aria-label="Messages"
      data-sluice="plain-list"
      style={{ height: LIST_HEIGHT, overflowY: 'auto', overflowAnchor: 'none' }}
    >
      {messages.map((message) => (
        <PlainRow key={message.id} message={message} />
      ))}
    </div>
  )
}

const PlainRow = memo(function PlainRow({ message }: { message: Message }) {
  return <ChatMessage message={message} />
})

type Screen = 'MessageList (virtualized)' | 'plain messages.map(ChatMessage)'

function screenElement(screen: Screen, chat: Chat) {
  return screen === 'MessageList (virtualized)' ? (
    <MessageList chat={chat} style={{ height: LIST_HEIGHT }} />
  ) : (
    <PlainList chat={chat} />
  )
}

// --- measurement ---

/** React render spans (`Profiler` onRender: start, actual duration) of the mounted screen. */
const renders: { start: number; duration: number }[] = []
const onRender = (_id: string, _phase: string, actualDuration: number, _base: number, startTime: number) => {
  renders.push({ start: startTime, duration: actualDuration })
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
/** Resolves after the next paint: a task queued from a frame callback runs once the frame is drawn. */
const nextPaint = () =>
  new Promise<number>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(0)
    }),
  )

interface FrameStats {
  frames: number
  p50: number
  p95: number
  max: number
  /** Frames over 33.4 ms (two or more 60 Hz frames missed). */
  slow: number
  longTasks: number
  longestTask: number
  longTaskTotal: number
  /** React render time (Profiler actualDuration) over the whole span, and in its worst frame. */
  reactTotal: number
  reactWorstFrame: number
  /** React render time inside the longest frame (the rest of that frame is not React's). */
  reactInLongestFrame: number
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0
}

/** A task queued after the current frame: it runs once the frame is drawn, before the next one. */
const afterPaint = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(0)
  })

/**
 * Runs `step` once per animation frame until it returns false; frame times and long tasks of that
 * span. `in-frame`: inside the frame callback (where the chat applies its batch of events).
 * `between-frames`: in a task after the frame is drawn, where a user's scroll lands: the page
 * sees the new position in the next frame's scroll event, before its frame callbacks and layout.
 * (A `scrollTop` written inside a frame callback races the virtualizer: its row measurements of
 * that frame are applied to the position it last saw, which undid about half of the steps.)
 */
async function measureFrames(
  timing: 'in-frame' | 'between-frames',
  step: (frame: number) => boolean | Promise<boolean>,
): Promise<FrameStats> {
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration)
  })
  observer.observe({ type: 'longtask' })
  const frames: { start: number; end: number }[] = []
  let previous = await nextFrame()
  renders.length = 0
  for (let frame = 0; ; frame++) {
    if (timing === 'between-frames') await afterPaint()
    if (!(await step(frame))) break
    const now = await nextFrame()
    frames.push({ start: previous, end: now })
    previous = now
  }
  for (const entry of observer.takeRecords()) longTasks.push(entry.duration)
  observer.disconnect()
  const deltas = frames.map((frame) => frame.end - frame.start)
  const sorted = [...deltas].sort((first, second) => first - second)
  // React time per frame: renders that started inside it (one pass over both sorted lists).
  const reactPerFrame = frames.map(() => 0)
  let frameIndex = 0
  for (const render of renders) {
    while (frameIndex < frames.length && render.start >= (frames[frameIndex]?.end ?? 0)) frameIndex++
    const frame = frames[frameIndex]
    if (frame !== undefined && render.start >= frame.start)
      reactPerFrame[frameIndex] = (reactPerFrame[frameIndex] ?? 0) + render.duration
  }
  const longestFrame = deltas.indexOf(sorted.at(-1) ?? -1)
  return {
    frames: deltas.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
    slow: deltas.filter((delta) => delta > 33.4).length,
    longTasks: longTasks.length,
    longestTask: Math.max(0, ...longTasks),
    longTaskTotal: longTasks.reduce((sum, duration) => sum + duration, 0),
    reactTotal: reactPerFrame.reduce((sum, duration) => sum + duration, 0),
    reactWorstFrame: Math.max(0, ...reactPerFrame),
    reactInLongestFrame: reactPerFrame[longestFrame] ?? 0,
  }
}

interface Mounted {
  chat: Chat
  viewport: HTMLElement
  container: HTMLElement
  unmount(): void
  renderMs: number
  firstPaintMs: number
  settledMs: number
}

async function mount(screen: Screen, messages: Message[]): Promise<Mounted> {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  const store = createChatStore({ messages })
  const chat = createChat({ api: '/api/chat', protocol: 'text', store })
  const start = performance.now()
  flushSync(() =>
    root.render(
      <Profiler id={screen} onRender={onRender}>
        {screenElement(screen, chat)}
      </Profiler>,
    ),
  )
  const renderMs = performance.now() - start
  const viewport = container.querySelector('[role="log"]') as HTMLElement
  // The plain list starts at the end, as a chat does.
  if (screen !== 'MessageList (virtualized)') viewport.scrollTop = viewport.scrollHeight
  const firstPaintMs = (await nextPaint()) - start
  // Settled: 10 frames in a row where nothing moved.
  let stable = 0
  let last = ''
  for (let frame = 0; frame < 600 && stable < 10; frame++) {
    if (screen !== 'MessageList (virtualized)') viewport.scrollTop = viewport.scrollHeight
    await nextFrame()
    const now = `${viewport.scrollHeight}/${viewport.scrollTop}`
    stable = now === last ? stable + 1 : 0
    last = now
  }
  const settledMs = performance.now() - start
  return {
    chat,
    viewport,
    container,
    renderMs,
    firstPaintMs,
    settledMs,
    unmount() {
      root.unmount()
      container.remove()
    },
  }
}

const rowCount = (container: HTMLElement) => container.querySelectorAll('[data-sluice="message"]').length
const distanceFromBottom = (viewport: HTMLElement) =>
  viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight

async function settle(): Promise<void> {
  for (let frame = 0; frame < 5; frame++) await nextPaint()
  await new Promise((resolve) => setTimeout(resolve, 300))
}

interface ScrollResult extends FrameStats {
  maxRows: number
  endRows: number
  reachedTop: boolean
  scrolledPx: number
  /** Steps after which a row on screen moved by other than the step (content jumping under the user). */
  jumps: number
  maxJumpPx: number
}

/** Bottom to top, `SCROLL_STEP` px per frame. */
async function scrollToTop(mounted: Mounted): Promise<ScrollResult> {
  const { viewport, container } = mounted
  let maxRows = rowCount(container)
  let scrolledPx = 0
  let stuck = 0
  let jumps = 0
  let maxJumpPx = 0
  /** A row on screen before the last step, where it was, and how far the step scrolled. */
  let reference: { row: Element; top: number; scrolled: number } | undefined
  const stats = await measureFrames('between-frames', (frame) => {
    maxRows = Math.max(maxRows, rowCount(container))
    if (reference?.row.isConnected) {
      // The row should have moved down by exactly what was scrolled (rows measured above it are
      // compensated by the list); anything else is content jumping under the user.
      const jump = Math.abs(reference.row.getBoundingClientRect().top - reference.top - reference.scrolled)
      if (jump > 1) jumps++
      maxJumpPx = Math.max(maxJumpPx, jump)
    }
    if (viewport.scrollTop <= 0 || frame >= MAX_SCROLL_FRAMES) return false
    const viewportTop = viewport.getBoundingClientRect().top
    const row = [...container.querySelectorAll('[data-sluice="message"]')].find(
      (element) => element.getBoundingClientRect().top >= viewportTop,
    )
    const before = viewport.scrollTop
    viewport.scrollTop = Math.max(0, before - SCROLL_STEP)
    const moved = before - viewport.scrollTop
    scrolledPx += moved
    reference = row ? { row, top: row.getBoundingClientRect().top - moved, scrolled: moved } : undefined
    // A list that refuses to move (should not happen) must not hang the bench.
    stuck = moved === 0 ? stuck + 1 : 0
    return stuck < 30
  })
  await nextFrame()
  return {
    ...stats,
    maxRows: Math.max(maxRows, rowCount(container)),
    endRows: rowCount(container),
    reachedTop: viewport.scrollTop === 0 && container.querySelector('[data-message-id="m0"]') !== null,
    scrolledPx,
    jumps,
    maxJumpPx,
  }
}

interface StreamResult extends FrameStats {
  characters: number
  /** Distance from the end when the first delta is applied (0: the list follows). */
  startDistance: number
  endDistance: number
  maxDistance: number
  rows: number
}

/** One answer streams at the bottom, one delta per frame, while the list is at the end. */
async function streamAtBottom(mounted: Mounted, screen: Screen): Promise<StreamResult> {
  const { chat, viewport, container } = mounted
  const store = chat.store
  const text = streamedAnswer()
  store.getState().apply([
    { type: 'message-start', messageId: 'question', role: 'user' },
    { type: 'text-delta', messageId: 'question', id: 'text', delta: 'One more question, please.' },
    { type: 'message-end', messageId: 'question' },
    { type: 'message-start', messageId: 'answer' },
  ])
  for (let frame = 0; frame < 30; frame++) {
    if (screen !== 'MessageList (virtualized)') viewport.scrollTop = viewport.scrollHeight
    await nextFrame()
  }
  const startDistance = distanceFromBottom(viewport)
  let offset = 0
  let maxDistance = 0
  const stats = await measureFrames('in-frame', () => {
    // The plain list has no stick-to-bottom of its own: it follows the way a simple chat does.
    if (screen !== 'MessageList (virtualized)') viewport.scrollTop = viewport.scrollHeight
    else if (offset > 0) maxDistance = Math.max(maxDistance, distanceFromBottom(viewport))
    if (offset >= text.length) return false
    const delta = text.slice(offset, offset + STREAM_CHARACTERS_PER_FRAME)
    offset += delta.length
    store.getState().apply([{ type: 'text-delta', messageId: 'answer', id: 'text', delta }])
    return true
  })
  store.getState().apply([{ type: 'message-end', messageId: 'answer', finishReason: 'stop' }])
  for (let frame = 0; frame < 10; frame++) await nextFrame()
  const answer = container.querySelector('[data-message-id="answer"]')
  expect(answer?.getAttribute('data-status')).toBe('complete')
  return {
    ...stats,
    characters: text.length,
    startDistance,
    endDistance: distanceFromBottom(viewport),
    maxDistance,
    rows: rowCount(container),
  }
}

const domElements = () => document.getElementsByTagName('*').length
const ms = (value: number) => value.toFixed(1).padStart(7)
const frameLine = (stats: FrameStats) =>
  `frames ${String(stats.frames).padStart(5)}  p50 ${ms(stats.p50)}  p95 ${ms(stats.p95)}  max ${ms(stats.max)} ms` +
  `  >33 ms ${String(stats.slow).padStart(4)}  long tasks ${String(stats.longTasks).padStart(3)} (longest ${stats.longestTask.toFixed(0)} ms, total ${stats.longTaskTotal.toFixed(0)} ms)` +
  `  React render total ${stats.reactTotal.toFixed(0)} ms (${(stats.reactTotal / Math.max(1, stats.frames)).toFixed(2)} ms/frame, worst frame ${stats.reactWorstFrame.toFixed(1)} ms, in the longest frame ${stats.reactInLongestFrame.toFixed(1)} ms)`

interface Run {
  name: string
  count: number
  mount: Pick<Mounted, 'renderMs' | 'firstPaintMs' | 'settledMs'>
  elements: number
  rowsAfterMount: number
  scroll: ScrollResult
  stream: StreamResult
}

async function run(screen: Screen, count: number, messages: Message[]): Promise<Run> {
  await settle()
  const mounted = await mount(screen, messages.slice(0, count))
  const elements = domElements()
  const rowsAfterMount = rowCount(mounted.container)
  const scroll = await scrollToTop(mounted)
  // Back to the end for the stream, and stay there a few frames: the list learns of a scroll from
  // its scroll event in the next frame (as it would of a user's), so a message appended in the same
  // task as the jump would find it not yet at the end (measured: 125 px short, not following).
  for (let frame = 0, still = 0; frame < 120 && still < 5; frame++) {
    mounted.viewport.scrollTop = mounted.viewport.scrollHeight
    await nextFrame()
    still = distanceFromBottom(mounted.viewport) <= 1 ? still + 1 : 0
  }
  const stream = await streamAtBottom(mounted, screen)
  const result = {
    name: screen,
    count,
    mount: { renderMs: mounted.renderMs, firstPaintMs: mounted.firstPaintMs, settledMs: mounted.settledMs },
    elements,
    rowsAfterMount,
    scroll,
    stream,
  }
  mounted.unmount()
  return result
}

test(`MessageList with ${LARGE} messages: mount, scroll to the top, stream at the bottom; against a plain list`, async () => {
  await page.viewport(VIEWPORT.width, VIEWPORT.height)
  const messages = thread(LARGE)
  const characters = messages.reduce(
    (sum, message) =>
      sum + message.parts.reduce((partSum, part) => partSum + ('text' in part ? part.text.length : 0), 0),
    0,
  )
  const runs: Run[] = []
  runs.push(await run('MessageList (virtualized)', LARGE, messages))
  runs.push(await run('MessageList (virtualized)', BASELINE, messages))
  const plain = await run('plain messages.map(ChatMessage)', BASELINE, messages)
  runs.push(plain)
  const plainLargeSkipped = plain.mount.settledMs * (LARGE / BASELINE) > 60_000
  if (!plainLargeSkipped) runs.push(await run('plain messages.map(ChatMessage)', LARGE, messages))

  const lines = [
    `MessageList benchmark: ${LARGE} messages (${characters} characters of text: questions, markdown answers with lists, tables, code blocks, tool calls, reasoning), viewport ${VIEWPORT.width}×${VIEWPORT.height}, list ${LIST_HEIGHT} px; scroll ${SCROLL_STEP} px per frame; stream ${STREAM_CHARACTERS_PER_FRAME} characters per frame.`,
    `Baseline: "plain messages.map(ChatMessage)" (no virtualization, memoized rows) at ${BASELINE} messages${plainLargeSkipped ? `; not run at ${LARGE}: its ${BASELINE}-message mount took ${(plain.mount.settledMs / 1000).toFixed(1)} s, so ${LARGE} would take about ${((plain.mount.settledMs * LARGE) / BASELINE / 1000).toFixed(0)} s` : ` and at ${LARGE}`}.`,
    `(cores: ${navigator.hardwareConcurrency}; a shared machine: compare within this run)`,
    '',
  ]
  for (const result of runs) {
    lines.push(`${result.name}, ${result.count} messages`)
    lines.push(
      `  mount: render+commit ${result.mount.renderMs.toFixed(0)} ms, first paint ${result.mount.firstPaintMs.toFixed(0)} ms, settled ${result.mount.settledMs.toFixed(0)} ms; DOM elements in the page ${result.elements}; message rows in the DOM ${result.rowsAfterMount}`,
    )
    lines.push(
      `  scroll bottom→top: ${frameLine(result.scroll)}; rows in the DOM max ${result.scroll.maxRows}, at the top ${result.scroll.endRows}; scrolled ${result.scroll.scrolledPx} px, reached the first message: ${result.scroll.reachedTop}; content jumps ${result.scroll.jumps} (max ${result.scroll.maxJumpPx.toFixed(0)} px)`,
    )
    lines.push(
      `  stream ${result.stream.characters} chars at the bottom: ${frameLine(result.stream)}; distance from the bottom at the start ${result.stream.startDistance.toFixed(0)} px, max ${result.stream.maxDistance.toFixed(0)} px, at the end ${result.stream.endDistance.toFixed(0)} px; rows ${result.stream.rows}`,
    )
  }
  const virtualLarge = runs[0]!
  const virtualBaseline = runs[1]!
  const ratio = (first: number, second: number) => (second === 0 ? 'n/a' : `x${(first / second).toFixed(2)}`)
  const compare = (label: string, virtual: Run, other: Run) => {
    lines.push(`${label}`)
    lines.push(
      `  mount settled ${ratio(virtual.mount.settledMs, other.mount.settledMs)}, first paint ${ratio(virtual.mount.firstPaintMs, other.mount.firstPaintMs)}, DOM elements ${ratio(virtual.elements, other.elements)}`,
    )
    lines.push(
      `  scroll p50 ${ratio(virtual.scroll.p50, other.scroll.p50)}, p95 ${ratio(virtual.scroll.p95, other.scroll.p95)}, max ${ratio(virtual.scroll.max, other.scroll.max)}, long-task total ${ratio(virtual.scroll.longTaskTotal, other.scroll.longTaskTotal)}`,
    )
    lines.push(
      `  stream p50 ${ratio(virtual.stream.p50, other.stream.p50)}, p95 ${ratio(virtual.stream.p95, other.stream.p95)}, max ${ratio(virtual.stream.max, other.stream.max)}`,
    )
  }
  lines.push('', 'Ratios (virtualized / plain; below 1 = the virtualized list is cheaper):')
  compare(`  MessageList ${BASELINE} vs plain ${BASELINE} (same thread)`, virtualBaseline, plain)
  compare(`  MessageList ${LARGE} vs plain ${BASELINE} (five times the messages)`, virtualLarge, plain)
  const plainLarge = runs[3]
  if (plainLarge) compare(`  MessageList ${LARGE} vs plain ${LARGE}`, virtualLarge, plainLarge)
  lines.push(
    `  MessageList ${LARGE} vs MessageList ${BASELINE}: mount settled ${ratio(virtualLarge.mount.settledMs, virtualBaseline.mount.settledMs)}, scroll p95 ${ratio(virtualLarge.scroll.p95, virtualBaseline.scroll.p95)}, stream p95 ${ratio(virtualLarge.stream.p95, virtualBaseline.stream.p95)}`,
  )
  console.log(lines.join('\n'))
})
