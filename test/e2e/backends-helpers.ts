/**
 * Helpers for the end-to-end tests against the reference backends (`backends/`): start a backend
 * once per spec file, point the built playground at it by URL, watch every answer's status and
 * text from inside the page with timestamps, read the backend's observation log, and the suite of
 * tests every seed shares (placeholder and growth, exact text, stop seen by the server, a killed
 * server, several answers on one connection, reconnect, send while streaming, a failure).
 *
 * The backends log `Date.now()`; the page's timestamps are `performance.timeOrigin +
 * performance.now()`: the same machine's clock, so the two compare.
 *
 * @module
 */
import { expect, type Locator, type Page, test } from '@playwright/test'
import { answerText, defaultBehaviour } from '../../backends/shared/behaviour.ts'
import type { Observation } from '../../backends/shared/observation-log.ts'
import { openPlayground, answerText as renderedText, sendMessage } from './playground.ts'

/** What the playground URL says about the backend. */
export interface BackendTarget {
  url: string
  protocol: string
  transport?: 'fetch' | 'websocket' | 'eventsource' | 'auto'
  inlineTags?: boolean
}

/** A reference backend as a spec drives it. */
export interface E2eBackend {
  /** `seed-001`, … (for messages). */
  name: string
  target: BackendTarget
  log(): Promise<Observation[]>
  clearLog(): Promise<void>
  /** Die as a killed process does (every connection dropped, nothing listening). */
  kill(): Promise<void>
  /** Listen again on the same port. */
  restart(): Promise<void>
  /** Whether answers on this target share one connection (a WebSocket). */
  socket: boolean
}

/** Open the playground pointed at a backend. */
export async function openBackend(page: Page, target: BackendTarget): Promise<void> {
  const parameters = new URLSearchParams({ backend: target.url, backendProtocol: target.protocol })
  if (target.transport !== undefined) parameters.set('backendTransport', target.transport)
  if (target.inlineTags !== undefined) parameters.set('backendInlineTags', target.inlineTags ? '1' : '0')
  await openPlayground(page, parameters.toString())
}

/** One change seen in the page: an answer's status or text length, with the page's epoch time. */
export interface AnswerChange {
  id: string
  at: number
  status: string
  textLength: number
}

/**
 * Record every assistant message's status and text length as they change (a MutationObserver,
 * so nothing is missed however busy the machine is). Call after opening the page.
 */
export async function watchAnswers(page: Page): Promise<void> {
  await page.evaluate(() => {
    const changes: { id: string; at: number; status: string; textLength: number }[] = []
    ;(window as unknown as { __answerChanges: typeof changes }).__answerChanges = changes
    const last = new Map<string, string>()
    const observe = () => {
      for (const answer of document.querySelectorAll<HTMLElement>('[data-role="assistant"]')) {
        const id = answer.dataset.messageId ?? ''
        const textLength = Array.from(
          answer.querySelectorAll<HTMLElement>('[data-sluice="message-text"]'),
        ).reduce((total, node) => total + (node.textContent ?? '').length, 0)
        const status = answer.dataset.status ?? ''
        const key = `${status}|${textLength}`
        if (last.get(id) === key) continue
        last.set(id, key)
        changes.push({ id, at: performance.timeOrigin + performance.now(), status, textLength })
      }
    }
    new MutationObserver(observe).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-status'],
    })
  })
}

/**
 * Record, inside the page, when each click on a button named `name` happened
 * (`performance.timeOrigin + event.timeStamp`, the moment the browser dispatched the click): a
 * runner's `Date.now()` before `click()` also counts Playwright's actionability checks and the
 * round trip, which a loaded machine stretches past any bound. Call after opening the page.
 */
export async function recordClicks(page: Page, name: string): Promise<void> {
  await page.evaluate((name) => {
    const clicks: number[] = []
    ;(window as unknown as { __clicks: Record<string, number[]> }).__clicks ??= {}
    ;(window as unknown as { __clicks: Record<string, number[]> }).__clicks[name] = clicks
    document.addEventListener(
      'click',
      (event) => {
        const button = event.target instanceof Element ? event.target.closest('button') : null
        if (button === null) return
        const label = button.getAttribute('aria-label') ?? button.textContent?.trim() ?? ''
        if (label === name) clicks.push(performance.timeOrigin + event.timeStamp)
      },
      { capture: true },
    )
  }, name)
}

/** The page times of the clicks {@link recordClicks} saw on the button named `name`. */
export function recordedClicks(page: Page, name: string): Promise<number[]> {
  return page.evaluate(
    (name) => (window as unknown as { __clicks?: Record<string, number[]> }).__clicks?.[name] ?? [],
    name,
  )
}

/** What {@link watchAnswers} recorded, in order. */
export function answerChanges(page: Page): Promise<AnswerChange[]> {
  return page.evaluate(() => (window as unknown as { __answerChanges: AnswerChange[] }).__answerChanges)
}

/** The `index`-th assistant message (0: the first). */
export function answer(page: Page, index: number) {
  return page.locator('[data-role="assistant"]').nth(index)
}

/** The answer the playground saved (its conversation store keeps whole messages, usage included). */
export async function savedAnswers(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(() => {
    const raw = localStorage.getItem('sluice-playground:conversations')
    const conversations =
      raw === null ? {} : (JSON.parse(raw) as Record<string, { messages: { role: string }[] }>)
    return Object.values(conversations).flatMap((conversation) =>
      conversation.messages.filter((message) => message.role === 'assistant'),
    ) as Record<string, unknown>[]
  })
}

/** The expected text of a `words`-word answer (the backends compute it with the same function). */
export function wordsAnswer(words: number): string {
  return answerText({ ...defaultBehaviour, words })
}

/** The observations of the `index`-th request in a log. */
export function requestEvents(log: readonly Observation[], index = 0): Observation[] {
  const requests = log.filter((entry) => entry.event === 'request')
  const id = requests[index]?.request
  return id === undefined ? [] : log.filter((entry) => entry.request === id)
}

/** Wait until the backend's log satisfies `check` (bounded). */
export async function waitForLog(
  backend: E2eBackend,
  check: (log: Observation[]) => boolean,
  timeout = 10_000,
): Promise<Observation[]> {
  let log: Observation[] = []
  await expect
    .poll(
      async () => {
        log = await backend.log()
        return check(log)
      },
      { timeout, message: `the ${backend.name} log never matched` },
    )
    .toBe(true)
  return log
}

/** Read a whole JSON-lines `/log` endpoint. */
export async function fetchLog(httpUrl: string): Promise<Observation[]> {
  const response = await fetch(`${httpUrl}/log`)
  return (await response.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Observation)
}

/** Options of {@link defineSharedBackendTests}. */
export interface SharedTestOptions {
  /** The backend, once `beforeAll` started it. */
  backend: () => E2eBackend
  /** Prefix each message so the backend plays a given behaviour (its `[[…]]` directive). */
  directive?: (knobs: string) => string
  /**
   * Open the page that talks to the backend; default {@link openBackend} (the built playground).
   * A target the playground cannot reach (Socket.IO) opens a page of its own.
   */
  open?: (page: Page, target: BackendTarget) => Promise<void>
}

/**
 * The tests every seed shares, on one backend and transport. Each test clears the backend's log
 * first (the tests of a file run one after another in one worker).
 */
export function defineSharedBackendTests(options: SharedTestOptions): void {
  const say = (knobs: string, text: string) => `[[${knobs}]] ${text}`
  const open = options.open ?? openBackend

  test.beforeEach(async () => {
    await options.backend().clearLog()
  })

  test('placeholder, then text that grows, then the exact final text, complete', async ({ page }) => {
    const backend = options.backend()
    await open(page, backend.target)
    await watchAnswers(page)
    // 20 chunks 100 ms apart: a page on a loaded machine (load 17-20) that paints every few
    // hundred milliseconds still shows the text in more than three steps (40 ms apart it showed
    // three).
    await sendMessage(page, say('first_delay=400 delay=100 words=20', 'Tell me something'))
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(20))
    const changes = await answerChanges(page)
    const statuses = [...new Set(changes.map((change) => change.status))]
    expect(statuses[0]).toBe('pending')
    expect(statuses).toContain('streaming')
    expect(statuses.at(-1)).toBe('complete')
    const lengths = changes
      .filter((change) => change.status === 'streaming')
      .map((change) => change.textLength)
    expect(new Set(lengths).size).toBeGreaterThan(3)
    for (let index = 1; index < lengths.length; index++)
      expect(lengths[index]!).toBeGreaterThanOrEqual(lengths[index - 1]!)
    await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
  })

  test('Stop: the server sees it within 1 s and produces no chunk after it; the partial text stays', async ({
    page,
  }) => {
    const backend = options.backend()
    await open(page, backend.target)
    await recordClicks(page, 'Stop')
    await sendMessage(page, say('delay=80 words=300', 'Go on and on'))
    await expect.poll(async () => (await renderedText(answer(page, 0))).length).toBeGreaterThan(20)
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'cancelled')
    const partial = await renderedText(answer(page, 0))
    expect(wordsAnswer(300).startsWith(partial)).toBe(true)
    const log = await waitForLog(backend, (entries) =>
      requestEvents(entries).some((entry) => entry.event === 'generator-cancelled'),
    )
    const events = requestEvents(log)
    const cancel = events.find((entry) => entry.event === 'cancel-received')
    expect(cancel, `${backend.name} never saw the stop`).toBeDefined()
    // From the click as the page dispatched it to the server's own log time (one machine's clock).
    const [stoppedAt] = await recordedClicks(page, 'Stop')
    expect(stoppedAt, 'the page saw no click on Stop').toBeDefined()
    expect(cancel!.at - stoppedAt!, 'from the click on Stop to the server seeing the stop').toBeLessThan(1000)
    expect(events.filter((entry) => entry.event === 'chunk-after-stop')).toEqual([])
    expect(events.some((entry) => entry.event === 'completed')).toBe(false)
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  })

  test('the server killed mid-stream: interrupted within 2 s with the text kept, then after a restart a complete answer', async ({
    page,
  }) => {
    const backend = options.backend()
    await open(page, backend.target)
    await watchAnswers(page)
    await sendMessage(page, say('delay=60 words=300', 'Keep talking'))
    await expect.poll(async () => (await renderedText(answer(page, 0))).length).toBeGreaterThan(20)
    const killedAt = Date.now()
    await backend.kill()
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'interrupted', { timeout: 20_000 })
    const interrupted = (await answerChanges(page)).find((change) => change.status === 'interrupted')!
    expect(interrupted.at - killedAt, 'time from the kill to "interrupted"').toBeLessThan(2000)
    const kept = await renderedText(answer(page, 0))
    expect(kept.length).toBeGreaterThan(20)
    expect(wordsAnswer(300).startsWith(kept)).toBe(true)

    await backend.restart()
    await sendMessage(page, say('delay=10 words=12', 'Are you back?'))
    await expect(answer(page, 1)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 1))).toBe(wordsAnswer(12))
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'interrupted')
    expect(await renderedText(answer(page, 0))).toBe(kept)
  })

  test('three answers in a row, each exact (one connection when the transport is a socket)', async ({
    page,
  }) => {
    const backend = options.backend()
    await open(page, backend.target)
    for (const [index, words] of [7, 11, 5].entries()) {
      await sendMessage(page, say(`delay=10 words=${words}`, `Question ${index + 1}`))
      await expect(answer(page, index)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(page, index))).toBe(wordsAnswer(words))
    }
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(3)
    if (backend.socket) {
      const log = await backend.log()
      const connections = new Set(
        log.filter((entry) => entry.event === 'request').map((entry) => String(entry.connection)),
      )
      expect(connections.size, 'the answers shared one socket').toBe(1)
    }
  })

  test('send right after Stop while the server keeps streaming the old answer: the new answer is whole, the old one untouched', async ({
    page,
  }) => {
    const backend = options.backend()
    await open(page, backend.target)
    await sendMessage(page, say('delay=40 words=300 ignore_cancel=1', 'A long one'))
    await expect.poll(async () => (await renderedText(answer(page, 0))).length).toBeGreaterThan(20)
    await page.getByRole('button', { name: 'Stop' }).click()
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'cancelled')
    const partial = await renderedText(answer(page, 0))
    await sendMessage(page, say('delay=40 words=40', 'A new question'))
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()
    await expect(answer(page, 1)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 1))).toBe(wordsAnswer(40))
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'cancelled')
    expect(await renderedText(answer(page, 0))).toBe(partial)
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(2)
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  })

  test('a failure mid-stream ends the answer "error" with the text so far and the reason', async ({
    page,
  }) => {
    const backend = options.backend()
    await open(page, backend.target)
    await sendMessage(page, say('delay=10 words=40 fail_after=12', 'Try'))
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'error')
    const kept = await renderedText(answer(page, 0))
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.startsWith(wordsAnswer(40).slice(0, 20))).toBe(true)
    await expect(answer(page, 0)).toContainText(/fail|crash|error/i)
    await expect(answer(page, 0).getByRole('button', { name: 'Retry' })).toBeVisible()
  })
}

/** Whether every request in a log has ended (completed, failed, cancelled or died). */
export function everyRequestEnded(log: readonly Observation[]): boolean {
  const ended = new Set(
    log
      .filter((entry) => ['completed', 'failed', 'generator-cancelled', 'died'].includes(entry.event))
      .map((entry) => entry.request),
  )
  return log.filter((entry) => entry.event === 'request').every((entry) => ended.has(entry.request))
}

/**
 * Wait until the backend streams nothing any more. A server that broadcasts every answer to
 * every socket of its channel and keeps streaming after a client goes (seed 004) would
 * otherwise stream a test's leftover answer into the next test's page.
 */
export async function waitForIdleBackend(backend: E2eBackend, timeout = 30_000): Promise<void> {
  await waitForLog(backend, everyRequestEnded, timeout)
}

/**
 * A tool card opened as a reader opens it: a finished card folds to its summary ("get_weather
 * Done in 1 s"), so its input is read after a click on that summary.
 */
export async function openToolCard(card: Locator): Promise<Locator> {
  const toggle = card.getByRole('button').first()
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  return card
}
