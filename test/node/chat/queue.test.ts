/**
 * The queue (`queue: true`): sending while an answer streams queues the message; it is sent when
 * the answer completes, with that answer in its request; edit, remove, move, send now, clear;
 * the queue survives stop() and waits after it.
 */
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { messageText } from '../../../packages/core/src/message.ts'
import {
  type ControlledBody,
  controlledBody,
  messagesOf,
  openaiDelta,
  openaiFinish,
  sseHeaders,
} from './helpers.ts'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const api = 'https://api.test/v1/chat/completions'

/** Each request gets a body the test controls; the request's messages are recorded. */
function controlledServer() {
  const bodies: ControlledBody[] = []
  const requests: string[][] = []
  let arrived: () => void = () => {}
  server.use(
    http.post(api, async ({ request }) => {
      const json = (await request.json()) as { messages: { content: unknown }[] }
      requests.push(
        json.messages.map((message) =>
          typeof message.content === 'string'
            ? message.content
            : (message.content as { text: string }[]).map((part) => part.text).join(''),
        ),
      )
      const body = controlledBody()
      bodies.push(body)
      arrived()
      return new HttpResponse(body.stream, { headers: sseHeaders })
    }),
  )
  const nextRequest = () =>
    new Promise<void>((resolve) => {
      arrived = resolve
    })
  return { bodies, requests, nextRequest }
}

const texts = (chat: ReturnType<typeof createChat>) =>
  messagesOf(chat.getState()).map((message) => messageText(message))
const queued = (chat: ReturnType<typeof createChat>) => chat.getState().queue.map((item) => item.text)

describe('queue: true', () => {
  it('a message sent while an answer streams waits, then goes when the answer completes, with that answer in its request', async () => {
    const wire = controlledServer()
    const chat = createChat({ api, protocol: 'openai-chat', queue: true })
    const arrived = wire.nextRequest()
    const first = chat.send('Paris?')
    await arrived
    wire.bodies[0]!.send(openaiDelta('The capital'))
    await chat.send('And Porto?')
    await chat.send('And Rome?')
    expect(queued(chat)).toEqual(['And Porto?', 'And Rome?'])
    // The answer was not stopped.
    expect(chat.getState().status).not.toBe('idle')
    const second = wire.nextRequest()
    wire.bodies[0]!.send(openaiDelta(' of France.') + openaiFinish())
    wire.bodies[0]!.close()
    await second
    expect(wire.requests[1]).toEqual(['Paris?', 'The capital of France.', 'And Porto?'])
    expect(queued(chat)).toEqual(['And Rome?'])
    const third = wire.nextRequest()
    wire.bodies[1]!.send(openaiDelta('Porto is north.') + openaiFinish())
    wire.bodies[1]!.close()
    await third
    expect(queued(chat)).toEqual([])
    wire.bodies[2]!.send(openaiDelta('Rome is Italy.') + openaiFinish())
    wire.bodies[2]!.close()
    await first
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(texts(chat)).toEqual([
      'Paris?',
      'The capital of France.',
      'And Porto?',
      'Porto is north.',
      'And Rome?',
      'Rome is Italy.',
    ])
  })

  it('edit, move, remove and clear change what waits; stop keeps the queue and sends nothing; send now goes at once', async () => {
    const wire = controlledServer()
    const chat = createChat({ api, protocol: 'openai-chat', queue: true })
    const arrived = wire.nextRequest()
    void chat.send('One')
    await arrived
    await chat.send('Two')
    await chat.send('Three')
    await chat.send('Four')
    const [two, three, four] = chat.getState().queue
    chat.updateQueued(two!.id, 'Two, edited')
    chat.moveQueued(four!.id, 0)
    expect(queued(chat)).toEqual(['Four', 'Two, edited', 'Three'])
    chat.removeQueued(three!.id)
    expect(queued(chat)).toEqual(['Four', 'Two, edited'])
    chat.stop()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Stopped: the queue is kept and nothing was sent.
    expect(queued(chat)).toEqual(['Four', 'Two, edited'])
    expect(wire.requests).toHaveLength(1)
    const now = wire.nextRequest()
    void chat.sendQueuedNow(two!.id)
    await now
    expect(wire.requests[1]!.at(-1)).toBe('Two, edited')
    expect(queued(chat)).toEqual(['Four'])
    chat.clearQueue()
    expect(queued(chat)).toEqual([])
  })

  it('without queue, a send while streaming stops the answer (the default stays)', async () => {
    const wire = controlledServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    const arrived = wire.nextRequest()
    void chat.send('One')
    await arrived
    const again = wire.nextRequest()
    void chat.send('Two')
    await again
    expect(chat.getState().queue).toEqual([])
    expect(messagesOf(chat.getState())[1]?.status).toBe('cancelled')
  })
})
