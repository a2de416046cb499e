/**
 * `node --import tsx test/bench/relay-run.ts`: what the `@sluice/server` relay costs. Figures,
 * never assertions (speed is measured, not tested).
 *
 * 1. Overhead against a plain passthrough proxy (node:http piping the upstream body), measured
 *    in the same run on the same upstream: time to first byte added, and throughput of a fast
 *    answer (upstream chunks per second through each). The relay decodes every frame, stores it
 *    and adds SSE ids; the proxy only copies bytes.
 * 2. 1,000 concurrent relayed streams on one relay process, with the memory store and with the
 *    Redis store (a redis-server on a free port): heap and RSS per stream at the peak, and the
 *    relay's event-loop delay (`perf_hooks.monitorEventLoopDelay`) over the run.
 *
 * The servers run in a child process (`relay-server.ts`), so memory and delay are the relay's
 * alone; the upstream and the clients run here.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { startRedis } from '../node/server/redis-process.ts'

const fastChunks = 2000
const slowTokens = 30
const slowInterval = 100
const concurrent = 1000
const overheadRuns = 15

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
}
const first = chunk({ role: 'assistant', content: '' })
const token = chunk({ content: 'token ' })
const last = `${chunk({}, 'stop')}data: [DONE]\n\n`

/** The provider: "fast" streams 2,000 chunks as fast as the socket takes them; "slow" 30 at 100 ms. */
const upstream = createServer((request, response) => {
  let body = ''
  request.on('data', (data: Buffer) => {
    body += data.toString()
  })
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.write(first)
    if (body.includes('mode:fast')) {
      let sent = 0
      const pump = () => {
        while (sent < fastChunks) {
          sent++
          if (!response.write(token)) return void response.once('drain', pump)
        }
        response.end(last)
      }
      pump()
      return
    }
    let sent = 0
    const timer = setInterval(() => {
      if (++sent > slowTokens) {
        clearInterval(timer)
        response.end(last)
        return
      }
      response.write(token)
    }, slowInterval)
    response.on('close', () => clearInterval(timer))
  })
})

interface Timing {
  firstByte: number
  total: number
  bytes: number
}

async function stream(url: string, mode: 'fast' | 'slow', onFirstByte?: () => void): Promise<Timing> {
  const started = performance.now()
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: `mode:${mode}` }],
    }),
  })
  const reader = response.body!.getReader()
  let firstByte = -1
  let bytes = 0
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    if (firstByte < 0) {
      firstByte = performance.now() - started
      onFirstByte?.()
    }
    bytes += value.byteLength
  }
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
  return { firstByte, total: performance.now() - started, bytes }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function ask<T>(child: ChildProcess, type: string, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string }) => {
      if (message.type !== answer) return
      child.off('message', listener)
      resolve(message as T)
    }
    child.on('message', listener)
    child.send({ type })
  })
}

interface Sample {
  heapDelta: number
  rssDelta: number
  delay: { p50: number; p99: number; max: number }
}

async function main(): Promise<void> {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const upstreamBase = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`
  const redis = await startRedis()
  const child = fork(
    fileURLToPath(new URL('./relay-server.ts', import.meta.url)),
    [upstreamBase, redis.url],
    {
      execArgv: ['--import', 'tsx', '--expose-gc'],
    },
  )
  const ports = await new Promise<{ proxy: number; memory: number; redis: number }>((resolve) =>
    child.once('message', (message) => resolve(message as { proxy: number; memory: number; redis: number })),
  )
  const targets = {
    'passthrough proxy (baseline)': `http://127.0.0.1:${ports.proxy}/v1/chat/completions`,
    'relay, memory store': `http://127.0.0.1:${ports.memory}/api/chat`,
    'relay, Redis store': `http://127.0.0.1:${ports.redis}/api/chat`,
  }
  try {
    console.log(
      `\n1. Overhead: ${overheadRuns} runs each, one stream at a time, median (upstream: ${fastChunks} chunks, as fast as possible)`,
    )
    const rows: string[][] = []
    let baseline: { firstByte: number; rate: number } | undefined
    for (const [name, url] of Object.entries(targets)) {
      for (let warm = 0; warm < 3; warm++) await stream(url, 'fast')
      const timings: Timing[] = []
      for (let run = 0; run < overheadRuns; run++) timings.push(await stream(url, 'fast'))
      const firstByte = median(timings.map((timing) => timing.firstByte))
      const rate = median(timings.map((timing) => (fastChunks + 2) / (timing.total / 1000)))
      baseline ??= { firstByte, rate }
      rows.push([
        name,
        `${firstByte.toFixed(2)} ms`,
        `+${(firstByte - baseline.firstByte).toFixed(2)} ms`,
        `${Math.round(rate).toLocaleString('en')} chunks/s`,
        `${(rate / baseline.rate).toFixed(2)}×`,
        `${(median(timings.map((timing) => timing.bytes)) / 1024).toFixed(0)} KiB`,
      ])
    }
    table(['through', 'first byte', 'added', 'throughput', 'vs baseline', 'bytes out'], rows)

    console.log(
      `\n2. ${concurrent.toLocaleString('en')} concurrent streams on one relay process (${slowTokens} tokens at ${slowInterval} ms each)`,
    )
    const concurrencyRows: string[][] = []
    for (const name of ['relay, memory store', 'relay, Redis store'] as const) {
      globalThis.gc?.()
      await ask(child, 'mark', 'marked')
      let started = 0
      let allStarted!: () => void
      const everyStreamOpen = new Promise<void>((resolve) => {
        allStarted = resolve
      })
      const onFirstByte = () => {
        if (++started === concurrent) allStarted()
      }
      const runs = Array.from({ length: concurrent }, () => stream(targets[name], 'slow', onFirstByte))
      await everyStreamOpen
      // Half-way through the answers: every stream is open and has written into the store.
      await new Promise((resolve) => setTimeout(resolve, (slowTokens * slowInterval) / 2))
      const peak = await ask<Sample>(child, 'sample', 'sample')
      const timings = await Promise.all(runs)
      const end = await ask<Sample>(child, 'sample', 'sample')
      concurrencyRows.push([
        name,
        `${(peak.heapDelta / concurrent / 1024).toFixed(1)} KiB`,
        `${(peak.rssDelta / concurrent / 1024).toFixed(1)} KiB`,
        `${end.delay.p50.toFixed(1)} / ${end.delay.p99.toFixed(1)} / ${end.delay.max.toFixed(1)} ms`,
        `${median(timings.map((timing) => timing.firstByte)).toFixed(0)} ms`,
        `${(Math.max(...timings.map((timing) => timing.total)) / 1000).toFixed(2)} s`,
      ])
    }
    table(
      [
        'store',
        'heap / stream',
        'RSS / stream',
        'loop delay p50 / p99 / max',
        'median first byte',
        'slowest stream',
      ],
      concurrencyRows,
    )
    console.log(
      `\n(the ideal slowest stream is ${((slowTokens + 1) * slowInterval) / 1000} s; heap and RSS are deltas at the peak over a mark taken after a GC, divided by ${concurrent})`,
    )
  } finally {
    child.send({ type: 'stop' })
    await new Promise((resolve) => child.once('exit', resolve))
    upstream.closeAllConnections()
    upstream.close()
    await redis.stop()
  }
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  )
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
  console.log(line(header))
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`)
  for (const row of rows) console.log(line(row))
}

await main()
