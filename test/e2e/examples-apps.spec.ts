import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { expect, type Page, test } from '@playwright/test'

// The example apps as users get them: `npm run test:examples` packs the packages, installs the
// tarballs into copies of examples/ (their own lockfiles), builds them and points this spec at
// the copies. Under the playground's `npm run test:e2e` there is nothing installed to drive.
const examples = process.env.SLUICE_EXAMPLES_DIR
test.skip(examples === undefined, 'run by `npm run test:examples` (scripts/test-examples.mjs)')
test.describe.configure({ mode: 'serial' })

const fixturePath = join(import.meta.dirname, '..', 'fixtures', 'openai-chat', 'text-gpt4o-usage.sse')
/** A real recorded OpenAI Chat Completions stream, and the text its deltas add up to. */
const fixture = readFileSync(fixturePath, 'utf8')
const fixtureEvents = fixture.split('\n\n').filter((event) => event.trim() !== '')
const fixtureText = fixtureEvents
  .map((event) => event.replace(/^data: /, ''))
  .filter((data) => data !== '[DONE]')
  .map((data) => (JSON.parse(data) as { choices: { delta?: { content?: string | null } }[] }).choices)
  .map((choices) => choices[0]?.delta?.content ?? '')
  .join('')

/** A server an example runs (`vite`, `next start`…), on 127.0.0.1 and a port the OS picks. */
interface AppServer {
  url: string
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts `command` in the example's directory and resolves with the first `http://127.0.0.1:<port>`
 * it prints. The process gets its own group, so stopping it also stops the workers it spawns.
 */
async function startApp(
  example: string,
  command: string,
  args: string[],
  environment: Record<string, string | undefined> = {},
): Promise<AppServer> {
  const child: ChildProcess = spawn(join('node_modules', '.bin', command), args, {
    cwd: join(examples ?? '', example),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', BROWSER: 'none', ...environment },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
    }
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`${example}: \`${command} ${args.join(' ')}\` printed no URL in 120 s:\n${output}`)),
      120_000,
    )
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      // Vite colours the port: read the text without its ANSI escapes.
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stripVTControlCharacters(output))
      if (match !== null && match[1] !== '0') {
        clearTimeout(timer)
        resolve(`http://127.0.0.1:${match[1]}`)
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${example}: \`${command} ${args.join(' ')}\` exited with ${code}:\n${output}`))
    })
  }).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  return { url, output: () => output, stop }
}

/**
 * Records every status and text length the assistant message goes through, from the DOM itself
 * (a MutationObserver sees every commit; polling could miss a short `streaming` phase).
 */
async function watchAssistant(page: Page) {
  await page.evaluate(() => {
    const seen: { statuses: string[]; lengths: number[] } = { statuses: [], lengths: [] }
    ;(window as unknown as { sluiceSeen: typeof seen }).sluiceSeen = seen
    const record = () => {
      const message = document.querySelector('[data-role="assistant"]')
      if (message === null) return
      const status = message.getAttribute('data-status') ?? ''
      if (seen.statuses.at(-1) !== status) seen.statuses.push(status)
      const length = message.textContent?.length ?? 0
      if (seen.lengths.at(-1) !== length) seen.lengths.push(length)
    }
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    })
  })
  return () =>
    page.evaluate(
      () => (window as unknown as { sluiceSeen: { statuses: string[]; lengths: number[] } }).sluiceSeen,
    )
}

/** Types into the composer, sends, and waits for the answer to finish; returns what it went through. */
async function sendAndFinish(page: Page, text: string) {
  const seen = await watchAssistant(page)
  const send = page.getByRole('button', { name: 'Send' })
  // Text typed before hydration is not React's yet, and Send stays disabled: type until it counts.
  await expect(async () => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await expect(send).toBeEnabled({ timeout: 1_000 })
  }).toPass({ timeout: 90_000 })
  await send.click()
  const answer = page.locator('[data-role="assistant"]').last()
  await expect(answer).toHaveAttribute('data-status', 'complete')
  await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
  return { answer, seen: await seen() }
}

/**
 * The theme under the app's template CSS (loaded after it): bubbles keep their padding, text
 * starts at the start, and the composer is inside the window (the list, not the page, scrolls).
 */
async function expectThemeHolds(page: Page) {
  const looks = await page.evaluate(() => {
    const style = (selector: string) => {
      const element = document.querySelector(selector)
      if (element === null) throw new Error(`${selector} is missing`)
      return getComputedStyle(element)
    }
    const composer = document.querySelector('[data-sluice="composer"]')?.getBoundingClientRect()
    return {
      userPadding: style('[data-role="user"] [data-sluice="message-content"]').paddingTop,
      textAlign: style('[data-role="assistant"]').textAlign,
      composerBottom: composer?.bottom ?? Number.POSITIVE_INFINITY,
      windowHeight: window.innerHeight,
      pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
    }
  })
  expect(Number.parseFloat(looks.userPadding), 'the user bubble keeps its padding').toBeGreaterThan(0)
  expect(looks.textAlign).toBe('start')
  expect(looks.composerBottom, 'the composer is inside the window').toBeLessThanOrEqual(looks.windowHeight)
  expect(looks.pageScrolls, 'the page itself does not scroll').toBe(false)
}

/**
 * A mock provider on 127.0.0.1: OpenAI Chat Completions, the recorded fixture, one event every
 * `delay` ms. `connections.closedEarly` counts the answers whose connection was closed before their end.
 */
async function startProvider(key: string, delay = 60) {
  const requests: { authorization: string | undefined; body: unknown }[] = []
  const connections = { closedEarly: 0 }
  const readBody = async (request: IncomingMessage) => {
    let body = ''
    for await (const chunk of request) {
      body += chunk
      if (body.length > 1_000_000) throw new Error('mock provider: request body over 1 MB')
    }
    return JSON.parse(body) as unknown
  }
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end()
      return
    }
    requests.push({ authorization: request.headers.authorization, body: await readBody(request) })
    if (request.headers.authorization !== `Bearer ${key}`) {
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      )
      return
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    // Spaced out, so the browser sees the answer grow: a stream, not one body.
    let ended = false
    response.once('close', () => {
      if (!ended) connections.closedEarly++
    })
    for (const event of fixtureEvents) {
      if (response.destroyed) return
      response.write(`${event}\n\n`)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
    ended = true
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    connections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

test.describe('examples/vite-react (the README quick start)', () => {
  test('development: the MSW worker answers /api/chat and the answer streams to complete', async ({
    page,
  }) => {
    const app = await startApp('vite-react', 'vite', ['--host', '127.0.0.1', '--port', '0', '--strictPort'])
    try {
      await page.goto(app.url)
      await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible()
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
      const { answer, seen } = await sendAndFinish(page, 'Hello')
      expect(seen.statuses).toContain('streaming')
      expect(seen.statuses.at(-1)).toBe('complete')
      expect(new Set(seen.lengths).size, 'the text grew in several steps').toBeGreaterThan(3)
      await expect(answer).not.toHaveText('')
      await expectThemeHolds(page)
    } finally {
      await app.stop()
    }
  })

  test('production build: no mock in the bundle, no worker; a real stream renders to complete', async ({
    page,
  }) => {
    const app = await startApp('vite-react', 'vite', [
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--strictPort',
    ])
    try {
      const bodies: unknown[] = []
      await page.route('**/api/chat', async (route) => {
        bodies.push(route.request().postDataJSON())
        await route.fulfill({ status: 200, contentType: 'text/event-stream', body: fixture })
      })
      await page.goto(app.url)
      await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible()
      const { answer } = await sendAndFinish(page, 'Hello')
      await expect(answer).toContainText(fixtureText)
      expect(bodies[0]).toMatchObject({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'Hello' }],
      })
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(
        0,
      )
    } finally {
      await app.stop()
    }
  })
})

test.describe('examples/nextjs (App Router)', () => {
  test('production: the route handler adds the key on the server and streams the provider to complete', async ({
    page,
  }) => {
    const key = 'sk-server-only-test-key'
    const provider = await startProvider(key)
    const app = await startApp('nextjs', 'next', ['start', '-H', '127.0.0.1', '-p', '0'], {
      OPENAI_BASE_URL: provider.baseURL,
      OPENAI_API_KEY: key,
    })
    try {
      const browserTraffic: string[] = []
      page.on('request', (request) => {
        browserTraffic.push(JSON.stringify(request.headers()), request.postData() ?? '')
      })
      await page.goto(app.url)
      // The Server Component rendered @sluice/react's Markdown and ran a helper of /helpers.
      await expect(page.getByRole('strong')).toHaveText('provider key')
      await expect(page.getByRole('link', { name: 'Source' })).toHaveAttribute(
        'href',
        'https://github.com/sluice-dev/sluice',
      )
      const { answer, seen } = await sendAndFinish(page, 'Hello')
      await expect(answer).toContainText(fixtureText)
      expect(seen.statuses).toContain('streaming')
      expect(new Set(seen.lengths).size, 'the text grew in several steps').toBeGreaterThan(3)
      expect(provider.requests).toHaveLength(1)
      expect(provider.requests[0]?.authorization).toBe(`Bearer ${key}`)
      expect(provider.requests[0]?.body).toMatchObject({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'Hello' }],
      })
      expect(browserTraffic.join('\n')).not.toContain(key)
      expect(await page.content()).not.toContain(key)
      await expectThemeHolds(page)
    } finally {
      await app.stop()
      await provider.stop()
    }
  })

  test('production: Stop in the browser reaches the relay, which closes the provider connection', async ({
    page,
  }) => {
    const key = 'sk-server-only-test-key'
    // 34 events, one every 400 ms: about 14 s, so Stop lands mid-answer.
    const provider = await startProvider(key, 400)
    const app = await startApp('nextjs', 'next', ['start', '-H', '127.0.0.1', '-p', '0'], {
      OPENAI_BASE_URL: provider.baseURL,
      OPENAI_API_KEY: key,
    })
    try {
      const deletes: string[] = []
      page.on('request', (request) => {
        if (request.method() === 'DELETE') deletes.push(request.url())
      })
      await page.goto(app.url)
      const send = page.getByRole('button', { name: 'Send' })
      await expect(async () => {
        await page.getByRole('textbox', { name: 'Message' }).fill('Hello')
        await expect(send).toBeEnabled({ timeout: 1_000 })
      }).toPass({ timeout: 90_000 })
      await send.click()
      const answer = page.locator('[data-role="assistant"]').last()
      await expect(answer).toHaveAttribute('data-status', 'streaming')
      await expect(answer).not.toHaveText('')
      await page.getByRole('button', { name: 'Stop' }).click()
      await expect(answer).toHaveAttribute('data-status', 'cancelled')
      const kept = (await answer.textContent()) ?? ''
      expect(kept.length, 'the text that had arrived is kept').toBeGreaterThan(0)
      // The resumable chat stops its stream on the relay (DELETE ?streamId=…), which aborts upstream.
      expect(deletes.some((url) => /\/api\/chat\?streamId=/.test(url))).toBe(true)
      await expect.poll(() => provider.connections.closedEarly, { timeout: 10_000 }).toBe(1)
      expect(provider.requests).toHaveLength(1)
    } finally {
      await app.stop()
      await provider.stop()
    }
  })

  test('development without a key: instrumentation.ts mocks the provider and the answer streams', async ({
    page,
  }) => {
    const app = await startApp('nextjs', 'next', ['dev', '-H', '127.0.0.1', '-p', '0'], {
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
    })
    try {
      await page.goto(app.url)
      await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible()
      const { answer, seen } = await sendAndFinish(page, 'Hello')
      expect(seen.statuses).toContain('streaming')
      await expect(answer).not.toHaveText('')
      expect(app.output()).toContain('the provider is mocked by @sluice/msw')
    } finally {
      await app.stop()
    }
  })
})
