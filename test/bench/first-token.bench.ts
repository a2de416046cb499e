/**
 * Time from Send to the first painted token, in Chromium, against every reference backend
 * (`backends/`), with the first chunk sent at once (`first_delay=0`). Reported against seed 004's
 * target (TTFB < 500 ms) and against a baseline measured in the same run: the same servers read by
 * a page with no Sluice at all (one `fetch` or one `WebSocket`, each chunk's text appended to a
 * `<p>` by hand; `test/bench/first-token-pages.ts`). Prints figures; asserts nothing.
 *
 * ```bash
 * node --import tsx test/bench/first-token.bench.ts            # builds the playground into a temp dir
 * SLUICE_BENCH_PLAYGROUND=http://localhost:4192/ node --import tsx test/bench/first-token.bench.ts
 * FIRST_TOKEN_RUNS=30 node --import tsx test/bench/first-token.bench.ts
 * ```
 *
 * What is timed, per send: from the Send button's click (a capture listener, before the chat's
 * own handler) to the first frame painted after the answer's text became non-empty (a
 * MutationObserver, then `requestAnimationFrame` and a task after it: the paint of that frame is
 * done). The baseline page times from just before its `fetch` / `send` to the same paint. The
 * first send of each page opens its connection (and, for sockets, the socket) and is reported on
 * its own as "cold"; the median and p95 are over the warm sends after it. The baseline opens a
 * new connection (a new `WebSocket`) for every send, so its WebSocket figure includes the handshake
 * that the chats' warm sends no longer pay. Each target is the
 * built playground pointed at the backend by URL, except Socket.IO (the playground has no
 * Socket.IO mode: the README's quick-start chat over the `socketio` transport).
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type Browser, chromium, type Page } from '@playwright/test'
import { startSeed000Server } from '../../backends/seed-000-openai-compatible.ts'
import { startSeed001Server } from '../../backends/seed-001-stream-chunk.ts'
import { startSeed002Server } from '../../backends/seed-002-stream-delta.ts'
import { startSeed003Server } from '../../backends/seed-003-agent-events.ts'
import { startSeed004Python } from '../../backends/seed-004-python.ts'
import { startSeed004SocketIoServer } from '../../backends/seed-004-socketio.ts'
import { startFirstTokenPages } from './first-token-pages.ts'

/** Seed 004's non-functional requirement: "Time-To-First-Byte (TTFB) < 500ms". */
const targetMilliseconds = 500
const runs = Math.max(3, Number(process.env.FIRST_TOKEN_RUNS ?? 15))
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
/** Every send: the first chunk at once, a short answer. */
const knobs = '[[first_delay=0 delay=20 words=6]]'

/** The flags of playwright.config.ts (Debian's Chromium, no calls home). */
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

interface Timing {
  cold: number
  warm: number[]
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN
  )
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** A static server for the built playground (it is a static site with relative paths). */
async function servePlayground(directory: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(
      /^(\.\.[/\\])+/,
      '',
    )
    try {
      const body = await readFile(join(directory, relative))
      response.writeHead(200, {
        'content-type': contentTypes[extname(relative)] ?? 'application/octet-stream',
      })
      response.end(body)
    } catch {
      response.writeHead(404)
      response.end()
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

/** Arm the page: the next Send click and the first paint of the next answer's text. */
async function armFirstToken(page: Page): Promise<void> {
  await page.evaluate(() => {
    const now = () => performance.timeOrigin + performance.now()
    // The list virtualizes: the new answer is the row whose id was not there before, not the n+1th.
    const before = new Set(
      Array.from(
        document.querySelectorAll<HTMLElement>('[data-role="assistant"]'),
        (row) => row.dataset.messageId,
      ),
    )
    let sendAt: number | undefined
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest('button')
      if (button?.textContent?.trim() === 'Send' || button?.getAttribute('aria-label') === 'Send')
        sendAt ??= now()
    }
    document.addEventListener('click', onClick, { capture: true })
    ;(window as unknown as { firstToken: Promise<{ sendAt: number; paintedAt: number }> }).firstToken =
      new Promise((resolve) => {
        const check = () => {
          const answer = Array.from(document.querySelectorAll<HTMLElement>('[data-role="assistant"]')).find(
            (row) => !before.has(row.dataset.messageId),
          )
          const text = Array.from(answer?.querySelectorAll('[data-sluice="message-text"]') ?? [])
            .map((node) => node.textContent ?? '')
            .join('')
          if (text === '') return
          observer.disconnect()
          document.removeEventListener('click', onClick, { capture: true })
          // rAF runs before the frame is painted; a task queued from it runs after that paint.
          requestAnimationFrame(() => {
            const channel = new MessageChannel()
            channel.port1.onmessage = () => resolve({ sendAt: sendAt ?? Number.NaN, paintedAt: now() })
            channel.port2.postMessage(undefined)
          })
        }
        const observer = new MutationObserver(check)
        observer.observe(document.body, { subtree: true, childList: true, characterData: true })
      })
  })
}

/** Send one message through the chat UI and return the milliseconds to its first painted token. */
async function timeOneSend(page: Page, text: string): Promise<number> {
  await armFirstToken(page)
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const painted = await page.evaluate(() =>
    Promise.race([
      (window as unknown as { firstToken: Promise<{ sendAt: number; paintedAt: number }> }).firstToken,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000)),
    ]),
  )
  if (painted === undefined) {
    const status = await page
      .locator('[data-role="assistant"]')
      .last()
      .getAttribute('data-status')
      .catch(() => null)
    throw new Error(`no token painted within 20 s of Send (the answer is "${status}")`)
  }
  const { sendAt, paintedAt } = painted
  // Let the answer end before the next send (a send while streaming would stop it).
  await page.waitForFunction(
    () => {
      const answers = document.querySelectorAll<HTMLElement>('[data-role="assistant"]')
      return answers[answers.length - 1]?.dataset.status === 'complete'
    },
    undefined,
    { timeout: 30_000 },
  )
  return paintedAt - sendAt
}

/**
 * A page whose evaluated functions may name inner functions: tsx compiles this file with
 * esbuild's keepNames, which wraps them in a `__name(…)` helper the page does not have.
 */
async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.addInitScript('globalThis.__name = (target) => target')
  return page
}

async function timeChat(browser: Browser, url: string): Promise<Timing> {
  const page = await newPage(browser)
  try {
    await page.goto(url)
    await page.getByRole('textbox', { name: 'Message' }).waitFor()
    const cold = await timeOneSend(page, `${knobs} Cold`)
    const warm: number[] = []
    for (let index = 0; index < runs; index++)
      warm.push(await timeOneSend(page, `${knobs} Warm ${index + 1}`))
    return { cold, warm }
  } catch (error) {
    process.stdout.write(`  failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return { cold: Number.NaN, warm: [] }
  } finally {
    await page.close()
  }
}

interface RawTarget {
  url: string
  kind: 'fetch' | 'websocket'
  body: unknown
  /** A function's source: the text of one parsed frame (or undefined). */
  textOf: string
}

async function timeRaw(browser: Browser, pageUrl: string, target: RawTarget): Promise<Timing> {
  const page = await newPage(browser)
  try {
    await page.goto(pageUrl)
    const once = () =>
      page.evaluate(async (options) => {
        const startedAt = performance.timeOrigin + performance.now()
        const paintedAt = await (
          window as unknown as { rawFirstToken: (options: unknown) => Promise<number> }
        ).rawFirstToken(options)
        // Let the server finish this answer before the next one (it streams on for a moment).
        await new Promise((resolve) => setTimeout(resolve, 300))
        return paintedAt - startedAt
      }, target)
    const cold = await once()
    const warm: number[] = []
    for (let index = 0; index < runs; index++) warm.push(await once())
    return { cold, warm }
  } finally {
    await page.close()
  }
}

function playgroundUrl(
  base: string,
  backend: string,
  protocol: string,
  transport: string,
  inlineTags = false,
): string {
  const parameters = new URLSearchParams({ backend, backendProtocol: protocol, backendTransport: transport })
  if (inlineTags) parameters.set('backendInlineTags', '1')
  return `${base}?${parameters}`
}

async function main(): Promise<void> {
  let playgroundBase = process.env.SLUICE_BENCH_PLAYGROUND
  let playgroundServer: Server | undefined
  let builtDirectory: string | undefined
  if (playgroundBase === undefined) {
    builtDirectory = await mkdtemp(join(tmpdir(), 'sluice-first-token-'))
    process.stdout.write('building the playground…\n')
    await promisify(execFile)(
      'npm',
      ['run', 'build', '-w', 'playground', '--', '--outDir', builtDirectory, '--emptyOutDir'],
      {
        cwd: repositoryRoot,
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    const served = await servePlayground(builtDirectory)
    playgroundBase = served.url
    playgroundServer = served.server
  }

  const [seed000, seed001, seed002, seed003, seed004, seed004SocketIo, pages] = await Promise.all([
    startSeed000Server(),
    startSeed001Server(),
    startSeed002Server(),
    startSeed003Server(),
    startSeed004Python(),
    startSeed004SocketIoServer(),
    startFirstTokenPages(),
  ])
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumFlags,
  })
  const rows: { name: string; timing: Timing; baseline?: string }[] = []
  const baselines = new Map<string, Timing>()
  try {
    const question = [{ role: 'user', content: `${knobs} Raw` }]
    baselines.set(
      'raw fetch SSE',
      await timeRaw(browser, `${pages.url}/raw.html`, {
        url: `${seed001.httpUrl}/stream`,
        kind: 'fetch',
        body: { messages: question },
        textOf: '(frame) => frame.text',
      }),
    )
    baselines.set(
      'raw WebSocket',
      await timeRaw(browser, `${pages.url}/raw.html`, {
        url: seed004.websocketUrl,
        kind: 'websocket',
        body: { type: 'message', content: `${knobs} Raw` },
        textOf: "(frame) => frame.type === 'message_stream' ? frame.data.chunk : undefined",
      }),
    )
    const base = playgroundBase
    const targets: { name: string; url: string; baseline: string }[] = [
      {
        name: 'seed 000 openai-chat SSE (inline tags)',
        url: playgroundUrl(base, `${seed000.httpUrl}/v1`, 'openai-chat', 'fetch', true),
        baseline: 'raw fetch SSE',
      },
      {
        name: 'seed 001 stream-chunk SSE',
        url: playgroundUrl(base, `${seed001.httpUrl}/stream`, 'stream-chunk', 'fetch'),
        baseline: 'raw fetch SSE',
      },
      {
        name: 'seed 001 stream-chunk WebSocket',
        url: playgroundUrl(base, `${seed001.websocketUrl}/ws`, 'stream-chunk', 'websocket'),
        baseline: 'raw WebSocket',
      },
      {
        name: 'seed 002 stream-delta SSE',
        url: playgroundUrl(base, `${seed002.httpUrl}/stream`, 'stream-delta', 'fetch'),
        baseline: 'raw fetch SSE',
      },
      {
        name: 'seed 002 stream-delta WebSocket',
        url: playgroundUrl(base, `${seed002.websocketUrl}/ws`, 'stream-delta', 'websocket'),
        baseline: 'raw WebSocket',
      },
      {
        name: 'seed 003 agent-events SSE',
        url: playgroundUrl(base, `${seed003.httpUrl}/stream`, 'agent-events', 'fetch'),
        baseline: 'raw fetch SSE',
      },
      {
        name: 'seed 003 agent-events WebSocket',
        url: playgroundUrl(base, `${seed003.websocketUrl}/ws`, 'agent-events', 'websocket'),
        baseline: 'raw WebSocket',
      },
      {
        name: 'seed 004 message-events WebSocket (FastAPI)',
        url: playgroundUrl(base, seed004.websocketUrl, 'message-events', 'websocket'),
        baseline: 'raw WebSocket',
      },
      {
        name: 'seed 004 message-events Socket.IO',
        url: `${pages.url}/socketio.html?backend=${encodeURIComponent(seed004SocketIo.httpUrl)}`,
        baseline: 'raw WebSocket',
      },
    ]
    for (const target of targets) {
      process.stdout.write(`timing ${target.name}…\n`)
      rows.push({ name: target.name, timing: await timeChat(browser, target.url), baseline: target.baseline })
    }
  } finally {
    await browser.close()
    await Promise.allSettled([
      seed000.close(),
      seed001.close(),
      seed002.close(),
      seed003.close(),
      seed004.close(),
      seed004SocketIo.close(),
      pages.close(),
    ])
    if (playgroundServer !== undefined) {
      playgroundServer.closeAllConnections()
      playgroundServer.close()
    }
    if (builtDirectory !== undefined) await rm(builtDirectory, { recursive: true, force: true })
  }

  const format = (value: number) => `${value.toFixed(1).padStart(7)} ms`
  process.stdout.write(
    `\nSend → first painted token, first chunk at once; median and p95 of ${runs} warm sends, cold = the first send of the page (it opens the connection)\n`,
  )
  process.stdout.write(
    `${'target'.padEnd(46)} ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'cold'.padStart(10)}   vs 500 ms   vs baseline (median)\n`,
  )
  for (const [name, timing] of baselines) {
    const median = percentile(timing.warm, 0.5)
    process.stdout.write(
      `${`baseline: ${name}`.padEnd(46)} ${format(median)} ${format(percentile(timing.warm, 0.95))} ${format(timing.cold)}   ${(median / targetMilliseconds).toFixed(3)}x\n`,
    )
  }
  for (const { name, timing, baseline } of rows) {
    const median = percentile(timing.warm, 0.5)
    const reference = baseline === undefined ? undefined : baselines.get(baseline)
    const ratio =
      reference === undefined ? '' : `${(median / percentile(reference.warm, 0.5)).toFixed(2)}x ${baseline}`
    process.stdout.write(
      `${name.padEnd(46)} ${format(median)} ${format(percentile(timing.warm, 0.95))} ${format(timing.cold)}   ${(median / targetMilliseconds).toFixed(3)}x      ${ratio}\n`,
    )
  }
}

await main()
