/**
 * The EventSource transport. Node 20 has no global EventSource and MSW cannot intercept
 * undici's, so this runs undici's EventSource against a real local HTTP server.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EventSource as UndiciEventSource } from 'undici'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  createEventSourceTransport,
  type EventSourceConstructor,
} from '../../../packages/core/src/chat/event-source-transport.ts'
import { lastMessage, messageText, openaiDelta, openaiFinish } from './helpers.ts'

vi.mock('react', () => ({}))

let server: Server
let origin = ''
const requestedUrls: string[] = []
beforeAll(async () => {
  server = createServer((request, response) => {
    requestedUrls.push(request.url ?? '')
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.write(openaiDelta('Streamed ', '1'))
    setTimeout(() => {
      response.end(openaiDelta('over EventSource.', '2') + openaiFinish())
    }, 10)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

it('streams a GET event stream into the placeholder and closes it at the end', async () => {
  const chat = createChat({
    api: `${origin}/stream`,
    protocol: 'openai-chat',
    transport: createEventSourceTransport({
      EventSource: UndiciEventSource as unknown as EventSourceConstructor,
    }),
  })
  await chat.send('Hi')
  const answer = lastMessage(chat.getState())
  expect(answer.status).toBe('complete')
  expect(messageText(answer)).toBe('Streamed over EventSource.')
  // The request traveled in the URL, and the source did not reconnect after the end.
  expect(requestedUrls).toHaveLength(1)
  const body = new URL(requestedUrls[0]!, origin).searchParams.get('body')
  expect(JSON.parse(body ?? '{}')).toEqual({ messages: [{ role: 'user', content: 'Hi' }] })
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(requestedUrls).toHaveLength(1)
})
