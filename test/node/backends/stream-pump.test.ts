/**
 * The reference backends' pump: what counts as a chunk "after the stop" (produced after the stop
 * arrived, not one whose write was under way when it arrived), and per-frame pauses (a tool
 * running for `tool_delay`).
 */
import { describe, expect, test } from 'vitest'
import { defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import { createObservationLog } from '../../../backends/shared/observation-log.ts'
import { pumpFrames } from '../../../backends/shared/stream-pump.ts'

describe('pumpFrames', () => {
  test('a stop that arrives while a chunk is being written: no chunk after it, the generator cancelled', async () => {
    const log = createObservationLog('test')
    const cancel = new AbortController()
    let writes = 0
    const outcome = await pumpFrames({
      log,
      request: 'r1',
      behaviour: { ...defaultBehaviour, delay: 5 },
      frames: ['a', 'b', 'c', 'd'],
      failFrames: () => [],
      die: () => {},
      cancel: cancel.signal,
      write: async () => {
        writes++
        // The second write is slow; the stop arrives during it.
        if (writes === 2) {
          cancel.abort()
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        return true
      },
    })
    expect(outcome).toBe('cancelled')
    const events = log.entries().map((entry) => [entry.event, entry.index, entry.stopArrivedWhileWriting])
    expect(events).toEqual([
      ['chunk', 0, undefined],
      ['chunk', 1, true],
      ['generator-cancelled', undefined, undefined],
    ])
  })

  test('a backend told to ignore the stop: every chunk produced after it is logged as after the stop', async () => {
    const log = createObservationLog('test')
    const cancel = new AbortController()
    await pumpFrames({
      log,
      request: 'r1',
      behaviour: { ...defaultBehaviour, delay: 5, ignoreCancel: true },
      frames: ['a', 'b', 'c'],
      failFrames: () => [],
      die: () => {},
      cancel: cancel.signal,
      write: () => {
        cancel.abort()
        return true
      },
    })
    expect(log.entries().map((entry) => entry.event)).toEqual([
      'chunk',
      'chunk-after-stop',
      'chunk-after-stop',
      'completed',
    ])
  })

  test('per-frame delays replace the behaviour delay for that frame only', async () => {
    const log = createObservationLog('test')
    const times: number[] = []
    await pumpFrames({
      log,
      request: 'r1',
      behaviour: { ...defaultBehaviour, delay: 1 },
      frames: ['start', 'result', 'text'],
      delays: new Map([[1, 150]]),
      failFrames: () => [],
      die: () => {},
      cancel: new AbortController().signal,
      write: () => {
        times.push(performance.now())
        return true
      },
    })
    // Timers never fire early: the tool ran at least its 150 ms.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(149)
  })
})
