import { type Chat, createChat, type Message, messageText } from '@sluice/core'
import { memo, type ReactNode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server.browser'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import {
  ChatProvider,
  useChatContext,
  useChatError,
  useChatStatus,
  useMessage,
  useMessageIds,
  useStreamingChat,
} from '../../../packages/react/src/hooks/index.ts'
import { chatEndpoint } from './chat-endpoint.ts'
import { frames, providerAnswer, startWorker, worker } from './mock-stream.ts'

beforeAll(startWorker)
afterEach(() => worker.resetHandlers())
afterAll(() => worker.stop())

function savedMessages(count: number): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `saved-${index}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    status: 'complete',
    parts: [{ type: 'text', id: 'text', text: `Saved message ${index}`, state: 'done' }],
  }))
}

/** Render counters, per message row and per component. */
interface Counters {
  rows: Map<string, number>
  components: { list: number; status: number; error: number }
}

function createCounters(): Counters {
  return { rows: new Map(), components: { list: 0, status: 0, error: 0 } }
}

const Row = memo(function Row({ id, counters }: { id: string; counters: Counters }) {
  const message = useMessage(id)
  counters.rows.set(id, (counters.rows.get(id) ?? 0) + 1)
  if (message === undefined) return null
  return (
    <li data-message-id={id} data-role={message.role} data-status={message.status}>
      {messageText(message)}
    </li>
  )
})

function List({ counters }: { counters: Counters }) {
  const ids = useMessageIds()
  counters.components.list++
  return (
    <ul>
      {ids.map((id) => (
        <Row key={id} id={id} counters={counters} />
      ))}
    </ul>
  )
}

function StatusLine({ counters }: { counters: Counters }) {
  const status = useChatStatus()
  counters.components.status++
  return <p data-testid="status">{status}</p>
}

function ErrorLine({ counters }: { counters: Counters }) {
  const error = useChatError()
  counters.components.error++
  return error ? <p role="alert">{error.message}</p> : null
}

function Orphan() {
  useMessageIds()
  return null
}

function OrphanContext() {
  useChatContext()
  return null
}

function Transcript({ messages }: { messages: Message[] }) {
  const chat = useStreamingChat({ api: '/api/chat', protocol: 'anthropic', initialMessages: messages })
  return (
    <main>
      <p data-testid="status">{chat.status}</p>
      <ul>
        {chat.messages.map((message) => (
          <li key={message.id} data-message-id={message.id} data-status={message.status}>
            {messageText(message)}
          </li>
        ))}
      </ul>
    </main>
  )
}

let parentRenders = 0
function Parent({ chat, children }: { chat: Chat; children: ReactNode }) {
  parentRenders++
  return <ChatProvider chat={chat}>{children}</ChatProvider>
}

function ChatGrab({ box }: { box: { chat?: Chat } }) {
  box.chat = useChatContext()
  return null
}

describe('selector hooks', () => {
  test('with 200 messages on screen, streaming one answer re-renders only its row', async () => {
    const endpoint = chatEndpoint()
    const stream = endpoint.stream()
    const tokens = Array.from({ length: 30 }, (_, index) => `token${index} `)
    const wire = providerAnswer('openai-chat', tokens)
    const saved = savedMessages(200)
    const counters = createCounters()
    const { rows, components } = counters
    const box: { chat?: Chat } = {}
    await render(
      <ChatProvider api="/api/chat" protocol="openai-chat" initialMessages={saved}>
        <ChatGrab box={box} />
        <StatusLine counters={counters} />
        <ErrorLine counters={counters} />
        <List counters={counters} />
      </ChatProvider>,
    )
    expect(document.querySelectorAll('li')).toHaveLength(200)
    expect([...rows.values()].every((count) => count === 1)).toBe(true)

    const sent = box.chat!.send('One more question')
    await expect.poll(() => endpoint.requests.length).toBe(1)
    const answerId = box.chat!.getState().messageIds.at(-1)!
    const userId = box.chat!.getState().messageIds.at(-2)!
    stream.push(wire.start)
    for (const token of wire.tokens) {
      stream.push(token)
      await frames(1)
    }
    stream.push(wire.end)
    stream.close()
    await sent
    await expect
      .poll(() => document.querySelector(`[data-message-id="${answerId}"]`)?.getAttribute('data-status'))
      .toBe('complete')
    expect(document.querySelector(`[data-message-id="${answerId}"]`)?.textContent).toBe(tokens.join(''))

    // Every earlier row rendered once (its mount), whatever the stream did.
    for (const message of saved) expect(rows.get(message.id), message.id).toBe(1)
    expect(rows.get(userId)).toBe(1)
    // The answer's row followed the stream (one render per applied frame, not per token).
    const answerRenders = rows.get(answerId)!
    expect(answerRenders).toBeGreaterThanOrEqual(5)
    expect(answerRenders).toBeLessThanOrEqual(tokens.length + 4)
    // The list re-rendered only when messages were added (the question and the placeholder).
    expect(components.list).toBeLessThanOrEqual(3)
    // Status: idle → submitted → streaming → idle, not per token; the error line never changed.
    expect(components.status).toBeLessThanOrEqual(4)
    expect(components.error).toBe(1)
  })

  test('ChatProvider shares a chat created elsewhere, and the provider does not re-render while it streams', async () => {
    const endpoint = chatEndpoint()
    const wire = providerAnswer('openai-chat', ['Shared', ' answer'])
    endpoint.respond(
      () =>
        new Response(wire.start + wire.tokens.join('') + wire.end, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    )
    const chat = createChat({ api: '/api/chat', protocol: 'openai-chat' })
    const counters = createCounters()
    parentRenders = 0
    await render(
      <Parent chat={chat}>
        <StatusLine counters={counters} />
        <List counters={counters} />
      </Parent>,
    )
    await chat.send('Hi')
    await expect
      .poll(() => document.querySelector('[data-role="assistant"]')?.textContent)
      .toBe('Shared answer')
    expect(document.querySelector('[data-testid="status"]')?.textContent).toBe('idle')
    expect(parentRenders).toBe(1)
  })

  test('a hook outside any ChatProvider, with no chat given, says how to fix it', () => {
    expect(() => renderToString(<Orphan />)).toThrow(
      'useMessageIds: no chat to read. Pass one as the last argument (useMessageIds(…, chat)) or render the component inside a <ChatProvider>.',
    )
    expect(() => renderToString(<OrphanContext />)).toThrow(/there is no <ChatProvider> above this component/)
  })
})

describe('server rendering', () => {
  test('renderToString shows the saved messages and calls no browser API; hydration matches', async () => {
    const messages = savedMessages(3)
    const fetchSpy = vi.spyOn(window, 'fetch')
    const frameSpy = vi.spyOn(window, 'requestAnimationFrame')
    const html = renderToString(
      <>
        <Transcript messages={messages} />
        <ChatProvider api="/api/chat" protocol="openai-chat" initialMessages={messages}>
          <List counters={createCounters()} />
        </ChatProvider>
      </>,
    )
    expect(fetchSpy).not.toHaveBeenCalled()
    expect(frameSpy).not.toHaveBeenCalled()
    fetchSpy.mockRestore()
    frameSpy.mockRestore()
    const container = document.createElement('div')
    container.innerHTML = html
    expect(container.querySelector('[data-testid="status"]')?.textContent).toBe('idle')
    expect([...container.querySelectorAll('main li')].map((item) => item.textContent)).toEqual([
      'Saved message 0',
      'Saved message 1',
      'Saved message 2',
    ])
    expect(container.querySelectorAll('ul')[1]?.querySelectorAll('li[data-status="complete"]')).toHaveLength(
      3,
    )

    document.body.append(container)
    const recoverableErrors: unknown[] = []
    const root = hydrateRoot(
      container,
      <>
        <Transcript messages={messages} />
        <ChatProvider api="/api/chat" protocol="openai-chat" initialMessages={messages}>
          <List counters={createCounters()} />
        </ChatProvider>
      </>,
      { onRecoverableError: (error) => recoverableErrors.push(error) },
    )
    await frames(2)
    expect(recoverableErrors).toEqual([])
    expect(container.querySelectorAll('li')).toHaveLength(6)
    root.unmount()
    container.remove()
  })

  test('the hook modules never name window or document (they run on the server as written)', () => {
    const sources = import.meta.glob('../../../packages/react/src/hooks/**/*.{ts,tsx}', {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>
    const files = Object.keys(sources)
    expect(files.length).toBeGreaterThanOrEqual(8)
    for (const [file, source] of Object.entries(sources)) {
      // Comments may mention the words; code may not.
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
      expect(code, file).not.toMatch(/\b(window|document|localStorage|sessionStorage)\b/)
    }
  })
})
