/**
 * Heap cost of hostile and huge HTTP bodies, over real local HTTP (a node:http server in a child
 * process, so its buffers are not billed to the client). Prints figures; asserts nothing.
 *
 * Each case runs in a fresh process (`--expose-gc`, a GC before it starts), sampling
 * `heapUsed + arrayBuffers` every millisecond and after each step; "peak" is the highest sample
 * over the starting heap, "retained" what is left after a full GC at the end (the answer held in
 * the chat's store, for the token case).
 *
 * - a 500 with a 200 MB HTML body: `readErrorResponse` against `await response.text()`;
 * - a 200 `application/json` answer of 200 MB (chunked, no length): the fetch transport against
 *   `response.text()` + `JSON.parse`;
 * - a 1,000,000-token answer over SSE: `createChat` (store included) against a plain client
 *   (eventsource-parser + JSON.parse, `text += delta`) on the same bytes.
 *
 * `node --expose-gc --import tsx test/bench/http-heap.bench.ts`
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createParser } from 'eventsource-parser'

const megabyte = 1024 * 1024
const hugeBytes = 200 * megabyte
const tokenCount = 1_000_000
const words = [
  ' The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog.',
  ' Ünï',
  ' 中文',
  '\n\n',
]

/** The text of the token case, as the server streams it. */
function tokenAt(index: number): string {
  return words[index % words.length]!
}

// ---------------------------------------------------------------- the server (child process)

async function runServer(): Promise<void> {
  const filler = Buffer.alloc(64 * 1024, 'x')
  const server = createServer(async (request, response) => {
    let closed = false
    response.on('close', () => {
      closed = true
    })
    const write = (chunk: string | Buffer) =>
      new Promise<void>((resolve) => {
        if (closed || response.write(chunk)) {
          resolve()
          return
        }
        const done = () => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
    const huge = async (prefix: string, suffix: string) => {
      await write(prefix)
      for (let sent = prefix.length; sent < hugeBytes && !closed; sent += filler.length) await write(filler)
      if (!closed) response.end(suffix)
    }
    if (request.url === '/error') {
      response.writeHead(500, { 'content-type': 'text/html' })
      await huge('<html><head><title>Internal Server Error</title></head><body>', '</body></html>')
    } else if (request.url === '/json') {
      response.writeHead(200, { 'content-type': 'application/json' })
      await huge(
        '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"',
        '"},"finish_reason":"stop"}]}',
      )
    } else {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      let batch = ''
      for (let index = 0; index < tokenCount && !closed; index++) {
        batch += `data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(tokenAt(index))}}}]}\n\n`
        if (batch.length > 32 * 1024) {
          await write(batch)
          batch = ''
        }
      }
      response.end(
        `${batch}data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`,
      )
    }
  })
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
  })
}

// ---------------------------------------------------------------- one measured case (child process)

interface Figures {
  peak: number
  retained: number
  note: string
}

function heapNow(): number {
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

async function measure(
  run: (sample: () => void) => Promise<{ note: string; keep?: unknown }>,
): Promise<Figures> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with node --expose-gc.')
  gc()
  const start = heapNow()
  let peak = start
  const sample = () => {
    peak = Math.max(peak, heapNow())
  }
  const interval = setInterval(sample, 1)
  const result = await run(sample)
  sample()
  clearInterval(interval)
  gc()
  const retained = heapNow() - start
  // `keep` stays reachable until here, so what it holds counts as retained.
  void result.keep
  return { peak: peak - start, retained, note: result.note }
}

async function runCase(name: string, origin: string): Promise<Figures> {
  const { readErrorResponse } = await import('../../packages/core/src/chat/read-error-response.ts')
  const { createFetchTransport } = await import('../../packages/core/src/chat/fetch-transport.ts')
  const { createChat } = await import('../../packages/core/src/chat/create-chat.ts')
  const { openaiChatProtocol } = await import('../../packages/core/src/protocols/openai-chat/decode.ts')
  switch (name) {
    case 'error-baseline':
      return measure(async (sample) => {
        const response = await fetch(`${origin}/error`)
        const text = await response.text()
        sample()
        return { note: `message of ${text.length} characters`, keep: text }
      })
    case 'error-sluice':
      return measure(async () => {
        const error = await readErrorResponse(await fetch(`${origin}/error`), openaiChatProtocol)
        return { note: `message of ${error.message.length} characters`, keep: error }
      })
    case 'json-baseline':
      return measure(async (sample) => {
        const text = await (await fetch(`${origin}/json`)).text()
        sample()
        const body = JSON.parse(text) as { choices: { message: { content: string } }[] }
        sample()
        return { note: `parsed ${body.choices[0]!.message.content.length} characters`, keep: body }
      })
    case 'json-sluice':
      return measure(async () => {
        const controller = new AbortController()
        const transport = createFetchTransport()
        let note = 'no error'
        try {
          for await (const _ of transport.request({
            api: `${origin}/json`,
            trigger: 'send',
            messageId: 'm1',
            messages: [],
            body: {},
            headers: {},
            protocol: openaiChatProtocol,
            stream: true,
            signal: controller.signal,
            observer: { byte() {}, eventId() {} },
          })) {
            // The events, if any.
          }
        } catch (error) {
          note = `refused: ${(error as { code?: string }).code}`
        }
        return { note }
      })
    case 'tokens-baseline':
      return measure(async () => {
        const response = await fetch(`${origin}/tokens`)
        let text = ''
        const parser = createParser({
          onEvent(event) {
            if (event.data === '[DONE]') return
            const frame = JSON.parse(event.data) as { choices: { delta: { content?: string } }[] }
            text += frame.choices[0]?.delta.content ?? ''
          },
        })
        const decoder = new TextDecoder()
        const reader = response.body!.getReader()
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          parser.feed(decoder.decode(read.value, { stream: true }))
        }
        return { note: `${text.length} characters`, keep: text }
      })
    case 'tokens-sluice':
      return measure(async () => {
        // The decoder object, not its id: loading the registry's code inside the measurement
        // would count a fixed ~3 MB of modules as text overhead (the transport's module is
        // imported above for the same reason).
        const chat = createChat({ api: `${origin}/tokens`, protocol: openaiChatProtocol })
        await chat.send('Go')
        const state = chat.getState()
        const id = state.messageIds.at(-1)!
        const message =
          (state.messages as unknown as Record<string, { status: string; parts: { text?: string }[] }>)[id] ??
          (state.messages as unknown as Map<string, { status: string; parts: { text?: string }[] }>).get?.(id)
        const length = message?.parts.reduce((total, part) => total + (part.text?.length ?? 0), 0) ?? 0
        return { note: `${message?.status}, ${length} characters`, keep: chat }
      })
    default:
      throw new Error(`unknown case ${name}`)
  }
}

// ---------------------------------------------------------------- the parent

const self = fileURLToPath(import.meta.url)

function child(args: string[]): { process: ReturnType<typeof spawn>; output: Promise<string> } {
  const spawned = spawn(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', self, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const output = new Promise<string>((resolve, reject) => {
    let text = ''
    spawned.stdout!.on('data', (data: Buffer) => {
      text += data.toString()
      if (args[0] === '--server' && text.includes('\n')) resolve(text.trim())
    })
    spawned.on('exit', (code) =>
      code === 0 ? resolve(text.trim()) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    )
  })
  return { process: spawned, output }
}

function mb(bytes: number): string {
  return `${(bytes / megabyte).toFixed(1)} MB`
}

async function main(): Promise<void> {
  const server = child(['--server'])
  const origin = `http://127.0.0.1:${await server.output}`
  const fullText = Array.from({ length: tokenCount }, (_, index) => tokenAt(index)).join('')
  const textBytes = Buffer.byteLength(fullText)
  // What the text itself costs as one flat JS string: V8 stores it in one byte per character
  // only when every character is Latin-1, otherwise two (this text has "中文").
  const stringBytes =
    fullText.length * ([...fullText].some((character) => character.codePointAt(0)! > 0xff) ? 2 : 1)
  const rows: string[] = []
  const tokenRetained: [number, number] = [0, 0]
  const pairs: [string, string, string][] = [
    ['500 error, 200 MB HTML body', 'error-baseline', 'error-sluice'],
    ['200 application/json, 200 MB', 'json-baseline', 'json-sluice'],
    [
      `${tokenCount.toLocaleString('en')}-token SSE answer (${mb(textBytes)} of text)`,
      'tokens-baseline',
      'tokens-sluice',
    ],
  ]
  try {
    for (const [label, baselineCase, sluiceCase] of pairs) {
      const baseline = JSON.parse(await child(['--case', baselineCase, origin]).output) as Figures
      const sluice = JSON.parse(await child(['--case', sluiceCase, origin]).output) as Figures
      if (sluiceCase === 'tokens-sluice') tokenRetained.splice(0, 2, baseline.retained, sluice.retained)
      rows.push(
        `| ${label} | ${mb(baseline.peak)} peak, ${mb(baseline.retained)} retained (${baseline.note}) | ${mb(sluice.peak)} peak, ${mb(sluice.retained)} retained (${sluice.note}) | ${(sluice.peak / Math.max(1, baseline.peak)).toFixed(3)}x |`,
      )
    }
  } finally {
    server.process.kill()
  }
  console.log(
    'Peak heap (heapUsed + arrayBuffers over the starting heap), real local HTTP, one process per case',
  )
  console.log('| body | baseline | Sluice | peak ratio |')
  console.log('|---|---|---|---|')
  for (const row of rows) console.log(row)
  console.log(
    'baselines: error and JSON = `await response.text()` (+ `JSON.parse`); tokens = eventsource-parser + JSON.parse, `text += delta`',
  )
  console.log(
    `1M tokens: the text is ${mb(textBytes)} (UTF-8); retained / text: baseline ${(tokenRetained[0] / textBytes).toFixed(1)}x, Sluice ${(tokenRetained[1] / textBytes).toFixed(1)}x (issue 11's goal: ≤ 2x).`,
  )
  console.log(
    `1M tokens: the text as one flat JS string is ${mb(stringBytes)}; retained / that string: baseline ${(tokenRetained[0] / stringBytes).toFixed(2)}x, Sluice ${(tokenRetained[1] / stringBytes).toFixed(2)}x.`,
  )
}

const argv = process.argv.slice(2)
if (argv[0] === '--server') await runServer()
else if (argv[0] === '--case') console.log(JSON.stringify(await runCase(argv[1]!, argv[2]!)))
else await main()
