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
    await expect.poll(async () => (await savedAnswers(page)).length).toBe(1)
    const [saved] = await savedAnswers(page)
    expect(saved!.usage).toMatchObject({ outputTokens: 9 })
    expect(JSON.stringify(saved!.metadata ?? {})).toContain('token_ids')
  })
})

test.describe('seed 001 over a WebSocket', () => {
  defineSharedBackendTests({ backend: () => seed001('websocket') })
})
