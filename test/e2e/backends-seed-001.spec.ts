/**
 * Seed 001 (`stream-chunk`) end to end: the built playground against the real `StreamChunk`
 * backend (`backends/seed-001-stream-chunk.ts`), over SSE and over a WebSocket.
 */
import { expect, test } from '@playwright/test'
import { startSeed001Server } from '../../backends/seed-001-stream-chunk.ts'
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
  server = await startSeed001Server()
})
test.afterAll(async () => {
  await server.close()
})

function seed001(transport: 'fetch' | 'websocket'): E2eBackend {
  return {
    name: 'seed-001',
    target: {
      url: transport === 'fetch' ? `${server.httpUrl}/stream` : `${server.websocketUrl}/ws`,
      protocol: 'stream-chunk',
      transport,
    },
    socket: transport === 'websocket',
    log: async () => server.log.entries(),
    clearLog: async () => server.log.clear(),
    kill: () => server.stop(),
    restart: () => server.restart(),
  }
}

test.describe('seed 001 over SSE', () => {
  defineSharedBackendTests({ backend: () => seed001('fetch') })

  test('token_count is the usage, and the chunk metadata is kept', async ({ page }) => {
    await openBackend(page, seed001('fetch').target)
    await sendMessage(page, '[[delay=10 words=9]] Count')
    await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
    expect(await renderedText(answer(page, 0))).toBe(wordsAnswer(9))
    // Saved once at rest; the poll waits for the save of the finished answer.
    await expect
      .poll(async () => (await savedAnswers(page)).map((saved) => saved.status))
      .toEqual(['complete'])
    const [saved] = await savedAnswers(page)
    expect(saved!.usage).toMatchObject({ outputTokens: 9 })
    expect(JSON.stringify(saved!.metadata ?? {})).toContain('token_ids')
  })
})

test.describe('seed 001: token_count on screen', () => {
  for (const transport of ['fetch', 'websocket'] as const) {
    test(`over ${transport === 'fetch' ? 'SSE' : 'a WebSocket'}: the count grows while the answer streams, then the final count`, async ({
      page,
    }) => {
      await openBackend(page, seed001(transport).target)
      // Every count the answer shows, with its status and text length at that moment, recorded in
      // the page as it changes (a runner polling would miss steps on a loaded machine).
      await page.evaluate(() => {
        const seen: { tokens: string; status: string; textLength: number }[] = []
        ;(window as unknown as { usageSeen: typeof seen }).usageSeen = seen
        const record = () => {
          const root = document.querySelector<HTMLElement>('[data-role="assistant"]')
          const tokens = root?.querySelector('[data-sluice="message-usage-tokens"]')?.textContent ?? ''
          if (root === null || root === undefined || tokens === '') return
          const textLength = Array.from(root.querySelectorAll('[data-sluice="message-text"]')).reduce(
            (total, node) => total + (node.textContent ?? '').length,
            0,
          )
          const last = seen.at(-1)
          const status = root.dataset.status ?? ''
          if (last?.tokens === tokens && last.status === status && last.textLength === textLength) return
          seen.push({ tokens, status, textLength })
        }
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
          attributeFilter: ['data-status'],
        })
      })
      await sendMessage(page, '[[delay=80 words=16]] Count as you go')
      await expect(answer(page, 0)).toHaveAttribute('data-status', 'complete')
      await expect(answer(page, 0).getByText('16 tokens', { exact: true })).toBeVisible()
      const seen = await page.evaluate(
        () =>
          (window as unknown as { usageSeen: { tokens: string; status: string; textLength: number }[] })
            .usageSeen,
      )
      const streaming = seen.filter((entry) => entry.status === 'streaming')
      const counts = streaming.map((entry) => Number(/^(\d+) tokens?$/.exec(entry.tokens)?.[1]))
      for (const count of counts) expect(count).toBeGreaterThan(0)
      for (let index = 1; index < counts.length; index++)
        expect(counts[index]!).toBeGreaterThanOrEqual(counts[index - 1]!)
      // The count and the text come from the same chunks: as many steps as the text was seen to
      // take while streaming (at least two), up to three.
      const lengths = new Set(streaming.map((entry) => entry.textLength))
      expect(lengths.size, 'the text grew on screen while streaming').toBeGreaterThan(1)
      expect(new Set(counts).size).toBeGreaterThanOrEqual(Math.min(3, lengths.size))
      // Progress: the first count shown was part of the answer, not its total.
      expect(counts[0]).toBeLessThan(16)
      expect(seen.at(-1)).toMatchObject({ tokens: '16 tokens', status: 'complete' })
    })
  }
})

test.describe('seed 001 over a WebSocket', () => {
  defineSharedBackendTests({ backend: () => seed001('websocket') })
})
