/**
 * Suggestion chips in the built playground (the `suggestions` scenario): the chips come after the
 * answer, never while it streams; one click sends that text as the next user message and the old
 * answer's chips go away. On the AI SDK UI stream they are the stream's own (a `data-suggestions`
 * part); on Chat Completions, whose wire has no data part, they are the playground's own list.
 * Other scenarios show none.
 */
import { expect, type Page, test } from '@playwright/test'
import { answerText, lastAnswer, openPlayground, sendMessage } from './playground.ts'

/** `streamSuggestions` in `playground/src/mocks/scenarios.ts`. */
const streamSuggestions = ['What is there to see in Lisbon?', 'And the capital of Spain?']
/** `playgroundSuggestions` in `playground/src/components/thread.tsx`. */
const appSuggestions = ['Tell me more about Portugal', 'Suggest a day trip']

interface Observation {
  /** How many user messages and answers the thread shows. */
  questions: number
  answers: number
  /** The last answer's `data-status` (empty before any answer). */
  status: string
  /** The chips' texts, or null when there is no "Suggestions" group. */
  chips: string[] | null
}

/**
 * Record, from inside the page, every state of the thread's last answer and of the chips (a
 * MutationObserver), so a chip shown for one frame while the answer streams is seen however slow
 * the machine running the test is.
 */
async function watchSuggestions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const history: Observation[] = []
    ;(window as unknown as { __suggestionHistory: Observation[] }).__suggestionHistory = history
    const observe = () => {
      const answers = document.querySelectorAll<HTMLElement>('[data-role="assistant"]')
      const group = document.querySelector('[role="group"][aria-label="Suggestions"]')
      const observation: Observation = {
        questions: document.querySelectorAll('[data-role="user"]').length,
        answers: answers.length,
        status: answers[answers.length - 1]?.dataset.status ?? '',
        chips: group
          ? Array.from(group.querySelectorAll('button'), (button) => button.textContent ?? '')
          : null,
      }
      const last = history[history.length - 1]
      if (last === undefined || JSON.stringify(last) !== JSON.stringify(observation))
        history.push(observation)
    }
    observe()
    new MutationObserver(observe).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-status'],
    })
  })
}

async function readHistory(page: Page): Promise<Observation[]> {
  return page.evaluate(
    () => (window as unknown as { __suggestionHistory: Observation[] }).__suggestionHistory,
  )
}

/** Send, see the chips after the answer (never before), click one, see it sent and the old chips gone. */
async function chipsAfterAnswerThenClick(page: Page, expected: readonly string[]): Promise<void> {
  await watchSuggestions(page)
  await sendMessage(page, 'What is the capital of Portugal?')
  const group = page.getByRole('group', { name: 'Suggestions' })
  await expect(group.getByRole('button')).toHaveText([...expected])
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')

  const first = (await readHistory(page)).filter((observation) => observation.questions === 1)
  // The answer was seen streaming, with no chips; the chips came with (or after) its end.
  expect(first.some((observation) => observation.status === 'streaming')).toBe(true)
  expect(
    first.filter((observation) => observation.chips !== null && observation.status !== 'complete'),
  ).toEqual([])
  expect(first.at(-1)).toEqual({ questions: 1, answers: 1, status: 'complete', chips: [...expected] })

  const chosen = expected[1] ?? ''
  await group.getByRole('button', { name: chosen }).click()
  const questions = page.locator('[data-role="user"]')
  await expect(questions).toHaveCount(2)
  expect(await answerText(questions.last())).toBe(chosen)
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(2)
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(group.getByRole('button')).toHaveText([...expected])

  const second = (await readHistory(page)).filter((observation) => observation.questions === 2)
  // The old answer's chips went away as the suggestion was sent, and the new ones came only with
  // the new answer's end.
  expect(second[0]?.chips).toBeNull()
  expect(
    second.filter(
      (observation) =>
        observation.chips !== null && (observation.answers !== 2 || observation.status !== 'complete'),
    ),
  ).toEqual([])
  expect(second.at(-1)).toEqual({ questions: 2, answers: 2, status: 'complete', chips: [...expected] })
}

test('AI SDK stream: the answer’s data-suggestions come after it ends, one click sends, the old chips go', async ({
  page,
}) => {
  await openPlayground(page, 'provider=ai-sdk&scenario=suggestions&tps=30')
  await chipsAfterAnswerThenClick(page, streamSuggestions)
})

test('Chat Completions (no data part on the wire): the playground’s own list, after the answer, one click sends', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=suggestions&tps=30')
  await chipsAfterAnswerThenClick(page, appSuggestions)
})

test('another scenario offers no suggestions', async ({ page }) => {
  await openPlayground(page, 'provider=ai-sdk&scenario=text&tps=400')
  await sendMessage(page, 'Hello')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  // The answer is complete and rendered: a group would be there by now (it renders in the same commit).
  await expect(page.getByRole('group', { name: 'Suggestions' })).toHaveCount(0)
})
