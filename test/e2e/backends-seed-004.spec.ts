/**
 * Seed 004 (`message-events`) end to end: the built playground against the real FastAPI +
 * uvicorn + websockets backend (`backends/seed-004-fastapi/server.py` on Debian's
 * `/usr/bin/python3`, started by `backends/seed-004-python.ts`) over its WebSocket route `/ws`
 * (its HTTP routes are the log and control ones; the seed streams over the socket only).
 *
 * The shared suite, and the seed's own facts: every event is broadcast as `{type, data}`
 * (`event`/`payload` and flat too); the server echoes the user's own message first (`message_new`
 * with `author_type: "user"`), which is not the answer; `message_new` with `metadata.streaming:
 * false` is a complete message from another agent of the channel; `author_name` shows; an error
 * is the final chunk with `metadata.error` and ends the answer `error`; Stop sends
 * `stream_cancel`, the server's named cancel event, on the same socket; tool calls named in the
 * final chunks' metadata show running, then done when `message_update` brings the final version.
 */
import { expect, type Locator, type Page, test } from '@playwright/test'
import { type RunningSeed004, startSeed004Python } from '../../backends/seed-004-python.ts'
import {
  answer,
  defineSharedBackendTests,
  type E2eBackend,
  openBackend,
  openToolCard,
  requestEvents,
  waitForIdleBackend,
  waitForLog,
  wordsAnswer,
} from './backends-helpers.ts'
import { answerText as renderedText, sendMessage } from './playground.ts'

// One backend per file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' })

let server: RunningSeed004

test.beforeAll(async () => {
  server = await startSeed004Python()
})
test.afterAll(async () => {
  await server.close()
})
// The server broadcasts every answer to every socket of the channel and keeps streaming when a
// client goes ("Client disconnect: Streaming continues"): a test's leftover answer (Stop with
// ignore_cancel) would stream into the next test's page. The next test starts when it is over.
test.afterEach(async () => {
  await waitForIdleBackend(seed004())
})

function seed004(envelope = 'type-data'): E2eBackend {
  const query = envelope === 'type-data' ? '' : `?envelope=${envelope}`
  return {
    name: 'seed-004',
    target: { url: `${server.websocketUrl}${query}`, protocol: 'message-events', transport: 'websocket' },
    socket: true,
    log: () => server.log(),
    clearLog: () => server.clearLog(),
    kill: () => server.kill(),
    restart: () => server.restart(),
  }
}

/** The messages of the thread whose author line names `name`. */
function byAuthor(page: Page, name: string): Locator {
  return page.locator('[data-role="assistant"]').filter({
    has: page.locator('[data-sluice="message-author"]', { hasText: new RegExp(`^${name}:?$`) }),
  })
}

/** The (one) seed 004 tool call of the `tools` scenario, as the FastAPI server names it. */
const weatherToolId = 'tool_weather_1'
/** The tool's result the server appends as one more chunk. */
const weatherResultText = 'get_weather: 21 °C and sunny in Paris.'

test.describe('seed 004 on FastAPI over a WebSocket', () => {
  defineSharedBackendTests({ backend: () => seed004() })

  test("the echo of the user's own message is not the answer; the answer shows its author_name", async ({
    page,
  }) => {
    const question = '[[delay=10 words=8]] Hello there, backend'
    await openBackend(page, seed004().target)
    await sendMessage(page, question)
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(8))
    await expect(answer(page, 0).locator('[data-sluice="message-author"]')).toHaveText(/^backend:?$/)
    // The server's echo (message_new, author_type "user", streaming false) adds no message.
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
    await expect(page.locator('[data-role="user"]')).toHaveCount(1)
    await expect(page.locator('[data-role="user"]')).toContainText('Hello there, backend')
  })

  test('message_new with metadata.streaming false is a complete message from another agent, with its author', async ({
    page,
  }) => {
    await openBackend(page, seed004().target)
    await sendMessage(page, '[[peer=1 delay=10 words=6]] Who takes this?')
    const peer = byAuthor(page, 'frontend')
    await expect(peer).toHaveCount(1)
    await expect(peer).toHaveAttribute('data-status', 'complete')
    await expect(peer).toContainText('I will let @backend take this one.')
    const mine = byAuthor(page, 'backend')
    await expect(mine).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(mine)).toBe(wordsAnswer(6))
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(2)
    await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  })

  test('an error in the final chunk\'s metadata ends the answer "error", its wording shown once', async ({
    page,
  }) => {
    await openBackend(page, seed004().target)
    await sendMessage(page, '[[delay=10 words=30 fail_after=6]] Fail please')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'error')
    const wording = 'The model provider failed mid-stream (told to fail by the test).'
    const shown = await answer(page, 0).evaluate((element) => (element as HTMLElement).innerText)
    expect(shown.split(wording).length - 1, `"${wording}" in ${JSON.stringify(shown)}`).toBe(1)
    expect(await renderedText(answer(page, 0))).toContain(wordsAnswer(6))
    // The message_update that follows the error does not turn it complete.
    await waitForLog(seed004(), (log) => requestEvents(log).some((entry) => entry.event === 'failed'))
    await page.waitForTimeout(300)
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'error')
  })

  test('Stop sends stream_cancel on the same socket: the generator stops, and the next answer uses that socket', async ({
    page,
  }) => {
    await openBackend(page, seed004().target)
    await sendMessage(page, '[[delay=60 words=300]] Talk')
    await expect.poll(async () => (await renderedText(answer(page, 0))).length).toBeGreaterThan(20)
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'cancelled')
    const log = await waitForLog(seed004(), (entries) =>
      requestEvents(entries).some((entry) => entry.event === 'generator-cancelled'),
    )
    const cancel = requestEvents(log).find((entry) => entry.event === 'cancel-received')
    expect(cancel?.how).toBe('stream_cancel')
    const socket = requestEvents(log).find((entry) => entry.event === 'request')?.connection
    expect(
      log.some((entry) => entry.event === 'connection-closed' && entry.connection === socket),
      'the socket stayed open',
    ).toBe(false)

    await sendMessage(page, '[[delay=10 words=5]] Again')
    await expect(answer(page, 1)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 1))).toBe(wordsAnswer(5))
    const after = await server.log()
    const connections = new Set(
      after.filter((entry) => entry.event === 'request').map((entry) => String(entry.connection)),
    )
    expect(connections.size).toBe(1)
  })

  test('tools: the call named in the final chunks shows running, then done with the result text', async ({
    page,
  }) => {
    await openBackend(page, seed004().target)
    await page.evaluate((toolId) => {
      const states: string[] = []
      ;(window as unknown as { cardStates: string[] }).cardStates = states
      const record = () => {
        const state = document.querySelector(`[data-tool-call-id="${toolId}"]`)?.getAttribute('data-state')
        if (state && states.at(-1) !== state) states.push(state)
      }
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      })
    }, weatherToolId)
    // The card runs from the final text chunk to the result chunk, one `delay` later: 600 ms, so
    // a loaded machine that paints late still paints "running" (150 ms was missed under load).
    await sendMessage(page, '[[scenario=tools delay=600 words=3]] Weather?')
    const card = page.locator(`[data-tool-call-id="${weatherToolId}"]`)
    await expect(card).toHaveAttribute('data-tool-name', 'get_weather')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(await openToolCard(card)).toContainText('Paris')
    const states = await page.evaluate(() => (window as unknown as { cardStates: string[] }).cardStates)
    expect(states.filter((state) => state !== 'input-available')).toEqual(['running', 'output-available'])
    const text = await renderedText(answer(page, 0))
    expect(text.startsWith(wordsAnswer(3))).toBe(true)
    expect(text).toContain(weatherResultText)
  })
})

test.describe('seed 004: two clients in one channel', () => {
  // The server broadcasts every message of the channel to every client and its frames name no
  // request: a client adopts the placeholder announced after the echo of its own message, and
  // never a message whose announcement its socket did not see (websocket-transport.ts, ownerOf).
  test("another client's answer streaming on the channel is not taken for this page's answer", async ({
    browser,
  }) => {
    const first = await browser.newPage()
    const second = await browser.newPage()
    try {
      await openBackend(first, seed004().target)
      await openBackend(second, seed004().target)
      await sendMessage(first, '[[delay=40 words=120]] A long one for the first client')
      await expect.poll(async () => (await renderedText(answer(first, 0))).length).toBeGreaterThan(20)
      await sendMessage(second, '[[delay=10 words=7]] A short one for the second client')
      await expect(answer(second, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(second, 0))).toBe(wordsAnswer(7))
      // The first client's answer, met mid-stream, is not shown here as a message of its own either.
      await expect(second.locator('[data-role="assistant"]')).toHaveCount(1)
      await expect(answer(first, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(first, 0))).toBe(wordsAnswer(120))
    } finally {
      await first.close()
      await second.close()
    }
  })
})

test.describe('seed 004 envelopes', () => {
  for (const envelope of ['event-payload', 'flat']) {
    test(`the ${envelope} envelope streams the same exact answer`, async ({ page }) => {
      await openBackend(page, seed004(envelope).target)
      await sendMessage(page, '[[delay=5 words=10]] Hi')
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(10))
      await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
    })
  }
})
