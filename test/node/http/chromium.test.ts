/**
 * The same HTTP limits in a real browser: Chromium (Playwright, `/usr/bin/chromium`) loads a page
 * from a local node:http server that also plays the misbehaving API (same origin). The page runs
 * `createChat` from the core's sources, bundled by esbuild for the test, over Chromium's own
 * `fetch` and `EventSource`. What it reports is what a user would see: status, error, text.
 */
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillerChunk, openaiFrame, startTestServer, type TestServer } from './http-server.ts'

let server: TestServer
let browser: Browser
let page: Page

const entry = `
import { createChat } from './packages/core/src/chat/create-chat.ts'
import { createEventSourceTransport } from './packages/core/src/chat/event-source-transport.ts'
window.ask = async (api, options = {}) => {
  const { eventSource, ...rest } = options
  const chat = createChat({
    api,
    protocol: 'openai-chat',
    retry: false,
    ...(eventSource ? { transport: createEventSourceTransport() } : {}),
    ...rest,
  })
  await chat.send('Hello')
  const state = chat.getState()
  const id = state.messageIds[state.messageIds.length - 1]
  const message = state.messages instanceof Map ? state.messages.get(id) : state.messages[id]
  const text = message.parts.filter((part) => part.type === 'text').map((part) => part.text).join('')
  return { status: message.status, error: message.error, text }
}
`

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    conditions: ['@sluice/source'],
  })
  const script = bundle.outputFiles[0]!.text
  server = await startTestServer(async ({ request, response, write }) => {
    const url = request.url ?? '/'
    if (url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<!doctype html><title>test</title><script type="module" src="/app.js"></script>')
    } else if (url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      response.end(script)
    } else if (url.startsWith('/spa')) {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(
        '<!doctype html><html><head><title>Acme Chat</title></head><body><div id="root"></div></body></html>',
      )
    } else if (url.startsWith('/huge-error')) {
      response.writeHead(500, { 'content-type': 'text/html' })
      if (!(await write('<html><head><title>Internal Server Error</title></head><body>'))) return
      for (let sent = 0; sent < 200 * 1024 * 1024; sent += fillerChunk.byteLength) {
        if (!(await write(fillerChunk))) return
      }
      response.end()
    } else if (url.startsWith('/stall')) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      await write(openaiFrame('Kept before the silence.'))
    } else {
      response.writeHead(404)
      response.end()
    }
  })
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  page = await browser.newPage()
  await page.goto(server.origin)
  await page.waitForFunction(() => 'ask' in window)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Seen {
  status: string
  error?: { message: string; status?: number; code?: string }
  text: string
}

function ask(api: string, options: Record<string, unknown> = {}): Promise<Seen> {
  return page.evaluate(
    ([path, chatOptions]) =>
      (window as unknown as { ask(a: string, o: unknown): Promise<Seen> }).ask(path, chatOptions),
    [api, options] as const,
  )
}

describe('in Chromium', () => {
  it('200 text/html where the API should be: an error that says an HTML page came', async () => {
    const seen = await ask('/spa')
    expect(seen.status).toBe('error')
    expect(seen.error?.status).toBe(200)
    expect(seen.error?.message).toContain(
      'Protocol "openai-chat" expected an SSE stream (text/event-stream) from /spa, but received an HTML page (text/html) ("Acme Chat")',
    )
  })

  it('a 500 with 200 MB of HTML: status, type and title, the body never read whole', async () => {
    const seen = await ask('/huge-error')
    expect(seen.status).toBe('error')
    expect(seen.error?.status).toBe(500)
    expect(seen.error?.message).toMatch(
      /^The server answered 500 (Internal Server Error )?with an HTML page \(text\/html\)/,
    )
    expect(seen.error!.message.length).toBeLessThan(600)
    expect(server.bytesWritten).toBeLessThan(100 * 1024 * 1024)
  })

  it('fetch: silence after part of the answer ends interrupted on idleTimeout, the text kept', async () => {
    const seen = await ask('/stall', { idleTimeout: 500 })
    expect(seen).toMatchObject({
      status: 'interrupted',
      text: 'Kept before the silence.',
      error: { code: 'idle-timeout' },
    })
  })

  it("EventSource (Chromium's own): the same idle timeout, the text kept", async () => {
    const seen = await ask('/stall', { idleTimeout: 500, eventSource: true })
    expect(seen).toMatchObject({
      status: 'interrupted',
      text: 'Kept before the silence.',
      error: { code: 'idle-timeout' },
    })
    expect(seen.error?.message).toContain('(idleTimeout) over EventSource')
  })
})
