/**
 * `firstByteTimeout` and `idleTimeout` over real local HTTP, for fetch and EventSource: a server
 * that sends headers and then nothing, one that sends part of the answer and stalls, one that
 * never answers at all, and a slow drip that stays under the idle timeout and completes.
 * Timeouts are short here; the assertions on time are generous (two shared cores).
 */
import { EventSource as UndiciEventSource } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  createEventSourceTransport,
  type EventSourceConstructor,
} from '../../../packages/core/src/chat/event-source-transport.ts'
import { createFetchTransport } from '../../../packages/core/src/chat/fetch-transport.ts'
import { lastMessage, messageText } from '../chat/helpers.ts'
import { openaiDone, openaiFrame, sleep, startTestServer, type TestServer } from './http-server.ts'

vi.mock('react', () => ({}))

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const sse = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

describe('fetch', () => {
  it('headers, then silence: the answer ends interrupted after firstByteTimeout, naming it', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, sse)
      response.flushHeaders()
    })
    const chat = createChat({
      api: `${server.origin}/api/chat`,
      protocol: 'openai-chat',
      firstByteTimeout: 300,
    })
    const started = Date.now()
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('first-byte-timeout')
    expect(answer.error?.message).toContain(
      'The server sent nothing for 300 ms after the request (firstByteTimeout)',
    )
    expect(answer.error?.message).toContain('raise firstByteTimeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(Date.now() - started).toBeLessThan(10_000)
    // The connection was closed: the server sees the client go.
    await server.clientClosed
    // Not left looking alive.
    expect(chat.getState().status).not.toBe('streaming')
  })

  it('no response at all (not even headers): firstByteTimeout too', async () => {
    server = await startTestServer(() => {})
    const chat = createChat({
      api: `${server.origin}/api/chat`,
      protocol: 'openai-chat',
      firstByteTimeout: 300,
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('first-byte-timeout')
    await server.clientClosed
  })

  it('part of the answer, then silence: interrupted after idleTimeout with the text kept', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, sse)
      await write(openaiFrame('The first half, '))
      await write(openaiFrame('then nothing.'))
    })
    const chat = createChat({ api: `${server.origin}/api/chat`, protocol: 'openai-chat', idleTimeout: 400 })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer)).toBe('The first half, then nothing.')
    expect(answer.error?.code).toBe('idle-timeout')
    expect(answer.error?.message).toBe(
      `No part of the answer arrived for 400 ms (idleTimeout) over fetch from ${server.origin}/api/chat. The text so far is kept; retry to ask again, or raise idleTimeout for a backend that pauses longer.`,
    )
    await server.clientClosed
  })

  it('a slow drip under the idle timeout completes with the exact text', async () => {
    const pieces = [
      'A ',
      'slow ',
      'drip ',
      'of ',
      'twelve ',
      'tokens, ',
      'one ',
      'every ',
      '200 ',
      'ms, ',
      'no ',
      'more.',
    ]
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, sse)
      for (const piece of pieces) {
        await write(openaiFrame(piece))
        await sleep(200)
      }
      response.end(openaiDone)
    })
    // The whole answer takes 2.4 s, past the idle timeout, yet no gap comes near it.
    const chat = createChat({ api: `${server.origin}/api/chat`, protocol: 'openai-chat', idleTimeout: 2000 })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe(pieces.join(''))
  })

  it('a JSON answer (stream: false) cut off mid-body by a silent server ends on idleTimeout', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"id":"chatcmpl-1","choices":[')
    })
    const chat = createChat({
      api: `${server.origin}/api/chat`,
      protocol: 'openai-chat',
      stream: false,
      idleTimeout: 300,
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('idle-timeout')
  })

  it('a 500 whose body never comes: an error with the status, not a hang', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(500, 'Internal Server Error', { 'content-type': 'text/html' })
      await write('<html><head><title>Overl')
    })
    const chat = createChat({
      api: `${server.origin}/api/chat`,
      protocol: 'openai-chat',
      retry: false,
      idleTimeout: 300,
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('error')
    expect(answer.error?.status).toBe(500)
    expect(answer.error?.message).toMatch(
      /^The server answered 500 Internal Server Error with an HTML page \(text\/html\), but its body could not be read \(No part of the answer arrived for 300 ms \(idleTimeout\)/,
    )
    await server.clientClosed
  })

  it("the transport's own options apply when the chat sets none", async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, sse)
      response.flushHeaders()
    })
    const chat = createChat({
      api: `${server.origin}/api/chat`,
      protocol: 'openai-chat',
      transport: createFetchTransport({ firstByteTimeout: 250 }),
    })
    await chat.send('Hello')
    expect(lastMessage(chat.getState()).error?.message).toContain(
      'for 250 ms after the request (firstByteTimeout)',
    )
  })
})

describe('EventSource', () => {
  const transport = createEventSourceTransport({
    EventSource: UndiciEventSource as unknown as EventSourceConstructor,
  })

  it('one message, then silence: interrupted after idleTimeout with the text kept', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, sse)
      await write(openaiFrame('Only this arrived.'))
    })
    const chat = createChat({
      api: `${server.origin}/stream`,
      protocol: 'openai-chat',
      transport,
      idleTimeout: 400,
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer)).toBe('Only this arrived.')
    expect(answer.error?.code).toBe('idle-timeout')
    expect(answer.error?.message).toContain('(idleTimeout) over EventSource from')
    await server.clientClosed
  })

  it('headers, then silence: interrupted after firstByteTimeout', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, sse)
      response.flushHeaders()
    })
    const chat = createChat({
      api: `${server.origin}/stream`,
      protocol: 'openai-chat',
      transport,
      firstByteTimeout: 300,
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('first-byte-timeout')
    expect(answer.error?.message).toContain('(firstByteTimeout) over EventSource to')
    await server.clientClosed
  })
})
