import { describe, expect, it } from 'vitest'
import { createStallTimer, stallError } from './stall-timer.ts'
import { ChatRequestError } from './transport.ts'

const never = () => new Promise<never>(() => {})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('createStallTimer', () => {
  it('fails a pending read with a first-byte timeout that names the option', async () => {
    const stalled: ChatRequestError[] = []
    const timer = createStallTimer({
      firstByteTimeout: 50,
      idleTimeout: 10_000,
      url: '/api/chat',
      transport: 'fetch',
      onStall: (error) => stalled.push(error),
    })
    const error = await timer.race(never()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ChatRequestError)
    expect(error).toMatchObject({ kind: 'interrupted', code: 'first-byte-timeout' })
    expect((error as Error).message).toContain('(firstByteTimeout) over fetch to /api/chat')
    expect(stalled).toEqual([error])
    expect(timer.error).toBe(error)
    // Every later read fails the same way at once.
    await expect(timer.race(Promise.resolve(1))).rejects.toBe(error)
    timer.dispose()
  })

  it('progress switches to the idle timeout and restarts its clock', async () => {
    const timer = createStallTimer({
      firstByteTimeout: 10_000,
      idleTimeout: 120,
      url: 'u',
      transport: 'fetch',
    })
    timer.progress()
    for (let index = 0; index < 5; index++) {
      await sleep(40)
      timer.progress()
    }
    // 200 ms in all, never 120 ms of silence: still alive.
    expect(timer.error).toBeUndefined()
    const error = await timer.race(never()).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'idle-timeout' })
    timer.dispose()
  })

  it('with onlyWhileReading, a slow consumer (no read pending) is not a silent server', async () => {
    const timer = createStallTimer({
      firstByteTimeout: 10_000,
      idleTimeout: 100,
      url: 'u',
      transport: 'fetch',
      onlyWhileReading: true,
    })
    timer.progress()
    await sleep(300)
    expect(timer.error).toBeUndefined()
    // The clock starts again with the read: a chunk that is already there is not late.
    await expect(timer.race(Promise.resolve('chunk'))).resolves.toBe('chunk')
    await expect(timer.race(never())).rejects.toMatchObject({ code: 'idle-timeout' })
    timer.dispose()
  })

  it('0 turns a timeout off; dispose stops the timer', async () => {
    const off = createStallTimer({ firstByteTimeout: 0, idleTimeout: 0, url: 'u', transport: 'fetch' })
    await sleep(30)
    expect(off.error).toBeUndefined()
    off.dispose()
    const disposed = createStallTimer({ firstByteTimeout: 20, idleTimeout: 20, url: 'u', transport: 'fetch' })
    disposed.dispose()
    await sleep(60)
    expect(disposed.error).toBeUndefined()
  })
})

describe('stallError', () => {
  it('says what to change', () => {
    expect(stallError('idleTimeout', 60_000, 'EventSource', '/stream').message).toBe(
      'No part of the answer arrived for 60000 ms (idleTimeout) over EventSource from /stream. The text so far is kept; retry to ask again, or raise idleTimeout for a backend that pauses longer.',
    )
  })
})
