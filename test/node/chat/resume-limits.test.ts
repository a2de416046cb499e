/**
 * The resume transport's limits over real local HTTP (node:http on 127.0.0.1, a free port), as
 * the fetch transport has them: `firstByteTimeout` and `idleTimeout` per connection (a silent
 * server ends the answer `interrupted` with its text kept and a message naming the timeout, and
 * no DELETE: the stream stays on the server for `resume()`), error bodies read with the byte
 * cap, and an HTML page where the stream should be named as such. Timeouts are short here; the
 * assertions on time are generous (two shared cores).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  fillerChunk,
  openaiDone,
  openaiFrame,
  sleep,
  startTestServer,
  type TestServer,
} from '../http/http-server.ts'
import { lastMessage, messageText } from './helpers.ts'

vi.mock('react', () => ({}))

const sse = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }
const twoHundredMegabytes = 200 * 1024 * 1024

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** An SSE frame with an id, as a stream-keeping server sends them (so a reconnect can resume). */
function withId(id: number, frame: string): string {
  return `id: ${id}\n${frame}`
}

/** Every request the server saw, as `METHOD url`. */
function recorder() {
  const seen: string[] = []
  return {
    seen,
    record: (method: string | undefined, url: string | undefined) => seen.push(`${method} ${url}`),
  }
}

async function ask(api: string, options: Partial<Parameters<typeof createChat>[0]> = {}) {
  const chat = createChat({ api, protocol: 'openai-chat', resume: { attempts: 2, delay: 10 }, ...options })
  await chat.send('Hello')
  return { chat, answer: lastMessage(chat.getState()) }
}

describe('resume: timeouts', () => {
  it('headers, then silence: interrupted after firstByteTimeout, naming it', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, sse)
      response.flushHeaders()
    })
    const started = Date.now()
    const { chat, answer } = await ask(`${server.origin}/api/chat`, { firstByteTimeout: 300 })
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('first-byte-timeout')
    expect(answer.error?.message).toContain(
      'The server sent nothing for 300 ms after the request (firstByteTimeout)',
    )
    expect(answer.error?.message).toContain('raise firstByteTimeout')
    // Never before the timeout (no upper bound: a loaded machine may be slow to notice it).
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(chat.getState().status).not.toBe('streaming')
    // The stream id is on the message, for a resume() that continues it.
    expect(answer.metadata?.streamId).toEqual(expect.any(String))
  })

  it('part of the answer, then silence: interrupted after idleTimeout with the text kept; the connection closes, no DELETE', async () => {
    const requests = recorder()
    server = await startTestServer(async ({ request, response, write }) => {
      requests.record(request.method, request.url)
      response.writeHead(200, sse)
      await write(withId(1, openaiFrame('The first half, ')))
      await write(withId(2, openaiFrame('then nothing.')))
    })
    const { answer } = await ask(`${server.origin}/api/chat`, { idleTimeout: 400 })
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer)).toBe('The first half, then nothing.')
    expect(answer.error?.code).toBe('idle-timeout')
    expect(answer.error?.message).toContain('No part of the answer arrived for 400 ms (idleTimeout)')
    expect(answer.error?.message).toContain('The text so far is kept')
    // The server got the request (its text arrived), so it sees the client go.
    await server.clientClosed
    // A timeout is not a stop: the stream is left on the server, so resume() can continue it.
    expect(requests.seen).toEqual([expect.stringMatching(/^POST \/api\/chat$/)])
  })

  it('a reconnection that stalls times out too (its own timer): the text of the first connection is kept', async () => {
    const requests = recorder()
    server = await startTestServer(async ({ request, response, write }) => {
      requests.record(request.method, request.url)
      response.writeHead(200, sse)
      if (request.method === 'POST') {
        // The first connection drops mid-answer; the reconnection sends a keep-alive, then silence.
        await write(withId(1, openaiFrame('Before the drop.')))
        response.end()
        return
      }
      await write(': replaying\n\n')
    })
    const { answer } = await ask(`${server.origin}/api/chat`, { idleTimeout: 400 })
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.code).toBe('idle-timeout')
    expect(messageText(answer)).toBe('Before the drop.')
    // The reconnection asked to continue after the last event it had.
    expect(requests.seen.some((line) => line.startsWith('GET /api/chat?streamId='))).toBe(true)
  })

  it('a slow drip that stays under idleTimeout completes, exact', async () => {
    const words = Array.from({ length: 8 }, (_, index) => `w${index} `)
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, sse)
      for (const [index, word] of words.entries()) {
        await write(withId(index + 1, openaiFrame(word)))
        await sleep(40)
      }
      await write(openaiDone)
      response.end()
    })
    // A drip every 40 ms against a 5 s idle timeout: far apart even on a loaded machine.
    const { answer } = await ask(`${server.origin}/api/chat`, { idleTimeout: 5000, firstByteTimeout: 5000 })
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe(words.join(''))
  })
})

describe('resume: bodies', () => {
  it('a 500 with a 200 MB HTML body: status, type and title shown, the body never read whole', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(500, { 'content-type': 'text/html; charset=utf-8' })
      if (!(await write('<html><head><title>Internal Server Error</title></head><body>'))) return
      for (let sent = 0; sent < twoHundredMegabytes; sent += fillerChunk.byteLength) {
        if (!(await write(fillerChunk))) return
      }
      response.end()
    })
    const { answer } = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.status).toBe(500)
    expect(answer.error?.message).toContain('500 Internal Server Error')
    expect(answer.error?.message).toContain('HTML page (text/html)')
    expect(answer.error?.message).toContain('"Internal Server Error"')
    expect(answer.error!.message.length).toBeLessThan(600)
    await server.clientClosed
    // The client hung up after its cap: the server could not push the 200 MB (socket buffers aside).
    expect(server.bytesWritten).toBeLessThan(64 * 1024 * 1024)
  })

  it('a JSON error body gives the provider its own words and the status', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }),
      )
    })
    const { answer } = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error).toMatchObject({ message: 'Incorrect API key provided', status: 401 })
  })

  it('a 200 HTML page where the stream should be says so, quoting its title', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(
        '<!doctype html><html><head><title>Acme Chat</title></head><body><div id="root"></div></body></html>',
      )
    })
    const { answer } = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.code).toBe('unexpected-content-type')
    expect(answer.error?.message).toContain('expected an SSE stream (text/event-stream)')
    expect(answer.error?.message).toContain('received an HTML page (text/html) ("Acme Chat")')
    expect(answer.error?.message).not.toContain('<div')
  })
})
