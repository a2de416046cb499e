/**
 * Chromium end-to-end on the `@sluice/server` relay (the development relay of `backends/relay/`,
 * provider mocked by MSW in its process, memory store), through a real app: the resume page
 * (`backends/relay/resume-page/`, `useStreamingChat({ resume: true })`, the conversation saved in
 * `localStorage` and restored on load), bundled with esbuild from the packages' sources and
 * served on a free port. Send, reload mid-answer: the answer continues where it was, exact and
 * nothing duplicated; a second page on the same conversation watches it live. Neither calls the
 * provider again.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { expect, type Page, test } from '@playwright/test'
import { build } from 'esbuild'
import { type DevRelay, devRelayAnswer, startDevRelay } from '../../backends/relay/dev-relay.ts'
import { answerText, lastAnswer, sendMessage } from './playground.ts'

let relay: DevRelay
let page: Server
let pageUrl = ''

test.beforeAll(async () => {
  relay = await startDevRelay({ port: 0, tokensPerSecond: 10 })
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../../backends/relay/resume-page/main.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    conditions: ['@sluice/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]!.contents
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Relay resume</title><div id="root"></div><script type="module" src="/main.js"></script></html>'
  page = createServer((request, response) => {
    if (request.url?.startsWith('/main.js')) {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      response.end(script)
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end(html)
  })
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/?api=${encodeURIComponent(relay.url)}`
})

test.afterAll(async () => {
  page?.closeAllConnections()
  await new Promise((resolve) => page?.close(resolve))
  await relay?.close()
})

/** The answer's text as the page saved it (exact: no rendering in between). */
function savedAnswer(target: Page): Promise<{ status: string; text: string } | undefined> {
  return target.evaluate(() => {
    const messages = JSON.parse(localStorage.getItem('sluice-relay-page:messages') ?? '[]') as {
      role: string
      status: string
      parts: { type: string; text?: string }[]
    }[]
    const answer = messages.filter((message) => message.role === 'assistant').at(-1)
    if (answer === undefined) return undefined
    const text = answer.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text ?? '')
      .join('')
    return { status: answer.status, text }
  })
}

test('reload mid-answer: the answer continues where it was, exact; a second page watches it live', async ({
  context,
}) => {
  const first = await context.newPage()
  await first.goto(pageUrl)
  await sendMessage(first, 'Count for me.')
  const answer = lastAnswer(first)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  // A few words in, well before the end (60 words at 10 words/s).
  await expect
    .poll(async () => (await answerText(answer)).split(' ').length, { timeout: 15_000 })
    .toBeGreaterThan(5)
  const callsBefore = relay.providerCalls()
  const beforeReload = (await savedAnswer(first))!
  expect(beforeReload.status).toBe('streaming')
  expect(devRelayAnswer.startsWith(beforeReload.text)).toBe(true)

  await first.reload()
  const resumed = lastAnswer(first)
  // Still streaming after the reload: it follows the running stream, not a finished copy.
  await expect(resumed).toHaveAttribute('data-status', 'streaming')

  // A second page on the same conversation (same storage) follows it live.
  const second = await context.newPage()
  await second.goto(pageUrl)
  const watched = lastAnswer(second)
  await expect(watched).toHaveAttribute('data-status', 'streaming')
  const liveLength = (await answerText(watched)).length

  for (const target of [first, second]) {
    await expect(lastAnswer(target)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 })
    expect(await answerText(lastAnswer(target))).toBe(devRelayAnswer)
    await expect.poll(async () => (await savedAnswer(target))?.text).toBe(devRelayAnswer)
    await expect(target.locator('[data-role="assistant"]')).toHaveCount(1)
  }
  // The second page saw the answer grow, not only its end.
  expect(liveLength).toBeLessThan(devRelayAnswer.length)
  expect(relay.providerCalls()).toBe(callsBefore)
})
