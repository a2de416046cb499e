import type { Message } from '@sluice/core'
import { afterEach, describe, expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { makeMessage, nextFrames, text } from '../../../../test/browser/components/helpers.ts'
import { useStreamingChat } from '../hooks/use-streaming-chat.ts'
import '../theme.css'
import { ChatLayout } from './chat-layout.tsx'
import { Composer } from './composer.tsx'
import { MessageList } from './message-list.tsx'

/**
 * The README's React quick start, as it is, with nothing but `theme.css`: the only addition is
 * the `fetch` option, which answers like an OpenAI-compatible server the test writes to.
 */
function QuickStart({
  fetch,
  seed,
  useComponent = false,
}: {
  fetch: typeof globalThis.fetch
  seed?: Message[]
  useComponent?: boolean
}) {
  const chat = useStreamingChat({
    api: '/api/chat',
    protocol: 'openai-chat',
    body: { model: 'gpt-4o-mini', stream: true },
    fetch,
    ...(seed === undefined ? {} : { initialMessages: seed }),
  })
  const children = (
    <>
      <MessageList chat={chat.chat} onRetry={() => chat.retry()} />
      <Composer chat={chat.chat} />
    </>
  )
  return useComponent ? <ChatLayout>{children}</ChatLayout> : <div className="sluice-chat">{children}</div>
}

/** An OpenAI Chat Completions SSE body the test writes word by word. */
function openAIStream() {
  const encoder = new TextEncoder()
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let markRequested: () => void = () => {}
  const requested = new Promise<void>((resolve) => {
    markRequested = resolve
  })
  const frame = (data: unknown) => controller?.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`))
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id: 'chatcmpl-layout',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const body = new ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController
      },
    })
    init?.signal?.addEventListener('abort', () =>
      controller?.error(new DOMException('Aborted', 'AbortError')),
    )
    markRequested()
    queueMicrotask(() => frame(chunk({ role: 'assistant', content: '' })))
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
  }) as typeof globalThis.fetch
  return {
    fetch,
    requested,
    word: (content: string) => frame(chunk({ content })),
    end() {
      frame(chunk({}, 'stop'))
      controller?.enqueue(encoder.encode('data: [DONE]\n\n'))
      controller?.close()
    },
  }
}

function conversation(count: number): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    ...makeMessage(`m${index}`, 'complete', [
      text('t', `Message ${index}: ${'lorem ipsum dolor '.repeat(12)}`),
    ]),
    role: index % 2 === 0 ? 'user' : 'assistant',
  }))
}

function parts(container: HTMLElement) {
  const viewport = container.querySelector<HTMLElement>('[data-sluice="message-list-viewport"]')
  const composer = container.querySelector<HTMLElement>('[data-sluice="composer"]')
  if (viewport === null || composer === null)
    throw new Error('The quick start did not render a list and a composer.')
  return { viewport, composer }
}

function distanceFromBottom(element: HTMLElement): number {
  return element.scrollHeight - element.scrollTop - element.clientHeight
}

/** The page itself does not scroll: everything is inside the window. */
function pageOverflow(): number {
  return document.documentElement.scrollHeight - window.innerHeight
}

afterEach(() => {
  document.body.removeAttribute('style')
})

describe('the quick start with only theme.css', () => {
  for (const variant of ['<div className="sluice-chat">', '<ChatLayout>'] as const) {
    test(`${variant}: the list scrolls inside, the composer stays in the window, 500 messages virtualize`, async () => {
      await page.viewport(1024, 768)
      const stream = openAIStream()
      const screen = await render(
        <QuickStart
          fetch={stream.fetch}
          seed={conversation(500)}
          useComponent={variant === '<ChatLayout>'}
        />,
      )
      const { viewport, composer } = parts(screen.container)
      await expect.poll(() => viewport.scrollHeight).toBeGreaterThan(viewport.clientHeight * 10)

      // The list has a bounded height and the composer its place below it, inside the window.
      expect(viewport.clientHeight).toBeGreaterThan(400)
      expect(composer.getBoundingClientRect().bottom).toBeLessThanOrEqual(window.innerHeight)
      expect(composer.getBoundingClientRect().top).toBeGreaterThan(
        viewport.getBoundingClientRect().bottom - 1,
      )
      expect(pageOverflow()).toBeLessThanOrEqual(0)

      // Virtualization engages: a window of rows, not 500.
      const rows = screen.container.querySelectorAll('[data-sluice="message-list-row"]').length
      expect(rows).toBeGreaterThan(0)
      expect(rows).toBeLessThan(60)
      // It starts at the latest message.
      await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(2)
      await expect.element(screen.getByText(/^Message 499:/)).toBeInTheDocument()
    })
  }

  test('stick-to-bottom holds while an answer streams, and the composer never leaves the window', async () => {
    await page.viewport(1024, 768)
    const stream = openAIStream()
    const screen = await render(<QuickStart fetch={stream.fetch} seed={conversation(40)} />)
    const { viewport, composer } = parts(screen.container)
    await expect.poll(() => distanceFromBottom(viewport)).toBeLessThanOrEqual(2)

    await screen.getByRole('textbox', { name: 'Message' }).click()
    await userEvent.keyboard('Tell me about rivers{Enter}')
    await stream.requested
    await nextFrames(4)
    const scrollTopBefore = viewport.scrollTop
    const distances: number[] = []
    for (let index = 0; index < 160; index++) {
      stream.word(index % 12 === 11 ? 'river.\n\n' : 'river ')
      await nextFrames(2)
      distances.push(distanceFromBottom(viewport))
      expect(composer.getBoundingClientRect().bottom).toBeLessThanOrEqual(window.innerHeight)
    }
    stream.end()
    await expect.element(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument()
    await nextFrames(4)

    // The answer grew by hundreds of pixels and the list followed it on every frame.
    expect(viewport.scrollTop - scrollTopBefore).toBeGreaterThan(300)
    expect(Math.max(...distances)).toBeLessThanOrEqual(2)
    expect(distanceFromBottom(viewport)).toBeLessThanOrEqual(2)
    expect(pageOverflow()).toBeLessThanOrEqual(0)
  })

  test('inside a parent with a height, the chat fills the parent rather than the window', async () => {
    await page.viewport(1024, 768)
    const stream = openAIStream()
    const screen = await render(
      <div style={{ height: 420 }}>
        <QuickStart fetch={stream.fetch} seed={conversation(60)} />
      </div>,
    )
    const chat = screen.container.querySelector<HTMLElement>('.sluice-chat')
    const { composer } = parts(screen.container)
    expect(chat?.getBoundingClientRect().height).toBe(420)
    expect(composer.getBoundingClientRect().bottom).toBeLessThanOrEqual(
      (chat?.getBoundingClientRect().bottom ?? 0) + 0.5,
    )
  })

  test('--sluice-chat-height sets another height', async () => {
    await page.viewport(1024, 768)
    const stream = openAIStream()
    const screen = await render(
      <div style={{ '--sluice-chat-height': '300px' } as React.CSSProperties}>
        <QuickStart fetch={stream.fetch} seed={conversation(20)} />
      </div>,
    )
    expect(screen.container.querySelector('.sluice-chat')?.getBoundingClientRect().height).toBe(300)
  })

  test('ChatLayout keeps a className of its own next to sluice-chat', async () => {
    const screen = await render(<ChatLayout className="mine" data-testid="layout" />)
    const layout = screen.getByTestId('layout').element()
    expect(layout.className).toBe('sluice-chat mine')
    expect(layout.getAttribute('data-sluice')).toBe('chat')
  })
})
