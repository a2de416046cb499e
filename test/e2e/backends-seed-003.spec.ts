/**
 * Seed 003 (`agent-events`) end to end: the built playground against the real aof-runtime
 * `StreamEvent` backend (`backends/seed-003-agent-events.ts`), over SSE and over a WebSocket:
 * tool cards from `ToolCallStart` / `ToolCallComplete`, iterations as steps, `Done`'s content and
 * tokens, and the shared suite (stop, kill, several answers, send while streaming, failure).
 */
import { expect, test } from '@playwright/test'
import { seed003ToolCalls, startSeed003Server } from '../../backends/seed-003-agent-events.ts'
import type { RunningBackend } from '../../backends/shared/reference-server.ts'
import {
  answer,
  defineSharedBackendTests,
  type E2eBackend,
  openBackend,
  savedAnswers,
  wordsAnswer,
} from './backends-helpers.ts'
import { answerText as renderedText, sendMessage } from './playground.ts'

// One backend per file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' })

let server: RunningBackend

test.beforeAll(async () => {
  server = await startSeed003Server()
})
test.afterAll(async () => {
  await server.close()
})

function seed003(transport: 'fetch' | 'websocket', tagging = 'internal'): E2eBackend {
  const query = tagging === 'internal' ? '' : `?tagging=${tagging}`
  return {
    name: 'seed-003',
    target: {
      url: transport === 'fetch' ? `${server.httpUrl}/stream${query}` : `${server.websocketUrl}/ws${query}`,
      protocol: 'agent-events',
      transport,
    },
    socket: transport === 'websocket',
    log: async () => server.log.entries(),
    clearLog: async () => server.log.clear(),
    kill: () => server.stop(),
    restart: () => server.restart(),
  }
}

const [weather, search] = seed003ToolCalls

for (const transport of ['fetch', 'websocket'] as const) {
  test.describe(`seed 003 over ${transport === 'fetch' ? 'SSE' : 'a WebSocket'}`, () => {
    defineSharedBackendTests({ backend: () => seed003(transport) })

    test('tools: cards appear running with their input, then succeed or fail with the error; the answer follows', async ({
      page,
    }) => {
      await openBackend(page, seed003(transport).target)
      // Every state the weather card takes, recorded in the page as it happens: polling for the
      // "running" window from the test runner misses it on a loaded machine. The tool runs for
      // 2 s (tool_delay; 150 ms was painted late under load, and 1 s was once missed on a loaded
      // CI machine whose page got no frame in that second), the chunks stay fast.
      await page.evaluate((toolId) => {
        const states: { state: string; at: number }[] = []
        ;(window as unknown as { weatherCardStates: typeof states }).weatherCardStates = states
        const record = () => {
          const card = document.querySelector(`[data-tool-call-id="${toolId}"]`)
          const state = card?.getAttribute('data-state')
          if (state && states.at(-1)?.state !== state)
            states.push({ state, at: Math.round(performance.now()) })
        }
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          attributeFilter: ['data-state'],
        })
      }, weather.tool_id)
      await sendMessage(page, '[[scenario=tools delay=20 tool_delay=2000 words=10]] What is the weather?')
      const first = page.locator(`[data-tool-call-id="${weather.tool_id}"]`)
      await expect(first).toHaveAttribute('data-tool-name', weather.tool_name)
      await expect(first).toContainText('Paris')
      await expect(first).toHaveAttribute('data-state', 'output-available')
      // ToolCallComplete follows 1 s after ToolCallStart: the card was running first.
      const recorded = await page.evaluate(
        () => (window as unknown as { weatherCardStates: { state: string; at: number }[] }).weatherCardStates,
      )
      const states = recorded.map((entry) => entry.state)
      // (The call's input is complete at ToolCallStart, so "input-available" may come first.)
      // The times (ms, page clock) are in the message so a failure shows how long each state lasted.
      expect(
        states.filter((state) => state !== 'input-available'),
        JSON.stringify(recorded),
      ).toEqual(['running', 'output-available'])
      expect(states.at(-1)).toBe('output-available')
      // ToolCallComplete's execution_time_ms (at least the 2 s the tool ran) is named on the card.
      await expect(first.locator('[data-sluice="tool-call-time"]')).toHaveText(
        /^took ([2-9]|\d{2,})(\.\d)? s$/,
      )
      const second = page.locator(`[data-tool-call-id="${search.tool_id}"]`)
      await expect(second).toHaveAttribute('data-state', 'output-error')
      await expect(second).toContainText(search.error)
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(10))
      await expect(answer(page, 0).locator('[data-sluice="reasoning"]')).toHaveCount(1)
    })

    test('iterations show as steps "Step 1 of 5" and "Step 2 of 5"', async ({ page }) => {
      await openBackend(page, seed003(transport).target)
      await sendMessage(page, '[[scenario=tools delay=5 words=4]] Steps please')
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      await expect(answer(page, 0).getByRole('separator', { name: 'Step 1 of 5' })).toBeVisible()
      await expect(answer(page, 0).getByRole('separator', { name: 'Step 2 of 5' })).toBeVisible()
    })

    test("Done's tokens become the answer's usage", async ({ page }) => {
      const question = '[[delay=5 words=9]] How many tokens?'
      await openBackend(page, seed003(transport).target)
      await sendMessage(page, question)
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      // Saved once at rest; the poll waits for the save of the finished answer.
      await expect
        .poll(async () => (await savedAnswers(page)).map((saved) => saved.status))
        .toEqual(['complete'])
      const [saved] = await savedAnswers(page)
      expect(saved!.usage).toMatchObject({
        inputTokens: question.split(/\s+/).filter(Boolean).length,
        outputTokens: 9,
      })
    })
  })
}

test.describe('seed 003 serde taggings', () => {
  for (const tagging of ['external', 'snake']) {
    test(`${tagging} tagging streams the same exact answer`, async ({ page }) => {
      await openBackend(page, seed003('fetch', tagging).target)
      await sendMessage(page, '[[scenario=tools delay=5 words=6]] Hi')
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(6))
      await expect(page.locator(`[data-tool-call-id="${search.tool_id}"]`)).toHaveAttribute(
        'data-state',
        'output-error',
      )
    })
  }
})
