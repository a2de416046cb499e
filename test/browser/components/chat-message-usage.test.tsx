/**
 * The answer's token count in Chromium, by text: `ChatMessage` shows `usage.outputTokens` while
 * the answer streams (growing with each usage event of a real stream), then the final count and
 * the prompt's tokens; nothing for a message without usage or for a user message; plurals and
 * digits from the labels' locale; hostile counts are not shown.
 */
import { createChat } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { ChatMessageRoot } from '../../../packages/react/src/components/chat-message-root.tsx'
import { ChatMessageUsage } from '../../../packages/react/src/components/chat-message-usage.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import { ChatProvider, LabelsProvider } from '../../../packages/react/src/hooks/chat-context.tsx'
import '../../../packages/react/src/theme.css'
import { controlledFetch, expectNoAxeViolations, makeMessage, text } from './helpers.ts'

describe('ChatMessage usage', () => {
  test('the count shows while streaming, then the final count and the prompt tokens', async () => {
    const streaming = makeMessage('a1', 'streaming', [text('t', 'Hello wor', 'streaming')], {
      usage: { outputTokens: 2 },
    })
    const screen = await render(<ChatMessage message={streaming} />)
    await expect.element(screen.getByText('2 tokens')).toBeVisible()
    expect(document.querySelector('[data-sluice="message-usage-prompt"]')).toBeNull()
    await screen.rerender(
      <ChatMessage
        message={makeMessage('a1', 'complete', [text('t', 'Hello world')], {
          usage: { inputTokens: 5, outputTokens: 1 },
        })}
      />,
    )
    await expect.element(screen.getByText('1 token', { exact: true })).toBeVisible()
    await expect.element(screen.getByText('5 in the prompt')).toBeVisible()
    await expectNoAxeViolations(screen.container)
  })

  test('nothing without usage, for a user message, or for counts that are not whole numbers', async () => {
    const screen = await render(
      <>
        <ChatMessage message={makeMessage('a1', 'complete', [text('t1', 'No usage')])} />
        <ChatMessage
          message={makeMessage('u1', 'complete', [text('t2', 'Mine')], {
            role: 'user',
            usage: { outputTokens: 3 },
          })}
        />
        <ChatMessage
          message={makeMessage('a2', 'complete', [text('t3', 'Bad counts')], {
            usage: { outputTokens: Number.NaN, inputTokens: -1 },
          })}
        />
        <ChatMessage
          message={makeMessage('a3', 'complete', [text('t4', 'Fractional')], {
            usage: { outputTokens: 2.5 },
          })}
        />
      </>,
    )
    await expect.element(screen.getByText('Fractional')).toBeVisible()
    expect(document.querySelectorAll('[data-sluice="message-usage"]')).toHaveLength(0)
  })

  test('plurals and digits follow the locale (Polish, Arabic) and labels override the words', async () => {
    const message = makeMessage('a1', 'complete', [text('t', 'Cześć')], { usage: { outputTokens: 3 } })
    const screen = await render(
      <LabelsProvider locale="pl">
        <ChatMessageRoot message={message}>
          <ChatMessageUsage
            labels={{
              tokens: (count, format) =>
                format.plural(count, {
                  one: '# token',
                  few: '# tokeny',
                  many: '# tokenów',
                  other: '# tokena',
                }),
            }}
          />
        </ChatMessageRoot>
      </LabelsProvider>,
    )
    await expect.element(screen.getByText('3 tokeny')).toBeVisible()
    const chat = createChat({ api: '/api/chat', protocol: 'text', retry: false })
    chat.setMessages([makeMessage('a2', 'complete', [text('t2', 'مرحبا')], { usage: { outputTokens: 12 } })])
    const arabic = await render(
      <ChatProvider chat={chat} locale="ar-EG">
        <div style={{ height: 300, display: 'flex', flexDirection: 'column' }}>
          <MessageList />
        </div>
      </ChatProvider>,
    )
    await expect.element(arabic.getByText('١٢ tokens')).toBeVisible()
  })

  test('a real stream: the count on screen grows with the usage the backend reports per chunk', async () => {
    const server = controlledFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'stream-chunk', fetch: server.fetch, retry: false })
    const screen = await render(
      <ChatProvider chat={chat}>
        <div style={{ height: 400, display: 'flex', flexDirection: 'column' }}>
          <MessageList />
        </div>
      </ChatProvider>,
    )
    const done = chat.send('Count for me')
    await server.requested
    const seen: string[] = []
    for (let count = 1; count <= 3; count++) {
      server.push(
        `data: ${JSON.stringify({ text: ` word${count}`, is_complete: false, token_count: count })}\n\n`,
      )
      const label = count === 1 ? '1 token' : `${count} tokens`
      await expect.element(screen.getByText(label, { exact: true })).toBeVisible()
      expect(document.querySelector('[data-sluice="message-usage"]')?.getAttribute('data-status')).toBe(
        'streaming',
      )
      seen.push(label)
    }
    server.push(`data: ${JSON.stringify({ text: '', is_complete: true, token_count: 3 })}\n\n`)
    server.close()
    await done
    expect(seen).toEqual(['1 token', '2 tokens', '3 tokens'])
    await expect.element(screen.getByText('3 tokens', { exact: true })).toBeVisible()
    await expect
      .poll(() => document.querySelector('[data-sluice="message-usage"]')?.getAttribute('data-status'))
      .toBe('complete')
  })
})
