/**
 * Seed 002 (`stream-delta`) end to end: the built playground against the real ECS agent
 * framework backend (`backends/seed-002-stream-delta.ts`), whose `OpenAIProvider` streams
 * `StreamDelta { content, tool_calls, finish_reason, usage }`, over SSE and over a WebSocket:
 * the shared suite, the usage of the final delta, and the tools scenario, where the tool calls
 * arrive accumulated (whole) in the final delta with `finish_reason: "tool_calls"` and the
 * conversation goes on, with the tool's result, to the model's answer.
 */
import { expect, test } from '@playwright/test'
import { seed002ToolCalls, startSeed002Server } from '../../backends/seed-002-stream-delta.ts'
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
  server = await startSeed002Server()
})
test.afterAll(async () => {
  await server.close()
})

function seed002(transport: 'fetch' | 'websocket'): E2eBackend {
  return {
    name: 'seed-002',
    target: {
      url: transport === 'fetch' ? `${server.httpUrl}/stream` : `${server.websocketUrl}/ws`,
      protocol: 'stream-delta',
      transport,
    },
    socket: transport === 'websocket',
    log: async () => server.log.entries(),
    clearLog: async () => server.log.clear(),
    kill: () => server.stop(),
    restart: () => server.restart(),
  }
}

const [weather] = seed002ToolCalls

for (const transport of ['fetch', 'websocket'] as const) {
  test.describe(`seed 002 over ${transport === 'fetch' ? 'SSE' : 'a WebSocket'}`, () => {
    defineSharedBackendTests({ backend: () => seed002(transport) })

    test("the final delta's usage is the answer's usage", async ({ page }) => {
      const question = '[[delay=5 words=9]] How many tokens?'
      await openBackend(page, seed002(transport).target)
      await sendMessage(page, question)
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(9))
      // Saved once at rest; the poll waits for the save of the finished answer.
      await expect
        .poll(async () => (await savedAnswers(page)).map((saved) => saved.status))
        .toEqual(['complete'])
      const [saved] = await savedAnswers(page)
      const promptTokens = question.split(/\s+/).filter(Boolean).length
      expect(saved!.usage).toMatchObject({
        inputTokens: promptTokens,
        outputTokens: 9,
        totalTokens: promptTokens + 9,
      })
    })

    test('tools: the tool_calls accumulated in the final delta show a get_weather card with its input', async ({
      page,
    }) => {
      await openBackend(page, seed002(transport).target)
      await sendMessage(page, '[[scenario=tools delay=10 words=10]] What is the weather?')
      const card = page.locator(`[data-tool-call-id="${weather!.id}"]`)
      await expect(card).toHaveAttribute('data-tool-name', weather!.name)
      await expect(card).toContainText(String(weather!.arguments.city))
      await expect(answer(page, 0)).toContainText('Let me check the weather.')
      await expect(answer(page, 0)).not.toHaveAttribute('data-status', /pending|streaming|error/)
    })

    // Seed 002's provider hands the accumulated calls to the app: the playground runs
    // get_weather and calls the backend again with the call and its result in `messages`.
    test("tools: after the tool runs, the scenario continues to the model's answer", async ({ page }) => {
      await openBackend(page, seed002(transport).target)
      await sendMessage(page, '[[scenario=tools delay=10 words=10]] What is the weather?')
      const card = page.locator(`[data-tool-call-id="${weather!.id}"]`)
      await expect(card).toHaveAttribute('data-tool-name', weather!.name)
      // The tool's result goes back to the backend, which answers it with the text.
      await expect(card).toHaveAttribute('data-state', 'output-available')
      await expect(page.getByRole('log')).toContainText(wordsAnswer(10))
      await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute('data-status', 'complete')
      await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
      const requests = (await server.log.entries()).filter((entry) => entry.event === 'request')
      expect(requests, 'the call, then the answer to the tool result').toHaveLength(2)
    })
  })
}

test.describe('seed 002 in a framing the playground does not ask for', () => {
  test('an NDJSON body read as SSE is a clear error naming the protocol and both framings', async ({
    page,
  }) => {
    await openBackend(page, { url: `${server.httpUrl}/stream?framing=ndjson`, protocol: 'stream-delta' })
    await sendMessage(page, '[[delay=5 words=13]] Lines')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'error')
    await expect(answer(page, 0)).toContainText('stream-delta')
    await expect(answer(page, 0)).toContainText(/text\/event-stream/)
    await expect(answer(page, 0)).toContainText(/application\/x-ndjson/)
    await expect(answer(page, 0).getByRole('button', { name: 'Retry' })).toBeVisible()
  })
})
