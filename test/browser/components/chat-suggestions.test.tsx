import { createChat } from '@sluice/core'
import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { ChatSuggestions } from '../../../packages/react/src/components/chat-suggestions.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import '../../../packages/react/src/theme.css'
import { controlledFetch, expectNoAxeViolations } from './helpers.ts'

const aiSdkAnswer = (text: string, suggestions?: string[]) =>
  [
    { type: 'start', messageId: `a-${text}` },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', delta: text },
    { type: 'text-end', id: 't' },
    ...(suggestions === undefined ? [] : [{ type: 'data-suggestions', data: suggestions }]),
    { type: 'finish' },
  ]
    .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
    .join('')

test('the stream’s suggestions appear after the answer, one click sends it, they hide while the next answer streams', async () => {
  let stream = controlledFetch()
  const fetches: string[] = []
  const chat = createChat({
    api: '/api/chat',
    protocol: 'ai-sdk',
    retry: false,
    fetch: (input, init) => {
      fetches.push(String(init?.body ?? ''))
      return stream.fetch(input, init)
    },
  })
  const screen = await render(
    <div>
      <MessageList chat={chat} style={{ height: 300 }} />
      <ChatSuggestions chat={chat} />
    </div>,
  )
  const group = screen.locator.getByRole('group', { name: 'Suggestions' })
  const sent = chat.send('Capital of France?')
  await stream.requested
  stream.push(aiSdkAnswer('Paris.', ['Tell me more', 'And Lyon?']).slice(0, 60))
  await expect.element(group).not.toBeInTheDocument()
  stream.push(aiSdkAnswer('Paris.', ['Tell me more', 'And Lyon?']).slice(60))
  stream.close()
  await sent
  await expect.element(group).toBeVisible()
  await expect.element(group.getByRole('button', { name: 'And Lyon?' })).toBeVisible()
  await expectNoAxeViolations(screen.container)

  stream = controlledFetch()
  await group.getByRole('button', { name: 'And Lyon?' }).click()
  await stream.requested
  expect(fetches[1]).toContain('And Lyon?')
  await expect.element(group).not.toBeInTheDocument()
  stream.push(aiSdkAnswer('Lyon is second.'))
  stream.close()
  await expect.poll(() => chat.getState().status).toBe('idle')
  await expect.element(group).not.toBeInTheDocument()
})

test('the app’s suggestions after an answer whose stream sent none; none before any answer', async () => {
  const stream = controlledFetch()
  const chat = createChat({ api: '/api/chat', protocol: 'ai-sdk', retry: false, fetch: stream.fetch })
  const screen = await render(<ChatSuggestions chat={chat} suggestions={['Explain it simply']} />)
  const group = screen.locator.getByRole('group', { name: 'Suggestions' })
  await expect.element(group).not.toBeInTheDocument()
  const sent = chat.send('Hi')
  await stream.requested
  stream.push(aiSdkAnswer('Hello.'))
  stream.close()
  await sent
  await expect.element(group.getByRole('button', { name: 'Explain it simply' })).toBeVisible()
})
