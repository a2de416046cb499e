/** The DOM contract end to end: files attached in the Composer show in the sent user message as [data-sluice="file"]. */
import { createChat } from '@sluice/core'
import { ChatMessage, ChatProvider, Composer, useMessage, useMessageIds } from '@sluice/react'
import { expect, test } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'

function Row({ id }: { id: string }) {
  const message = useMessage(id)
  return message === undefined ? null : <ChatMessage message={message} />
}
function Messages() {
  return useMessageIds().map((id) => <Row key={id} id={id} />)
}

test('a sent message with an image and a PDF shows both as [data-sluice="file"]', async () => {
  const chat = createChat({
    api: '/api/chat',
    protocol: 'text',
    fetch: async () => new Response('Got them.', { headers: { 'content-type': 'text/plain' } }),
  })
  const screen = await render(
    <ChatProvider chat={chat}>
      <Messages />
      <Composer attachments={{ uploadFile: async (file) => `https://files.example.com/${file.name}` }} />
    </ChatProvider>,
  )
  const input = screen.container.querySelector('input[type="file"]') as HTMLInputElement
  await userEvent.upload(input, [
    new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }),
    new File([new Uint8Array(10)], 'notes.pdf', { type: 'application/pdf' }),
  ])
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeEnabled()
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('See attached{Enter}')
  await expect.element(screen.getByText('Got them.')).toBeVisible()
  const user = screen.container.querySelector('[data-role="user"]') as HTMLElement
  const files = Array.from(user.querySelectorAll('[data-sluice="file"]'))
  expect(files.map((file) => file.querySelector('[data-sluice="file-name"]')?.textContent)).toEqual([
    'photo.png',
    'notes.pdf',
  ])
  // The image from an origin the app did not allow is a placeholder: nothing was requested.
  expect(user.querySelector('img[src^="https://files.example.com"]')).toBeNull()
})
