/** The docs/attachments.md sample, run in Chromium: attach by the picker, upload, send, and the request carries the files. */
import { afterEach, expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { AttachmentsChat, createAttachmentsChat } from './attachments-sample.tsx'

afterEach(() => vi.restoreAllMocks())

test('a picked PDF uploads, and the sent request carries it as an Anthropic document block', async () => {
  const uploads: string[] = []
  vi.spyOn(window, 'fetch').mockImplementation(async (input, init) => {
    const url = String(input)
    if (url.endsWith('/api/uploads')) {
      uploads.push(decodeURIComponent(new Headers(init?.headers).get('x-file-name') ?? ''))
      return Response.json({ url: 'https://files.example.com/u/1.pdf' })
    }
    throw new Error(`unexpected request to ${url}`)
  })
  const bodies: unknown[] = []
  const chat = createAttachmentsChat({
    fetch: async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)))
      return new Response('event: message_stop\ndata: {"type":"message_stop"}\n\n', {
        headers: { 'content-type': 'text/event-stream' },
      })
    },
  })
  const screen = await render(
    <AttachmentsChat chat={chat}>
      <p>thread</p>
    </AttachmentsChat>,
  )
  const input = screen.container.querySelector('input[type="file"]') as HTMLInputElement
  expect(input.accept).toBe('image/*,application/pdf')
  await userEvent.upload(input, new File([new Uint8Array(100)], 'plan.pdf', { type: 'application/pdf' }))
  await expect
    .element(screen.getByRole('listitem').filter({ hasText: 'plan.pdf' }))
    .toHaveAttribute('data-state', 'ready')
  expect(uploads).toEqual(['plan.pdf'])
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('Summarize{Enter}')
  await vi.waitFor(() => expect(bodies).toHaveLength(1))
  expect(bodies[0]).toMatchObject({
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'document',
            source: { type: 'url', url: 'https://files.example.com/u/1.pdf' },
            title: 'plan.pdf',
          },
          { type: 'text', text: 'Summarize' },
        ],
      },
    ],
  })
  await expect.element(screen.getByRole('list', { name: 'Attachments' })).not.toBeInTheDocument()
})
