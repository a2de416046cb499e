/**
 * Seed 001's reference backend emits exactly `StreamChunk { text, is_complete, token_count,
 * metadata }` (timing and token ids in `metadata`), ends with `is_complete: true`, stops its
 * generator when the client goes away and logs it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startSeed001Server } from '../../../backends/seed-001-stream-chunk.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { RunningBackend } from '../../../backends/shared/reference-server.ts'
import {
  eventsOfRequest,
  eventually,
  keys,
  ndjson,
  openSocket,
  post,
  sseJson,
  userMessage,
} from './helpers.ts'

let backend: RunningBackend

beforeAll(async () => {
  backend = await startSeed001Server({ behaviour: { delay: 2 } })
})
afterAll(() => backend.close())
beforeEach(() => backend.log.clear())

interface Chunk {
  text: string
  is_complete: boolean
  token_count: number
  metadata: { generation_time_ms: number; token_ids: number[] } | null
}

function checkStreamChunks(frames: unknown[], words: number): void {
  const chunks = frames as Chunk[]
  for (const chunk of chunks) expect(keys(chunk)).toEqual(['is_complete', 'metadata', 'text', 'token_count'])
  expect(chunks).toHaveLength(words + 1)
  chunks.slice(0, -1).forEach((chunk, index) => {
    expect(chunk.is_complete).toBe(false)
    expect(chunk.token_count).toBe(index + 1)
    expect(keys(chunk.metadata)).toEqual(['generation_time_ms', 'token_ids'])
    expect(chunk.metadata!.token_ids).toHaveLength(1)
    expect(Number.isInteger(chunk.metadata!.token_ids[0])).toBe(true)
  })
  const last = chunks.at(-1)!
  expect(last).toEqual({ text: '', is_complete: true, token_count: words, metadata: null })
  expect(chunks.map((chunk) => chunk.text).join('')).toBe(answerText({ ...defaultBehaviour, words }))
}

describe('seed 001 over HTTP', () => {
  test('SSE: one StreamChunk per token, cumulative token_count, a completing chunk', async () => {
    const response = await post(`${backend.httpUrl}/stream?words=7`, userMessage('Hello'))
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    checkStreamChunks(await sseJson(response), 7)
    expect(eventsOfRequest(backend.log.entries()).at(-1)).toBe('completed')
  })

  test('NDJSON framing carries the same chunks', async () => {
    const response = await post(`${backend.httpUrl}/stream?words=5&framing=ndjson`, userMessage('Hello'))
    expect(response.headers.get('content-type')).toBe('application/x-ndjson')
    checkStreamChunks(await ndjson(response), 5)
  })

  test('a directive in the user message sets the exact text', async () => {
    const response = await post(`${backend.httpUrl}/stream`, userMessage('[[text=Hi_there words=3]] go'))
    const chunks = (await sseJson(response)) as Chunk[]
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('Hi_there')
  })

  test('fail_after sends {"error"} after N chunks and nothing else', async () => {
    const response = await post(`${backend.httpUrl}/stream?fail_after=3`, userMessage('Hello'))
    const frames = await sseJson(response)
    expect(frames).toHaveLength(4)
    expect(keys(frames[3])).toEqual(['error'])
    expect(typeof (frames[3] as { error: unknown }).error).toBe('string')
  })

  test('die_after drops the connection: the body errors instead of ending', async () => {
    const response = await post(`${backend.httpUrl}/stream?die_after=2`, userMessage('Hello'))
    await expect(sseJson(response)).rejects.toThrow()
    expect(eventsOfRequest(backend.log.entries())).toContain('died')
  })

  test('a client abort is seen at once and the generator stops without another chunk', async () => {
    const controller = new AbortController()
    const response = await post(
      `${backend.httpUrl}/stream?delay=50&words=200`,
      userMessage('Hello'),
      controller.signal,
    )
    const reader = response.body!.getReader()
    await reader.read()
    const abortedAt = Date.now()
    controller.abort()
    const log = await eventually(() => {
      const entries = backend.log.entries()
      expect(eventsOfRequest(entries)).toContain('generator-cancelled')
      return entries
    })
    const cancel = log.find((entry) => entry.event === 'cancel-received')!
    expect(cancel.how).toBe('connection-closed')
    expect(cancel.at - abortedAt).toBeLessThan(1000)
    expect(eventsOfRequest(log)).not.toContain('chunk-after-stop')
    expect(eventsOfRequest(log)).not.toContain('completed')
  })

  test('ignore_cancel keeps generating and logs every chunk sent after the stop', async () => {
    const controller = new AbortController()
    const response = await post(
      `${backend.httpUrl}/stream?delay=10&words=20&ignore_cancel=1`,
      userMessage('Hi'),
      controller.signal,
    )
    await response.body!.getReader().read()
    controller.abort()
    await eventually(() => expect(eventsOfRequest(backend.log.entries())).toContain('completed'))
    expect(
      eventsOfRequest(backend.log.entries()).filter((event) => event === 'chunk-after-stop').length,
    ).toBeGreaterThan(5)
  })

  test('a body that is not JSON is a 400 naming the backend', async () => {
    const response = await fetch(`${backend.httpUrl}/stream`, { method: 'POST', body: '{nope' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /^seed-001: .*JSON/,
    )
  })
})

describe('seed 001 over a WebSocket', () => {
  test('answers one request after another on one socket, each ending with is_complete', async () => {
    const client = await openSocket(`${backend.websocketUrl}/ws?words=4`)
    const completes = () => client.frames.filter((frame) => (frame as Chunk).is_complete === true).length
    for (let answer = 1; answer <= 3; answer++) {
      client.send({ type: 'message', ...userMessage(`Question ${answer}`) })
      await eventually(() => expect(completes()).toBe(answer))
    }
    expect(client.frames).toHaveLength(3 * 5)
    checkStreamChunks(client.frames.slice(10), 4)
    client.close()
  })

  test('a cancel frame stops the answer; closing the socket is a cancel too', async () => {
    const client = await openSocket(`${backend.websocketUrl}/ws?delay=40&words=200`)
    client.send(userMessage('first'))
    await client.waitFor(() => true)
    client.send({ type: 'cancel' })
    await eventually(() => expect(eventsOfRequest(backend.log.entries())).toContain('generator-cancelled'))
    client.send(userMessage('second'))
    await eventually(() => expect(eventsOfRequest(backend.log.entries(), 1)).toContain('chunk'))
    client.close()
    await eventually(() => expect(eventsOfRequest(backend.log.entries(), 1)).toContain('generator-cancelled'))
    const cancels = backend.log.entries().filter((entry) => entry.event === 'cancel-received')
    expect(cancels.map((entry) => entry.how)).toEqual(['cancel-frame', 'connection-closed'])
    expect(backend.log.entries().some((entry) => entry.event === 'chunk-after-stop')).toBe(false)
  })

  test('die_after terminates the socket without a close frame', async () => {
    const client = await openSocket(`${backend.websocketUrl}/ws?die_after=3`)
    client.send(userMessage('Hello'))
    expect(await client.closed).toBe(1006)
    expect(client.frames).toHaveLength(3)
  })
})
