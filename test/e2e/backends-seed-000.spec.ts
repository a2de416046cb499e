/**
 * Seed 000 (`openai-chat` + `inlineTags`) end to end: the built playground against the real
 * OpenAI-compatible backend (`backends/seed-000-openai-compatible.ts`), whose model writes
 * `<think>…</think>` and `<tool_call>{…}</tool_call>` inline in its text. Over Chat Completions
 * SSE, and through the non-streaming fallback (`mode=json`: one `chat.completion` JSON body with
 * the same tags): the reasoning and the tool call show as such, never as raw tags, and the agent
 * loop (the playground runs `get_weather`) continues to the model's answer.
 *
 * The seed is HTTP only: the shared suite's socket checks do not apply (`socket: false`).
 */
import { expect, type Locator, type Page, test } from '@playwright/test'
import {
  seed000Reasoning,
  seed000ToolCall,
  seed000ToolPreamble,
  startSeed000Server,
} from '../../backends/seed-000-openai-compatible.ts'
import type { RunningBackend } from '../../backends/shared/reference-server.ts'
import {
  answer,
  defineSharedBackendTests,
  type E2eBackend,
  openBackend,
  openToolCard,
  requestEvents,
  savedAnswers,
  wordsAnswer,
} from './backends-helpers.ts'
import { answerText as renderedText, sendMessage } from './playground.ts'

// One backend per file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' })

let server: RunningBackend

test.beforeAll(async () => {
  server = await startSeed000Server()
})
test.afterAll(async () => {
  await server.close()
})

function seed000(): E2eBackend {
  return {
    name: 'seed-000',
    target: { url: `${server.httpUrl}/v1`, protocol: 'openai-chat', transport: 'fetch', inlineTags: true },
    socket: false,
    log: async () => server.log.entries(),
    clearLog: async () => server.log.clear(),
    kill: () => server.stop(),
    restart: () => server.restart(),
  }
}

/**
 * The reasoning of an answer, opened as a reader opens it (it closes by itself to "Thought for
 * N s" once the answer goes on), so its text can be read.
 */
async function openedReasoning(message: Locator): Promise<Locator> {
  const reasoning = message.locator('[data-sluice="reasoning"]')
  await expect(reasoning).toHaveCount(1)
  const toggle = reasoning.getByRole('button').first()
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  return reasoning
}

/** Every piece of text the thread shows, tags or not (the answers, their reasoning, their cards). */
function threadText(page: Page): Promise<string> {
  return page.getByRole('log').evaluate((log) => (log as HTMLElement).innerText)
}

test.describe('seed 000 over SSE, inline tags', () => {
  defineSharedBackendTests({ backend: seed000 })

  test('reasoning in <think> shows as reasoning, the answer text is exact, no raw tag anywhere', async ({
    page,
  }) => {
    await openBackend(page, seed000().target)
    await sendMessage(page, '[[scenario=reasoning delay=10 words=14]] Think first')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(14))
    await expect(await openedReasoning(answer(page, 0))).toContainText(seed000Reasoning)
    expect(await threadText(page)).not.toMatch(/<\/?think>|<\/?tool_call>/)
  })

  test('a streamed <tool_call> becomes a get_weather card; the playground runs it and the model answers', async ({
    page,
  }) => {
    await openBackend(page, seed000().target)
    await sendMessage(page, '[[scenario=tools delay=10 words=9]] What is the weather?')
    const card = page.locator(`[data-tool-name="${seed000ToolCall.name}"]`)
    await expect(card).toHaveCount(1)
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(await openToolCard(card)).toContainText(seed000ToolCall.arguments.city)
    await expect(page.getByRole('log')).toContainText(wordsAnswer(9))
    await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute('data-status', 'complete')
    await expect(page.getByRole('log')).toContainText(seed000ToolPreamble)
    await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
    expect(await threadText(page)).not.toMatch(/<\/?think>|<\/?tool_call>/)
    // Two requests: the call, then the answer to the tool result.
    const log = await server.log.entries()
    expect(log.filter((entry) => entry.event === 'request')).toHaveLength(2)
  })

  test("usage from the include_usage chunk is the answer's usage", async ({ page }) => {
    await openBackend(page, seed000().target)
    await sendMessage(page, '[[delay=5 words=6]] Count')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    // Saved once at rest; the poll waits for the save of the finished answer.
    await expect
      .poll(async () => (await savedAnswers(page)).map((saved) => saved.status))
      .toEqual(['complete'])
    const [saved] = await savedAnswers(page)
    const usage = saved!.usage as { inputTokens: number; outputTokens: number; totalTokens: number }
    // The backend counts the prompt's words and one completion token per streamed piece.
    expect(usage.inputTokens).toBe('[[delay=5 words=6]] Count'.split(/\s+/).length)
    expect(usage.outputTokens).toBeGreaterThanOrEqual(6)
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens)
  })
})

test.describe('seed 000 non-streaming fallback (one JSON body)', () => {
  test.beforeEach(() => server.log.clear())

  test('a JSON answer with <think> shows the reasoning and the exact text, no raw tags', async ({ page }) => {
    await openBackend(page, seed000().target)
    await sendMessage(page, '[[mode=json scenario=reasoning words=11]] Not streaming')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(11))
    await expect(await openedReasoning(answer(page, 0))).toContainText(seed000Reasoning)
    expect(await threadText(page)).not.toMatch(/<\/?think>|<\/?tool_call>/)
    const [request] = (await server.log.entries()).filter((entry) => entry.event === 'request')
    expect(request?.stream, 'the server answered one JSON body').toBe(false)
  })

  test('a JSON answer with <tool_call> shows the tool card; after the tool runs, the answer follows', async ({
    page,
  }) => {
    await openBackend(page, seed000().target)
    await sendMessage(page, '[[mode=json scenario=tools words=8]] Weather, not streaming')
    const card = page.locator(`[data-tool-name="${seed000ToolCall.name}"]`)
    await expect(card).toHaveCount(1)
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(await openToolCard(card)).toContainText(seed000ToolCall.arguments.city)
    await expect(page.getByRole('log')).toContainText(wordsAnswer(8))
    await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute('data-status', 'complete')
    await expect(await openedReasoning(answer(page, 0))).toContainText(seed000Reasoning)
    await expect(page.getByRole('log')).toContainText(seed000ToolPreamble)
    expect(await threadText(page)).not.toMatch(/<\/?think>|<\/?tool_call>/)
    const log = await server.log.entries()
    const requests = log.filter((entry) => entry.event === 'request')
    expect(requests.map((entry) => entry.stream)).toEqual([false, false])
    expect(requestEvents(log, 1).some((entry) => entry.event === 'completed')).toBe(true)
  })
})
