/**
 * Streams cut and encoded the way real networks deliver them, over real local HTTP: gzip-encoded
 * SSE (flushed per event, as a compressing proxy does), one byte per TCP write (multi-byte UTF-8
 * and `\r\n` split everywhere), any cut of the body into TCP writes (fast-check), and an HTML page
 * where an EventSource expected a stream.
 */
import { createGzip, constants as zlib } from 'node:zlib'
import fc from 'fast-check'
import { EventSource as UndiciEventSource } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  createEventSourceTransport,
  type EventSourceConstructor,
} from '../../../packages/core/src/chat/event-source-transport.ts'
import { lastMessage, messageText } from '../chat/helpers.ts'
import { openaiDone, openaiFrame, sleep, startTestServer, type TestServer } from './http-server.ts'

vi.mock('react', () => ({}))

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const pieces = ['Grüße ', 'aus ', '東京 ', '😀 ', 'und ', '“Zürich”.']

describe('bodies as networks deliver them', () => {
  it('gzip-encoded SSE, flushed per event, streams and completes with the exact text', async () => {
    let sawAcceptEncoding = ''
    server = await startTestServer(async ({ request, response }) => {
      sawAcceptEncoding = String(request.headers['accept-encoding'] ?? '')
      response.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' })
      const gzip = createGzip()
      gzip.pipe(response)
      for (const piece of pieces) {
        gzip.write(openaiFrame(piece))
        // Each event leaves the compressor at once, not when its window fills.
        await new Promise<void>((resolve) => gzip.flush(zlib.Z_SYNC_FLUSH, () => resolve()))
        await sleep(5)
      }
      gzip.end(openaiDone)
    })
    const chat = createChat({ api: `${server.origin}/api/chat`, protocol: 'openai-chat', retry: false })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(sawAcceptEncoding).toContain('gzip')
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe(pieces.join(''))
    // Decoded chunks reached the reader one event at a time (not as one body at the end).
    expect(answer.metrics?.chunks).toBeGreaterThan(1)
  })

  it('one byte per write (CRLF line ends, UTF-8 split inside characters) gives the exact text', async () => {
    const body = new TextEncoder().encode(
      (pieces.map((piece) => openaiFrame(piece)).join('') + openaiDone).replace(/\n/g, '\r\n'),
    )
    server = await startTestServer(async ({ request, response, write }) => {
      request.socket.setNoDelay(true)
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.flushHeaders()
      for (let index = 0; index < body.length; index++) {
        if (!(await write(body.subarray(index, index + 1)))) return
        // Let each byte leave as its own TCP segment (most of the time; coalescing is harmless).
        if (index % 8 === 0) await sleep(1)
      }
      response.end()
    })
    const chat = createChat({ api: `${server.origin}/api/chat`, protocol: 'openai-chat', retry: false })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe(pieces.join(''))
    expect(answer.metrics?.chunks).toBeGreaterThan(10)
  })

  it('any cut of the body into separate writes gives the exact text (property, real TCP)', async () => {
    let plan: Uint8Array[] = []
    server = await startTestServer(async ({ request, response, write }) => {
      request.socket.setNoDelay(true)
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.flushHeaders()
      for (const chunk of plan) {
        if (!(await write(chunk))) return
        await sleep(1)
      }
      response.end()
    })
    const origin = server.origin
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (tokens, offsets) => {
          const bytes = new TextEncoder().encode(
            tokens.map((token) => openaiFrame(token)).join('') + openaiDone,
          )
          const points = [...new Set(offsets.map((offset) => offset % bytes.length))].sort((a, b) => a - b)
          plan = []
          let start = 0
          for (const point of [...points, bytes.length]) {
            if (point > start) plan.push(bytes.subarray(start, point))
            start = Math.max(start, point)
          }
          const chat = createChat({ api: `${origin}/api/chat`, protocol: 'openai-chat', retry: false })
          await chat.send('Hello')
          const answer = lastMessage(chat.getState())
          expect(answer.status).toBe('complete')
          expect(messageText(answer)).toBe(tokens.join(''))
        },
      ),
      { numRuns: 25 },
    )
  })
})

describe('EventSource', () => {
  it('an HTML page where the event stream should be fails clearly, naming the URL and the content type to send', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<!doctype html><title>App</title>')
    })
    const chat = createChat({
      api: `${server.origin}/stream`,
      protocol: 'openai-chat',
      retry: false,
      transport: createEventSourceTransport({
        EventSource: UndiciEventSource as unknown as EventSourceConstructor,
      }),
    })
    await chat.send('Hello')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('error')
    expect(answer.error?.message).toMatch(
      new RegExp(
        `^Could not open the event stream at ${server.origin}/stream\\?body=.*Content-Type: text/event-stream\\.$`,
      ),
    )
  })
})
