/**
 * Helpers for the playground end-to-end tests: open a state by URL, send a message, find the
 * last answer, save a screenshot as a test artifact.
 *
 * @module
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test'

/** Every `ProtocolId` (CONTRACT.md): the playground mocks each one. */
export const providers = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'ollama',
  'gemini',
  'ai-sdk',
  'ag-ui',
  'stream-chunk',
  'stream-delta',
  'agent-events',
  'message-events',
  'text',
] as const

/** The `text` scenario's answer, as written in `playground/src/mocks/scenarios.ts`. */
export const textAnswer =
  'Hello! I am a mocked assistant. Every word you see arrived as a streamed chunk, decoded from the exact wire format of the provider you picked.'

/** Open the playground at a query string and wait until it can take a message. */
export async function openPlayground(page: Page, query: string): Promise<void> {
  await page.goto(`./?${query}`)
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable()
}

/** Type a message and press the Send button. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('button', { name: 'Send', exact: true }).click()
}

/** The last assistant message of the thread. */
export function lastAnswer(page: Page): Locator {
  return page.locator('[data-role="assistant"]').last()
}

/** The visible answer text of a message (its text parts, without reasoning, tool cards or status). */
export async function answerText(message: Locator): Promise<string> {
  return message.evaluate((element) => {
    return (
      Array.from(element.querySelectorAll<HTMLElement>('[data-sluice="message-text"]'))
        // The rendered text (block breaks as newlines, nothing hidden), as a reader sees it.
        .map((node) => node.innerText)
        .join('\n')
        .trim()
    )
  })
}

/** Save a screenshot of the page as an artifact of the running test (under `test-results/e2e/`). */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/** One observation of the last answer. */
export interface AnswerObservation {
  /** Its `data-status`. */
  status: string
  /** The length of its text parts. */
  textLength: number
  /** Whether it shows a typing indicator (`role="status"`). */
  typing: boolean
  /** The log's `aria-busy`. */
  busy: boolean
}

/**
 * Watch the last assistant message from inside the page (a MutationObserver), so every status
 * and every text length it goes through is seen, however busy the machine running the test is.
 * Call before sending; read with {@link readAnswerHistory}.
 */
export async function watchAnswer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const history: { status: string; textLength: number; typing: boolean; busy: boolean }[] = []
    ;(window as unknown as { __answerHistory: typeof history }).__answerHistory = history
    const observe = () => {
      const answers = document.querySelectorAll<HTMLElement>('[data-role="assistant"]')
      const answer = answers[answers.length - 1]
      if (answer === undefined) return
      const textLength = Array.from(
        answer.querySelectorAll<HTMLElement>('[data-sluice="message-text"]'),
      ).reduce((total, node) => total + (node.textContent ?? '').length, 0)
      const observation = {
        status: answer.dataset.status ?? '',
        textLength,
        typing: answer.querySelector('[role="status"]') !== null,
        busy: document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'true',
      }
      const last = history[history.length - 1]
      if (last === undefined || JSON.stringify(last) !== JSON.stringify(observation))
        history.push(observation)
    }
    new MutationObserver(observe).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-status', 'aria-busy'],
    })
  })
}

/** What {@link watchAnswer} saw, in order. */
export async function readAnswerHistory(page: Page): Promise<AnswerObservation[]> {
  return page.evaluate(() => (window as unknown as { __answerHistory: AnswerObservation[] }).__answerHistory)
}
