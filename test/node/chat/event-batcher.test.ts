/** Batching: one store update per frame, terminal events flush at once, the queue is bounded. */
import { expect, it, vi } from 'vitest'
import { createEventBatcher } from '../../../packages/core/src/chat/event-batcher.ts'
import { createManualScheduler } from '../../../packages/core/src/chat/frame-scheduler.ts'
import type { ChatEvent } from '../../../packages/core/src/events.ts'

vi.mock('react', () => ({}))

const delta = (text: string): ChatEvent => ({ type: 'text-delta', messageId: 'a', id: 't', delta: text })

it('applies everything received in a frame as one batch', () => {
  const batches: ChatEvent[][] = []
  const scheduler = createManualScheduler()
  const batcher = createEventBatcher({ apply: (events) => batches.push([...events]), scheduler })
  batcher.push(delta('a'))
  batcher.push(delta('b'))
  batcher.push(delta('c'))
  expect(batches).toEqual([])
  expect(scheduler.pending).toBe(1)
  scheduler.flush()
  expect(batches).toEqual([[delta('a'), delta('b'), delta('c')]])
})

it('flushes at once on a terminal event, with what came before it', () => {
  const batches: ChatEvent[][] = []
  const scheduler = createManualScheduler()
  const batcher = createEventBatcher({ apply: (events) => batches.push([...events]), scheduler })
  batcher.push(delta('a'))
  batcher.push({ type: 'message-end', messageId: 'a' })
  expect(batches).toEqual([[delta('a'), { type: 'message-end', messageId: 'a' }]])
  expect(scheduler.pending).toBe(0)
})

it('never holds more than maxBatchSize events', () => {
  const sizes: number[] = []
  const batcher = createEventBatcher({
    apply: (events) => sizes.push(events.length),
    scheduler: createManualScheduler(),
    maxBatchSize: 3,
  })
  for (let index = 0; index < 7; index++) batcher.push(delta(String(index)))
  expect(sizes).toEqual([3, 3])
  expect(batcher.size).toBe(1)
})
