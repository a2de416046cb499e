import type { ReactNode } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import ReactMarkdown from 'react-markdown'
import { Streamdown } from 'streamdown'
import { expect, test } from 'vitest'
import { Markdown } from '../../../packages/react/src/markdown/index.ts'
import { createMathRenderer } from '../../../packages/react/src/math/index.ts'
import { longMarkdownAnswer } from '../../browser/markdown-corpus.ts'

/**
 * Main-thread cost of one streamed chunk for three markdown renderers, on the same ~100,000
 * character answer (prose, lists, code, tables) split into 5-character chunks. One update =
 * `flushSync(root.render(...))`: render and commit, measured with `performance.now()`.
 *
 * Sluice renders every chunk of the stream (that is how it is used: it keeps state between
 * updates). Streamdown and react-markdown re-parse the whole text on each update, so they are
 * sampled: at each sampled position the text up to the previous chunk is rendered untimed and
 * then the one-chunk update is timed. Figures are printed, never asserted.
 */
const CHUNK = 5
const TEXT = longMarkdownAnswer(100_000)
const CHUNKS = Math.ceil(TEXT.length / CHUNK)
const WINDOW = Math.floor(CHUNKS / 10)

interface Stats {
  samples: number
  mean: number
  median: number
  p95: number
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((first, second) => first - second)
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)
  return { samples: sorted.length, mean, median: at(0.5), p95: at(0.95) }
}

function createHost() {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  return {
    container,
    render(element: ReactNode): number {
      const start = performance.now()
      flushSync(() => root.render(element))
      return performance.now() - start
    },
    dispose() {
      root.unmount()
      container.remove()
    },
  }
}

const textAt = (chunkIndex: number) => TEXT.slice(0, (chunkIndex + 1) * CHUNK)

/**
 * Streams every chunk into one Sluice `Markdown`; returns per-chunk times for both windows.
 * With `ballast`, the finished 100k document stays mounted in another root meanwhile, so the
 * first window runs with the page's heap and DOM as large as during the last one: what then
 * remains of a last/first difference depends on the text's length, not the page's size.
 */
function measureSluice(ballast = false): { first: number[]; last: number[] } {
  const other = ballast ? createHost() : undefined
  other?.render(<Markdown>{TEXT}</Markdown>)
  const host = createHost()
  const first: number[] = []
  const last: number[] = []
  for (let index = 0; index < CHUNKS; index++) {
    const time = host.render(<Markdown streaming>{textAt(index)}</Markdown>)
    if (index < WINDOW) first.push(time)
    else if (index >= CHUNKS - WINDOW) last.push(time)
  }
  host.dispose()
  other?.dispose()
  return { first, last }
}

/** Times single-chunk updates at `samples` evenly spaced positions of each window. */
function measureSampled(
  render: (text: string) => ReactNode,
  samples: number,
): { first: number[]; last: number[] } {
  const measureWindow = (from: number): number[] => {
    const host = createHost()
    const times: number[] = []
    const step = Math.max(1, Math.floor(WINDOW / samples))
    for (let index = from + 1; index < from + WINDOW && times.length < samples; index += step) {
      host.render(render(textAt(index - 1)))
      times.push(host.render(render(textAt(index))))
    }
    host.dispose()
    return times
  }
  return { first: measureWindow(0), last: measureWindow(CHUNKS - WINDOW) }
}

const format = (value: number) => `${value.toFixed(3)} ms`

test('markdown: main-thread time per 5-character chunk, first vs last 10% of a 100k answer', () => {
  const streamdownSamples = 200
  const reactMarkdownSamples = 20
  // Warm up every renderer (JIT, lazy module init) on a small text before measuring.
  const warm = createHost()
  for (let index = 0; index < 200; index++) {
    warm.render(<Markdown streaming>{textAt(index)}</Markdown>)
    warm.render(<Streamdown>{textAt(index)}</Streamdown>)
    warm.render(<ReactMarkdown>{textAt(index)}</ReactMarkdown>)
  }
  warm.dispose()

  // Two full passes; the second is reported (the first warms the JIT on long texts as well).
  measureSluice()
  // A window's mean moves by tens of percent between passes on a shared machine (one GC or one
  // preemption in 2,003 chunks of ~0.1 ms), so several passes are taken, alternating with and
  // without ballast, and the median of their ratios is reported.
  const passes: { ballast: boolean; first: number[]; last: number[] }[] = []
  for (let pass = 0; pass < 6; pass++) {
    const ballast = pass % 2 === 1
    passes.push({ ballast, ...measureSluice(ballast) })
  }
  const sluice = passes.find((pass) => !pass.ballast)!
  const sluiceBallast = passes.find((pass) => pass.ballast)!
  const passRatios = (ballast: boolean) =>
    passes
      .filter((pass) => pass.ballast === ballast)
      .map((pass) => ({
        mean: stats(pass.last).mean / stats(pass.first).mean,
        median: stats(pass.last).median / stats(pass.first).median,
      }))
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const describeRatios = (ballast: boolean) => {
    const ratios = passRatios(ballast)
    return `per pass mean ${ratios.map((ratio) => ratio.mean.toFixed(2)).join(', ')} (median ${middle(ratios.map((ratio) => ratio.mean)).toFixed(2)}x); per pass median ${ratios.map((ratio) => ratio.median.toFixed(2)).join(', ')} (median ${middle(ratios.map((ratio) => ratio.median)).toFixed(2)}x)`
  }
  const streamdown = measureSampled((text) => <Streamdown>{text}</Streamdown>, streamdownSamples)
  const reactMarkdown = measureSampled((text) => <ReactMarkdown>{text}</ReactMarkdown>, reactMarkdownSamples)

  const rows = [
    ['Sluice Markdown', stats(sluice.first), stats(sluice.last), 'every chunk'],
    [
      'Sluice + ballast',
      stats(sluiceBallast.first),
      stats(sluiceBallast.last),
      'every chunk; the finished document mounted beside it all along',
    ],
    [
      'streamdown',
      stats(streamdown.first),
      stats(streamdown.last),
      `${streamdownSamples} sampled chunks per window`,
    ],
    [
      'react-markdown',
      stats(reactMarkdown.first),
      stats(reactMarkdown.last),
      `${reactMarkdownSamples} sampled chunks per window`,
    ],
  ] as const
  const lines = [
    `Markdown streaming benchmark: ${TEXT.length} characters, ${CHUNKS} chunks of ${CHUNK} characters,`,
    `windows of ${WINDOW} chunks (first 10% and last 10%); React ${process.env.NODE_ENV} build; Chromium.`,
    `Timer resolution: ${globalThis.crossOriginIsolated ? '5 µs' : '100 µs (page not cross-origin isolated), so medians are coarse; means are fine'}.`,
    '',
    'renderer          | first 10% mean / median / p95          | last 10% mean / median / p95           | last/first (mean) | sampling',
  ]
  for (const [name, first, last, sampling] of rows) {
    lines.push(
      `${name.padEnd(17)} | ${format(first.mean)} / ${format(first.median)} / ${format(first.p95)} | ${format(last.mean)} / ${format(last.median)} / ${format(last.p95)} | ${(last.mean / first.mean).toFixed(2)} | ${sampling}`,
    )
  }
  const sluiceLast = stats(sluice.last).mean
  lines.push(
    '',
    `Sluice last 10% vs its first 10% (target: <= 1), 3 passes: ${describeRatios(false)}`,
    `  with the finished document mounted beside it (same heap and DOM size in both windows), 3 passes: ${describeRatios(true)}`,
    `Sluice last 10% vs streamdown last 10%: ${(sluiceLast / stats(streamdown.last).mean).toFixed(3)}x (target: <= 0.25)`,
    `Sluice last 10% vs react-markdown last 10%: ${(sluiceLast / stats(reactMarkdown.last).mean).toFixed(4)}x`,
  )
  console.log(lines.join('\n'))
  // Only sanity: every renderer produced samples. Speed is reported, not asserted.
  expect(sluice.last.length).toBe(WINDOW)
})

/**
 * A math-heavy answer of about `length` characters: prose with inline formulas, display
 * formulas on their own lines, currency that is not math, and a table with formulas, repeated
 * with varying numbers so every formula is a new one (no cache hits). Every number has the same
 * number of digits (sections 100 to 219), so every section has the same length and shape: the first and
 * the last tenth stream the same kind of blocks. (With the numbers counted from 0, sections grew
 * from 390 to 443 characters, so the last tenth's blocks were 12% longer, and a chunk's work,
 * which grows with its block, was billed to the document's length.)
 */
function mathMarkdownAnswer(length: number): string {
  const sections: string[] = []
  let size = 0
  for (let count = 0; size < length; count++) {
    const index = 100 + count
    const section = [
      `## Step ${index + 1}`,
      '',
      `Let $f_{${index}}(x) = x^{${index + 2}} + ${index}x$ on $[0, ${index + 1}]$. Its derivative is \\(f'_{${index}}(x) = ${index + 2}x^{${index + 1}} + ${index}\\), and the price is $5 or $${index + 10} (not math).`,
      '',
      '$$',
      `\\int_0^{${index + 1}} f_{${index}}(x)\\,dx = \\frac{${index + 1}^{${index + 3}}}{${index + 3}} + \\frac{${index}\\cdot ${index + 1}^2}{2}`,
      '$$',
      '',
      `| $n$ | $\\sum_{k=1}^{n} k$ | $n!$ |`,
      '| --- | --- | --- |',
      `| ${index + 1} | $\\frac{${index + 1}(${index + 2})}{2}$ | $${index + 1}!$ |`,
      '',
      `A matrix: \\[A_{${index}} = \\begin{pmatrix} ${index} & 1 \\\\ 0 & ${index + 1} \\end{pmatrix}\\] with $\\det A_{${index}} = ${index * (index + 1)}$.`,
      '',
    ].join('\n')
    sections.push(section)
    size += section.length + 1
  }
  return sections.join('\n').slice(0, length)
}

/**
 * Streamdown's KaTeX plugin (`@streamdown/math`), if installed: found by a glob so that this file
 * still runs without it (the comparison is then skipped and says which package to add).
 */
const streamdownMathModules = import.meta.glob<{ math: unknown }>(
  '../../../node_modules/@streamdown/math/dist/index.js',
)

test('markdown with math: main-thread time per 5-character chunk, first vs last 10%, vs Streamdown + KaTeX', async () => {
  const MATH_TEXT = mathMarkdownAnswer(50_000)
  const mathChunks = Math.ceil(MATH_TEXT.length / CHUNK)
  const mathWindow = Math.floor(mathChunks / 10)
  const mathTextAt = (chunkIndex: number) => MATH_TEXT.slice(0, (chunkIndex + 1) * CHUNK)
  // KaTeX through a counter: a formula is rendered once (then memoised by its source), so the
  // calls over a whole stream should be about the number of different formulas.
  let katexCalls = 0
  const katex = (await import('katex')).default
  const countingKatex = {
    renderToString: (tex: string, options?: Parameters<typeof katex.renderToString>[1]) => {
      katexCalls++
      return katex.renderToString(tex, options)
    },
  }
  /**
   * A renderer with an empty cache and KaTeX loaded. Every window gets its own: the renderer's
   * cache (the last 500 formulas) is state, and a shared one carried formulas from one window to
   * the next (after a first window, the next first window found all its formulas cached and
   * never called KaTeX, while the last window's formulas were always evicted by the untimed
   * render that brings the root to the window's start; see docs/benchmarks.md).
   */
  const freshMath = async () => {
    const renderer = createMathRenderer({ katex: async () => countingKatex })
    await renderer.load()
    return renderer
  }
  const math = await freshMath()
  const loader = Object.values(streamdownMathModules)[0]
  const streamdownMath = loader === undefined ? undefined : (await loader()).math
  const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.()

  // Warm-up, excluded from the figures: one whole stream (JIT on short and long texts alike),
  // which also checks that every formula rendered and counts KaTeX's calls.
  const warm = createHost()
  katexCalls = 0
  for (let index = 0; index < mathChunks; index++)
    warm.render(
      <Markdown math={math} streaming>
        {mathTextAt(index)}
      </Markdown>,
    )
  warm.render(<Markdown math={math}>{MATH_TEXT}</Markdown>)
  const formulas = warm.container.querySelectorAll('.katex').length
  const streamKatexCalls = katexCalls
  warm.dispose()

  /**
   * One window: a fresh root and math renderer (see `freshMath`) brought to the chunk before
   * the window in one untimed streaming update (the same finished blocks and DOM as after
   * streaming there chunk by chunk), then every chunk of the window streamed and timed. Windows
   * are measured separately so that the first and the last can alternate (below); a full GC
   * before each keeps one window's garbage off the next. With `ballast`, the finished document
   * is mounted in another root (with its own renderer) meanwhile, so both windows run with the
   * same heap and DOM size. The KaTeX calls inside each timed window are counted: both windows
   * should pay for the formulas that close in them.
   */
  const timedKatexCalls = { first: [] as number[], last: [] as number[] }
  const measureWindow = async (from: number, ballast: boolean): Promise<number[]> => {
    const other = ballast ? createHost() : undefined
    // The ballast renders with a renderer of its own, so its formulas (the whole document's) are
    // not in the measured window's cache.
    if (other !== undefined) other.render(<Markdown math={await freshMath()}>{MATH_TEXT}</Markdown>)
    const windowMath = await freshMath()
    const host = createHost()
    if (from > 0)
      host.render(
        <Markdown math={windowMath} streaming>
          {mathTextAt(from - 1)}
        </Markdown>,
      )
    collectGarbage()
    const times: number[] = []
    const callsBefore = katexCalls
    for (let index = from; index < from + mathWindow; index++)
      times.push(
        host.render(
          <Markdown math={windowMath} streaming>
            {mathTextAt(index)}
          </Markdown>,
        ),
      )
    timedKatexCalls[from === 0 ? 'first' : 'last'].push(katexCalls - callsBefore)
    host.dispose()
    other?.dispose()
    return times
  }
  // Interleaved repetitions: each round measures both windows, in alternating order (first then
  // last, then last then first), so load that comes and goes on a shared machine falls on both
  // alike. Round 0 is a warm-up and is dropped. A round's ratio compares window medians (one
  // preemption or GC in 1,000 chunks of ~0.05 ms moves a mean by tens of percent, a median
  // hardly); the figure reported is the median of the rounds' ratios.
  const rounds = 9
  const lastStart = mathChunks - mathWindow
  const measured = {
    plain: [] as { first: number[]; last: number[] }[],
    ballast: [] as { first: number[]; last: number[] }[],
  }
  for (let round = 0; round < rounds; round++) {
    for (const ballast of [false, true]) {
      const order = round % 2 === 0 ? [0, lastStart] : [lastStart, 0]
      const a = await measureWindow(order[0]!, ballast)
      const b = await measureWindow(order[1]!, ballast)
      const pair = order[0] === 0 ? { first: a, last: b } : { first: b, last: a }
      if (round > 0) measured[ballast ? 'ballast' : 'plain'].push(pair)
    }
  }
  const middle = (values: readonly number[]) =>
    [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!
  /** The mean of the middle half: robust to GC pauses like the median, but not stuck to the timer's 5 µs ticks. */
  const middleHalfMean = (values: readonly number[]) => {
    const sorted = [...values].sort((x, y) => x - y)
    const half = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4))
    return half.reduce((sum, value) => sum + value, 0) / Math.max(1, half.length)
  }
  const summary = (pairs: { first: number[]; last: number[] }[]) => {
    const medianRatios = pairs.map((pair) => stats(pair.last).median / stats(pair.first).median)
    const middleRatios = pairs.map((pair) => middleHalfMean(pair.last) / middleHalfMean(pair.first))
    const meanRatios = pairs.map((pair) => stats(pair.last).mean / stats(pair.first).mean)
    return {
      first: stats(pairs.flatMap((pair) => pair.first)),
      last: stats(pairs.flatMap((pair) => pair.last)),
      medianRatio: middle(medianRatios),
      meanRatio: middle(meanRatios),
      middleRatio: middle(middleRatios),
      describe: `per round (median) ${medianRatios.map((ratio) => ratio.toFixed(2)).join(', ')}; per round (mean of the middle half) ${middleRatios.map((ratio) => ratio.toFixed(2)).join(', ')}; per round (mean) ${meanRatios.map((ratio) => ratio.toFixed(2)).join(', ')}`,
    }
  }
  const plain = summary(measured.plain)
  const withBallast = summary(measured.ballast)

  const samples = 20
  const sampledWindow = (render: (text: string) => ReactNode, from: number): number[] => {
    const host = createHost()
    const times: number[] = []
    const step = Math.max(1, Math.floor(mathWindow / samples))
    for (let index = from + 1; index < from + mathWindow && times.length < samples; index += step) {
      host.render(render(mathTextAt(index - 1)))
      times.push(host.render(render(mathTextAt(index))))
    }
    host.dispose()
    return times
  }
  const lines = [
    `Math markdown benchmark: ${MATH_TEXT.length} characters, ${formulas} formulas, ${mathChunks} chunks of ${CHUNK} characters, windows of ${mathWindow} chunks; React ${process.env.NODE_ENV} build; Chromium.`,
    `${rounds - 1} rounds after a warm-up round and a warm-up stream, each timing both windows in alternating order (a fresh root and math renderer, brought to the window's start untimed, a full GC, then each chunk); figures pooled over the rounds.`,
    `KaTeX renderToString calls over one whole stream: ${streamKatexCalls} (formulas in the final DOM: ${formulas}; a formula is rendered once, then memoised by its source).`,
    '',
    'renderer                     | first 10% mean / median / p95          | last 10% mean / median / p95           | last/first (median of rounds, medians / means) | sampling',
  ]
  const row = (name: string, first: Stats, last: Stats, ratios: string, sampling: string) =>
    `${name.padEnd(28)} | ${format(first.mean)} / ${format(first.median)} / ${format(first.p95)} | ${format(last.mean)} / ${format(last.median)} / ${format(last.p95)} | ${ratios} | ${sampling}`
  lines.push(
    row(
      'Sluice Markdown + math',
      plain.first,
      plain.last,
      `${plain.medianRatio.toFixed(2)} / ${plain.meanRatio.toFixed(2)}`,
      'every chunk of each window',
    ),
  )
  lines.push(
    row(
      'Sluice + math + ballast',
      withBallast.first,
      withBallast.last,
      `${withBallast.medianRatio.toFixed(2)} / ${withBallast.meanRatio.toFixed(2)}`,
      'every chunk; the finished document mounted beside it',
    ),
  )
  lines.push(
    '',
    `Sluice last 10% vs its first 10% (target: <= 1): ${plain.medianRatio.toFixed(2)}x (median of the rounds' median ratios; of the middle-half means: ${plain.middleRatio.toFixed(3)}x); ${plain.describe}`,
    `  with the finished document mounted beside it (same heap and DOM size in both windows): ${withBallast.medianRatio.toFixed(2)}x (middle-half means: ${withBallast.middleRatio.toFixed(3)}x); ${withBallast.describe}`,
    `KaTeX calls inside the timed windows (formulas that closed there): first ${timedKatexCalls.first.join(', ')}; last ${timedKatexCalls.last.join(', ')}`,
  )
  if (streamdownMath === undefined) {
    lines.push(
      'Streamdown + KaTeX: not measured, @streamdown/math is not installed (add it as a devDependency: npm install -D @streamdown/math).',
    )
  } else {
    const plugins = { math: streamdownMath } as never
    const render = (text: string) => <Streamdown plugins={plugins}>{text}</Streamdown>
    const warmStreamdown = createHost()
    for (let index = 0; index < 20; index++) warmStreamdown.render(render(mathTextAt(index * 10)))
    warmStreamdown.dispose()
    const first = sampledWindow(render, 0)
    const last = sampledWindow(render, mathChunks - mathWindow)
    lines.push(
      row(
        'streamdown + @streamdown/math',
        stats(first),
        stats(last),
        `${(stats(last).median / stats(first).median).toFixed(2)} / ${(stats(last).mean / stats(first).mean).toFixed(2)}`,
        `${samples} sampled chunks per window`,
      ),
    )
    lines.push(
      `Sluice last 10% vs streamdown + KaTeX last 10%: mean ${(plain.last.mean / stats(last).mean).toFixed(4)}x, median ${(plain.last.median / stats(last).median).toFixed(4)}x (target: <= 0.25)`,
    )
  }
  console.log(lines.join('\n'))
  expect(measured.plain[0]?.last.length).toBe(mathWindow)
  expect(formulas).toBeGreaterThan(100)
})
