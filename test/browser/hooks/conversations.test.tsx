import { type Message, messageText } from '@sluice/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import {
  type ConversationChatResult,
  conversationQueryKeys,
  useConversationChat,
  useConversations,
} from '../../../packages/react/src/hooks/conversations/index.ts'
import { chatEndpoint } from './chat-endpoint.ts'
import { MessageItem } from './chat-view.tsx'
import { frames, providerAnswer, startWorker, worker } from './mock-stream.ts'

const clients: QueryClient[] = []

beforeAll(startWorker)
afterEach(async () => {
  // A finished answer refetches the list: let those requests land before the handlers go.
  for (const client of clients.splice(0)) {
    await expect.poll(() => client.isFetching()).toBe(0)
    client.clear()
  }
  worker.resetHandlers()
})
afterAll(() => worker.stop())

const endpoints = {
  listUrl: '/api/conversations',
  messagesUrl: (id: string) => `/api/conversations/${id}/messages`,
}

const answer = providerAnswer('openai-chat', ['Hello', ' from', ' the', ' model.'])

/** The saved conversations: `{ messages }` with the short `{ id, role, content }` form for c1, a bare `Message[]` for c2. */
function mockHistory(options: { messagesGate?: Promise<void> } = {}) {
  const calls = { list: 0, messages: [] as string[] }
  worker.use(
    http.get('/api/conversations', () => {
      calls.list++
      return HttpResponse.json([
        { id: 'c1', title: 'Trip to Lisbon' },
        { id: 'c2', title: 'Dinner ideas' },
      ])
    }),
    http.get('/api/conversations/:id/messages', async ({ params }) => {
      const id = String(params.id)
      calls.messages.push(id)
      await options.messagesGate
      if (id === 'c1') {
        return HttpResponse.json({
          messages: [
            { id: 'c1-u1', role: 'user', content: 'Plan a trip' },
            { id: 'c1-a1', role: 'assistant', content: 'Where to?' },
          ],
        })
      }
      if (id === 'c2') {
        const saved: Message[] = [
          {
            id: 'c2-u1',
            role: 'user',
            status: 'complete',
            parts: [{ type: 'text', id: 'text', text: 'Something with leeks?' }],
          },
        ]
        return HttpResponse.json(saved)
      }
      return HttpResponse.json({ error: { message: 'Not found' } }, { status: 404 })
    }),
  )
  return calls
}

function createClient() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  clients.push(client)
  return client
}

interface Box {
  current?: ConversationChatResult
}

function Screen({
  conversationId,
  box,
  onFinish,
}: {
  conversationId: string
  box: Box
  onFinish?: (message: Message, id: string) => void
}) {
  const { conversations } = useConversations(endpoints)
  const chat = useConversationChat(conversationId, {
    ...endpoints,
    api: (id) => `/api/conversations/${id}/chat`,
    protocol: 'openai-chat',
    body: (_messages, id) => ({ conversationId: id }),
    ...(onFinish ? { onFinish } : {}),
  })
  box.current = chat
  return (
    <>
      <nav>
        <ul>
          {conversations.map((conversation) => (
            <li key={conversation.id} data-conversation-id={conversation.id}>
              {conversation.title}
            </li>
          ))}
        </ul>
      </nav>
      <p data-testid="history">{chat.history.status}</p>
      <ul data-testid="thread">
        {chat.messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </ul>
    </>
  )
}

function thread(): { role: string | null; status: string | null; text: string }[] {
  return [...document.querySelectorAll('[data-testid="thread"] li')].map((item) => ({
    role: item.getAttribute('data-role'),
    status: item.getAttribute('data-status'),
    text: item.textContent ?? '',
  }))
}

const c1History = [
  { role: 'user', status: 'complete', text: 'Plan a trip' },
  { role: 'assistant', status: 'complete', text: 'Where to?' },
]

describe('conversations with TanStack Query', () => {
  test('lists conversations, shows saved messages, streams after them and writes the answer to the cache', async () => {
    const calls = mockHistory()
    const endpoint = chatEndpoint('/api/conversations/:id/chat')
    const stream = endpoint.stream()
    const client = createClient()
    const box: Box = {}
    await render(
      <QueryClientProvider client={client}>
        <Screen conversationId="c1" box={box} />
      </QueryClientProvider>,
    )
    await expect
      .poll(() => [...document.querySelectorAll('nav li')].map((item) => item.textContent))
      .toEqual(['Trip to Lisbon', 'Dinner ideas'])
    await expect.poll(() => thread()).toEqual(c1History)

    const sent = box.current!.send('Lisbon, in May')
    await expect.poll(() => endpoint.requests.length).toBe(1)
    expect(endpoint.requests[0]!.body).toEqual({
      messages: [
        { role: 'user', content: 'Plan a trip' },
        { role: 'assistant', content: 'Where to?' },
        { role: 'user', content: 'Lisbon, in May' },
      ],
      conversationId: 'c1',
    })
    stream.push(answer.start + answer.tokens[0]!)
    await expect
      .poll(() => thread().at(-1))
      .toEqual({ role: 'assistant', status: 'streaming', text: 'Hello' })
    stream.push(answer.tokens.slice(1).join('') + answer.end)
    stream.close()
    await sent
    await expect
      .poll(() => thread().at(-1))
      .toEqual({ role: 'assistant', status: 'complete', text: 'Hello from the model.' })

    const cached = client.getQueryData<Message[]>(conversationQueryKeys().messages('c1'))!
    expect(cached.map((message) => [message.role, message.status, messageText(message)])).toEqual([
      ['user', 'complete', 'Plan a trip'],
      ['assistant', 'complete', 'Where to?'],
      ['user', 'complete', 'Lisbon, in May'],
      ['assistant', 'complete', 'Hello from the model.'],
    ])
    // The finished answer refetched the list (titles and order may change on the server).
    await expect.poll(() => calls.list).toBe(2)
  })

  test('switching conversation mid-stream: the old answer finishes into its own conversation', async () => {
    mockHistory()
    const endpoint = chatEndpoint('/api/conversations/:id/chat')
    const stream = endpoint.stream()
    const client = createClient()
    const onFinish = vi.fn()
    const box: Box = {}
    const screen = await render(
      <QueryClientProvider client={client}>
        <Screen conversationId="c1" box={box} onFinish={onFinish} />
      </QueryClientProvider>,
    )
    await expect.poll(() => thread()).toEqual(c1History)
    const sent = box.current!.send('Lisbon, in May')
    await expect.poll(() => endpoint.requests.length).toBe(1)
    stream.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => thread().at(-1)?.text).toBe('Hello')

    await screen.rerender(
      <QueryClientProvider client={client}>
        <Screen conversationId="c2" box={box} onFinish={onFinish} />
      </QueryClientProvider>,
    )
    await expect
      .poll(() => thread())
      .toEqual([{ role: 'user', status: 'complete', text: 'Something with leeks?' }])
    expect(box.current!.status).toBe('idle')
    await frames(2)
    expect(stream.cancelled).toBe(false)

    stream.push(answer.tokens.slice(1).join('') + answer.end)
    stream.close()
    await sent
    await expect
      .poll(() => client.getQueryData<Message[]>(conversationQueryKeys().messages('c1'))?.at(-1)?.status)
      .toBe('complete')
    expect(messageText(client.getQueryData<Message[]>(conversationQueryKeys().messages('c1'))!.at(-1)!)).toBe(
      'Hello from the model.',
    )
    expect(onFinish).toHaveBeenCalledTimes(1)
    expect(onFinish.mock.calls[0]![1]).toBe('c1')
    // c2 never saw any of it.
    expect(thread()).toEqual([{ role: 'user', status: 'complete', text: 'Something with leeks?' }])

    await screen.rerender(
      <QueryClientProvider client={client}>
        <Screen conversationId="c1" box={box} onFinish={onFinish} />
      </QueryClientProvider>,
    )
    await expect
      .poll(() => thread())
      .toEqual([
        ...c1History,
        { role: 'user', status: 'complete', text: 'Lisbon, in May' },
        { role: 'assistant', status: 'complete', text: 'Hello from the model.' },
      ])
  })

  test('send waits for the saved history, so the request carries the whole conversation', async () => {
    let openGate!: () => void
    const messagesGate = new Promise<void>((resolve) => {
      openGate = resolve
    })
    mockHistory({ messagesGate })
    const endpoint = chatEndpoint('/api/conversations/:id/chat')
    endpoint.respond(
      () =>
        new Response(answer.start + answer.tokens.join('') + answer.end, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    )
    const box: Box = {}
    await render(
      <QueryClientProvider client={createClient()}>
        <Screen conversationId="c1" box={box} />
      </QueryClientProvider>,
    )
    expect(document.querySelector('[data-testid="history"]')?.textContent).toBe('pending')
    const sent = box.current!.send('Lisbon, in May')
    await frames(3)
    expect(endpoint.requests).toHaveLength(0)
    openGate()
    await sent
    expect(endpoint.requests[0]!.body.messages.map((message) => message.content)).toEqual([
      'Plan a trip',
      'Where to?',
      'Lisbon, in May',
    ])
    await expect
      .poll(() => thread().map((item) => item.text))
      .toEqual(['Plan a trip', 'Where to?', 'Lisbon, in May', 'Hello from the model.'])
  })

  test('a conversation the server does not know (404) starts empty', async () => {
    mockHistory()
    const endpoint = chatEndpoint('/api/conversations/:id/chat')
    endpoint.respond(
      () =>
        new Response(answer.start + answer.tokens.join('') + answer.end, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    )
    const box: Box = {}
    await render(
      <QueryClientProvider client={createClient()}>
        <Screen conversationId="new-1" box={box} />
      </QueryClientProvider>,
    )
    await expect.poll(() => document.querySelector('[data-testid="history"]')?.textContent).toBe('success')
    expect(thread()).toEqual([])
    await box.current!.send('First message')
    expect(endpoint.requests[0]!.body).toEqual({
      messages: [{ role: 'user', content: 'First message' }],
      conversationId: 'new-1',
    })
    await expect.poll(() => thread().at(-1)?.status).toBe('complete')
  })
})
