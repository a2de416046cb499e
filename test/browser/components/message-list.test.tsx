import { type ChatEvent, createChat, createChatStore, type Message } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { Composer } from '../../../packages/react/src/components/composer.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import '../../../packages/react/src/theme.css'
import {
  controlledFetch,
  expectNoAxeViolations,
  makeMessage,
  nextFrames,
  text,
  withTimeout,
} from './helpers.ts'

function distanceFromBottom(element: HTMLElement): number {
  return element.scrollHeight - element.scrollTop - element.clientHeight
}

function watchAnnouncements(container: HTMLElement): string[] {
  const announcer = container.querySelector('[data-sluice="message-list-announcer"]')!
  const announcements: string[] = []
  new MutationObserver(() => {
    const spoken = announcer.textContent ?? ''
    if (spoken !== '') announcements.push(spoken)
  }).observe(announcer, { childList: true, subtree: true, characterData: true })
  return announcements
}

function conversation(count: number, wordsPerMessage = 30): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    ...makeMessage(`m${index}`, 'complete', [
      text('t', `Message ${index}: ${'lorem ipsum '.repeat(wordsPerMessage)}`),
    ]),
    role: index % 2 === 0 ? 'user' : 'assistant',
  }))
}

describe('MessageList with a chat (Composer → stream → list)', () => {
  test('aria-busy while streaming, typing indicator then caret, exactly one announcement of the finished answer', async () => {
    await page.viewport(800, 600)
    const stream = controlledFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: stream.fetch, retry: false })
    const screen = await render(
      <div>
        <MessageList chat={chat} style={{ height: 400 }} />
        <Composer chat={chat} />
      </div>,
    )
    const log = screen.getByRole('log', { name: 'Messages' })
    await expect.element(log).toHaveAttribute('aria-busy', 'false')
    await expect.element(log).toHaveAttribute('aria-live', 'off')
    const announcements = watchAnnouncements(screen.container)

    await screen.getByRole('textbox', { name: 'Message' }).click()
    await userEvent.keyboard('Tell me about Paris{Enter}')
    await stream.requested
    await expect.element(log).toHaveAttribute('aria-busy', 'true')
    await expect.element(screen.getByRole('button', { name: 'Stop' })).toBeVisible()
    // Waiting for the first token: the placeholder shows the typing indicator.
    await expect.element(screen.getByRole('status')).toBeInTheDocument()
    await expectNoAxeViolations(screen.container)

    for (const chunk of ['Paris ', 'is the ', 'capital ', 'of France.']) {
      stream.push(chunk)
      await nextFrames()
    }
    await expect.element(screen.getByText('Paris is the capital of France.')).toBeVisible()
    expect(screen.container.querySelector('[role="status"]')).toBeNull()
    expect(screen.container.querySelector('[data-status="streaming"] [data-sluice="caret"]')).not.toBeNull()
    await expect.element(log).toHaveAttribute('aria-busy', 'true')
    expect(announcements).toEqual([])

    stream.close()
    await expect.element(log).toHaveAttribute('aria-busy', 'false')
    await expect.element(screen.getByRole('button', { name: 'Send' })).toBeVisible()
    await nextFrames(5)
    expect(announcements).toEqual(['Paris is the capital of France.'])
    expect(screen.container.querySelector('[data-sluice="caret"]')).toBeNull()
    await expectNoAxeViolations(screen.container)
  })

  test('aria-busy while an answer streams into a version that is not shown (the user went back to the earlier one)', async () => {
    const stream = controlledFetch()
    const second = controlledFetch()
    const fetches = [stream.fetch, second.fetch]
    const fetchInTurn: typeof fetch = (input, init) => (fetches.shift() ?? fetch)(input, init)
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: fetchInTurn, retry: false })
    const screen = await render(<MessageList chat={chat} style={{ height: 400 }} />)
    const log = screen.getByRole('log', { name: 'Messages' })
    const first = chat.send('A question')
    await stream.requested
    stream.push('The first answer.')
    stream.close()
    await first
    await expect.element(log).toHaveAttribute('aria-busy', 'false')
    const firstAnswerId = chat.getState().messageIds.at(-1) as string

    const regenerated = chat.regenerate()
    await second.requested
    second.push('The second')
    const secondAnswerId = chat.getState().messageIds.at(-1) as string
    expect(secondAnswerId).not.toBe(firstAnswerId)
    chat.switchBranch(secondAnswerId, 'previous')
    await expect.element(log.getByText('The first answer.')).toBeVisible()
    expect(screen.container.querySelector(`[data-message-id="${CSS.escape(secondAnswerId)}"]`)).toBeNull()
    // Nothing shown is streaming, yet an answer is being written: the log says so.
    await expect.element(log).toHaveAttribute('aria-busy', 'true')
    second.push(' answer.')
    second.close()
    await regenerated
    await expect.element(log).toHaveAttribute('aria-busy', 'false')
  })

  test('Escape stops the answer: the partial text stays, the message is cancelled, announced once', async () => {
    const stream = controlledFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: stream.fetch, retry: false })
    const screen = await render(
      <div>
        <MessageList chat={chat} style={{ height: 400 }} />
        <Composer chat={chat} />
      </div>,
    )
    const announcements = watchAnnouncements(screen.container)
    await screen.getByRole('textbox', { name: 'Message' }).click()
    await userEvent.keyboard('Write a poem{Enter}')
    await stream.requested
    stream.push('Roses are red')
    await expect.element(screen.getByText('Roses are red')).toBeVisible()
    await userEvent.keyboard('{Escape}')
    await expect.element(screen.getByRole('log')).toHaveAttribute('aria-busy', 'false')
    const assistant = screen.container.querySelector('[data-role="assistant"]') as HTMLElement
    expect(assistant.dataset.status).toBe('cancelled')
    await expect.element(screen.getByText('Roses are red')).toBeVisible()
    await nextFrames(3)
    expect(announcements).toEqual(['The answer was stopped.'])
    await expectNoAxeViolations(screen.container)
  })

  test('a token re-renders only the row of the message it belongs to', async () => {
    const store = createChatStore({
      messages: [...conversation(20), makeMessage('live', 'streaming', [text('t', 'Hel', 'streaming')])],
    })
    const chat = createChat({ api: '/api/chat', protocol: 'text', store })
    const renders: string[] = []
    const renderMessage = (message: Message) => {
      renders.push(message.id)
      return <ChatMessage message={message} />
    }
    await render(<MessageList chat={chat} renderMessage={renderMessage} style={{ height: 2000 }} />)
    await nextFrames(3)
    renders.length = 0
    const delta: ChatEvent = { type: 'text-delta', messageId: 'live', id: 't', delta: 'lo' }
    store.getState().apply([delta])
    await expect.element(page.getByText('Hello')).toBeVisible()
    await nextFrames(3)
    expect(new Set(renders)).toEqual(new Set(['live']))
  })
})

describe('MessageList scrolling', () => {
  test('sticks to the bottom while streaming, lets go when the user scrolls up, "Jump to latest" brings it back', async () => {
    const history = conversation(30)
    let answer = 'Start.'
    const messages = () => [...history, makeMessage('live', 'streaming', [text('t', answer, 'streaming')])]
    const screen = await render(<MessageList messages={messages()} style={{ height: 300 }} />)
    const viewport = screen.getByRole('log').element() as HTMLElement
    await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(1)

    // The answer grows: the list follows it.
    for (let step = 0; step < 4; step++) {
      answer += ` ${'more words '.repeat(30)}`
      await screen.rerender(<MessageList messages={messages()} style={{ height: 300 }} />)
      await nextFrames()
      await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(1)
    }
    expect(screen.container.querySelector('[data-sluice="jump-to-latest"]')).toBeNull()

    // The user scrolls up during streaming: the list stays where they put it.
    await userEvent.wheel(viewport, { delta: { y: -400 } })
    const jump = screen.getByRole('button', { name: 'Jump to latest' })
    await expect.element(jump).toBeVisible()
    await expect.poll(() => distanceFromBottom(viewport)).toBeGreaterThan(300)
    const userPosition = viewport.scrollTop
    for (let step = 0; step < 3; step++) {
      answer += ` ${'still more '.repeat(30)}`
      await screen.rerender(<MessageList messages={messages()} style={{ height: 300 }} />)
      await nextFrames()
    }
    expect(Math.abs(viewport.scrollTop - userPosition)).toBeLessThanOrEqual(1)
    await expectNoAxeViolations(screen.container)

    // Jump to latest: back at the bottom, and following again.
    await jump.click()
    await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(1)
    await expect.element(jump).not.toBeInTheDocument()
    answer += ` ${'the end '.repeat(40)}`
    await screen.rerender(<MessageList messages={messages()} style={{ height: 300 }} />)
    await nextFrames()
    await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(1)
  })

  test('5,000 messages: only a window of rows is in the DOM, starting at the latest', async () => {
    const messages = conversation(5000, 8)
    const started = performance.now()
    // A hang in CI (once, 60 s) did not say where: each step now names itself when it stalls.
    const screen = await withTimeout(
      render(<MessageList messages={messages} style={{ height: 600 }} />),
      20_000,
      'the first render of 5,000 messages',
    )
    const viewport = screen.getByRole('log').element() as HTMLElement
    await expect.element(screen.getByText(/^Message 4999:/)).toBeVisible()
    const firstRender = performance.now() - started
    const rows = screen.container.querySelectorAll('[data-message-id]')
    expect(rows.length).toBeGreaterThan(3)
    expect(rows.length).toBeLessThan(60)
    expect(screen.container.querySelector('[data-message-id="m0"]')).toBeNull()
    expect(firstRender).toBeLessThan(2000)

    // Scrolling to the top swaps the window, it does not add rows.
    viewport.scrollTop = 0
    await expect.element(screen.getByText(/^Message 0:/)).toBeVisible()
    expect(screen.container.querySelectorAll('[data-message-id]').length).toBeLessThan(60)
    expect(screen.container.querySelector('[data-message-id="m4999"]')).toBeNull()
    await withTimeout(expectNoAxeViolations(screen.container), 20_000, 'axe over the windowed list')
  })
})
