/**
 * Seed 004 (`message-events`) over Socket.IO end to end: a chat in Chromium on the `socketio`
 * transport, with `io` from the official `socket.io-client`, against the real Socket.IO server
 * (`backends/seed-004-socketio.ts`) that emits the seed's events as its own frontend snippets read
 * them (`socket.on('message_stream', …)`).
 *
 * The built playground has no Socket.IO backend mode, so the page is the README's quick-start
 * chat (`useStreamingChat`, `MessageList`, `Composer`, `theme.css`) bundled from the sources
 * (`test/bench/first-token-pages.ts`); it shows the same DOM contract the shared suite reads.
 *
 * The shared suite, and the seed's own facts: the user's echo is not the answer, `author_name`
 * shows, an error in the final chunk's metadata ends `error`, Stop emits `stream_cancel` on the
 * same socket, tool calls named in the final chunks show running then done.
 */
import { expect, type Page, test } from '@playwright/test'
import {
  type RunningSeed004SocketIo,
  seed004ToolCalls,
  seed004ToolResultText,
  startSeed004SocketIoServer,
} from '../../backends/seed-004-socketio.ts'
import { type FirstTokenPages, startFirstTokenPages } from '../bench/first-token-pages.ts'
import {
  answer,
  type BackendTarget,
  defineSharedBackendTests,
  type E2eBackend,
  openToolCard,
  requestEvents,
  waitForIdleBackend,
  waitForLog,
  wordsAnswer,
} from './backends-helpers.ts'
import { answerText as renderedText, sendMessage } from './playground.ts'

// One backend per file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' })

let server: RunningSeed004SocketIo
let pages: FirstTokenPages

test.beforeAll(async () => {
  ;[server, pages] = await Promise.all([startSeed004SocketIoServer(), startFirstTokenPages()])
})
test.afterAll(async () => {
  await Promise.all([server.close(), pages.close()])
})
// The server emits every event to the whole channel (`io.emit`) and keeps streaming when a client
// goes: a test's leftover answer (Stop with ignore_cancel) would reach the next test's page.
test.afterEach(async () => {
  await waitForIdleBackend(seed004SocketIo())
})

function seed004SocketIo(): E2eBackend {
  return {
    name: 'seed-004-socketio',
    target: { url: server.httpUrl, protocol: 'message-events' },
    socket: true,
    log: async () => server.log.entries(),
    clearLog: async () => server.log.clear(),
    kill: () => server.stop(),
    restart: () => server.restart(),
  }
}

/** Open the Socket.IO chat page on a backend and wait until it takes a message. */
async function openSocketIoChat(page: Page, target: BackendTarget): Promise<void> {
  await page.goto(`${pages.url}/socketio.html?backend=${encodeURIComponent(target.url)}`)
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable()
}

const [weather] = seed004ToolCalls

test.describe('seed 004 over Socket.IO', () => {
  defineSharedBackendTests({ backend: seed004SocketIo, open: openSocketIoChat })

  test("the echo of the user's own message is not the answer; the answer shows its author_name", async ({
    page,
  }) => {
    await openSocketIoChat(page, seed004SocketIo().target)
    await sendMessage(page, '[[delay=10 words=8]] Hello there, backend')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(8))
    await expect(answer(page, 0).locator('[data-sluice="message-author"]')).toHaveText(/^backend:?$/)
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
    await expect(page.locator('[data-role="user"]')).toHaveCount(1)
    await expect(page.locator('[data-role="user"]')).toContainText('Hello there, backend')
  })

  test('an error in the final chunk\'s metadata ends the answer "error", its wording shown once', async ({
    page,
  }) => {
    await openSocketIoChat(page, seed004SocketIo().target)
    await sendMessage(page, '[[delay=10 words=30 fail_after=6]] Fail please')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'error')
    const wording = 'The model provider failed mid-stream (told to fail by the test).'
    const shown = await answer(page, 0).evaluate((element) => (element as HTMLElement).innerText)
    expect(shown.split(wording).length - 1, `"${wording}" in ${JSON.stringify(shown)}`).toBe(1)
    expect(await renderedText(answer(page, 0))).toContain(wordsAnswer(6))
    await expect(answer(page, 0).getByRole('button', { name: 'Retry' })).toBeVisible()
  })

  test('Stop emits stream_cancel on the same socket: the generator stops, and the next answer uses that socket', async ({
    page,
  }) => {
    await openSocketIoChat(page, seed004SocketIo().target)
    await sendMessage(page, '[[delay=60 words=300]] Talk')
    await expect.poll(async () => (await renderedText(answer(page, 0))).length).toBeGreaterThan(20)
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'cancelled')
    const log = await waitForLog(seed004SocketIo(), (entries) =>
      requestEvents(entries).some((entry) => entry.event === 'generator-cancelled'),
    )
    expect(requestEvents(log).find((entry) => entry.event === 'cancel-received')?.how).toBe('stream_cancel')
    const socket = requestEvents(log).find((entry) => entry.event === 'request')?.connection
    expect(
      log.some((entry) => entry.event === 'connection-closed' && entry.connection === socket),
      'the socket stayed open',
    ).toBe(false)

    await sendMessage(page, '[[delay=10 words=5]] Again')
    await expect(answer(page, 1)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 1))).toBe(wordsAnswer(5))
    const connections = new Set(
      server.log
        .entries()
        .filter((entry) => entry.event === 'request')
        .map((entry) => String(entry.connection)),
    )
    expect(connections.size).toBe(1)
  })

  test('tools: the call named in the final chunks shows running, then done with the result text', async ({
    page,
  }) => {
    await openSocketIoChat(page, seed004SocketIo().target)
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
    }, weather!.id)
    // The card runs from the final text chunk to the result chunk, one `delay` later: 600 ms, so
    // a loaded machine that paints late still paints "running" (150 ms was missed under load).
    await sendMessage(page, '[[scenario=tools delay=600 words=3]] Weather?')
    const card = page.locator(`[data-tool-call-id="${weather!.id}"]`)
    await expect(card).toHaveAttribute('data-tool-name', weather!.name)
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(await openToolCard(card)).toContainText(weather!.arguments.city)
    const states = await page.evaluate(() => (window as unknown as { cardStates: string[] }).cardStates)
    expect(states.filter((state) => state !== 'input-available')).toEqual(['running', 'output-available'])
    const text = await renderedText(answer(page, 0))
    expect(text.startsWith(wordsAnswer(3))).toBe(true)
    expect(text).toContain(seed004ToolResultText.trim())
  })
})
