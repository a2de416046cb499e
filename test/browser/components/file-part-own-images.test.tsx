/**
 * A user's own inline image in the message they sent, in Chromium: the composer (with no upload)
 * sends a small image as a `data:` URL, and the sent message shows it as a thumbnail, as the
 * composer did. The same URL in an answer stays a name (the model's `data:` images need the app's
 * `allowDataImages`), and only raster images (PNG, JPEG, GIF, WebP) of bounded size whose media
 * type matches are ever shown: never SVG.
 */
import type { FilePart, Message } from '@sluice/core'
import { useState } from 'react'
import { expect, test } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { Composer } from '../../../packages/react/src/components/composer.tsx'
import { MAX_OWN_DATA_IMAGE_LENGTH } from '../../../packages/react/src/components/file-part.tsx'
import '../../../packages/react/src/theme.css'
import { expectNoAxeViolations } from './helpers.ts'

const WIDTH = 4
const HEIGHT = 3

/** A real 4 × 3 image, so a thumbnail that decodes is recognisable by its size. */
async function imageBytes(type: string): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(WIDTH, HEIGHT)
  const context = canvas.getContext('2d')!
  context.fillStyle = '#3366cc'
  context.fillRect(0, 0, WIDTH, HEIGHT)
  return new Uint8Array(await (await canvas.convertToBlob({ type })).arrayBuffer())
}

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function message(role: Message['role'], parts: Message['parts']): Message {
  return { id: `${role}-1`, role, status: 'complete', parts }
}

function file(url: string, mediaType: string, name: string): FilePart {
  return { type: 'file', url, mediaType, name }
}

async function decoded(image: HTMLImageElement): Promise<void> {
  await expect.poll(() => image.complete && image.naturalWidth > 0, { timeout: 5000 }).toBe(true)
}

test('the image a user attached in the composer shows as a thumbnail in the message they sent', async () => {
  const bytes = await imageBytes('image/png')
  function Thread() {
    const [sent, setSent] = useState<Message | null>(null)
    return (
      <>
        {sent !== null && <ChatMessage message={sent} />}
        <Composer
          attachments
          onSend={(text, files) =>
            setSent(message('user', [{ type: 'text', id: 't', text, state: 'done' }, ...files]))
          }
        />
      </>
    )
  }
  const screen = await render(<Thread />)
  const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')!
  await userEvent.upload(input, new File([bytes.slice()], 'chart.png', { type: 'image/png' }))
  await expect.element(screen.getByRole('img', { name: 'chart.png' })).toBeVisible()
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('What does this chart show?{Enter}')

  const sent = screen.container.querySelector('[data-sluice="message"]') as HTMLElement
  await expect.poll(() => sent.querySelector('[data-sluice="file-preview"]')).not.toBeNull()
  const preview = sent.querySelector('[data-sluice="file-preview"]') as HTMLElement
  expect(preview.dataset.state).toBe('loaded')
  const image = preview.querySelector('img') as HTMLImageElement
  // The message carries the data URL the composer read (no upload was given), and shows it.
  expect(image.getAttribute('src')).toBe(`data:image/png;base64,${base64(bytes)}`)
  await decoded(image)
  expect([image.naturalWidth, image.naturalHeight]).toEqual([WIDTH, HEIGHT])
  await expect.element(screen.getByRole('img', { name: 'chart.png' })).toBeVisible()
  // The caption names the file as text: a data URL is never put in a link.
  expect(preview.querySelector('figcaption')?.textContent).toBe('chart.png (image/png)')
  expect(preview.querySelector('a')).toBeNull()
  await expectNoAxeViolations(screen.container)
})

test('PNG, JPEG, GIF and WebP data images of the user show; the same URL in an answer stays a name', async () => {
  for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
    // Chromium encodes PNG, JPEG and WebP; a GIF is a 1×1 pixel written out by hand.
    const url =
      type === 'image/gif'
        ? 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw=='
        : `data:${type};base64,${base64(await imageBytes(type))}`
    const name = `photo.${type.slice(6)}`
    const own = await render(<ChatMessage message={message('user', [file(url, type, name)])} />)
    const image = own.container.querySelector('[data-sluice="file-preview"] img') as HTMLImageElement | null
    expect(image?.getAttribute('src'), type).toBe(url)
    await decoded(image!)
    expect(image!.naturalWidth, type).toBe(type === 'image/gif' ? 1 : WIDTH)

    const answer = await render(<ChatMessage message={message('assistant', [file(url, type, name)])} />)
    expect(answer.container.querySelector('img'), type).toBeNull()
    const shown = answer.container.querySelector('[data-sluice="file"]') as HTMLElement
    expect(shown.dataset.state, type).toBe('blocked')
    expect(shown.textContent, type).toBe(`${name} (${type})`)
  }
})

test('in the user message too: never SVG, nothing but base64 raster images whose media type matches, and not beyond the size cap', async () => {
  const png = base64(await imageBytes('image/png'))
  const refused: [string, FilePart][] = [
    [
      'SVG',
      file(
        'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
        'image/svg+xml',
        'x.svg',
      ),
    ],
    ['SVG labelled PNG', file('data:image/svg+xml;base64,PHN2Zy8+', 'image/png', 'x.png')],
    ['PNG labelled SVG', file(`data:image/png;base64,${png}`, 'image/svg+xml', 'x.svg')],
    ['PNG labelled JPEG', file(`data:image/png;base64,${png}`, 'image/jpeg', 'x.jpg')],
    ['BMP', file('data:image/bmp;base64,Qk0=', 'image/bmp', 'x.bmp')],
    ['not base64', file('data:image/png,<svg onload=alert(1)>', 'image/png', 'x.png')],
    ['markup after the data', file(`data:image/png;base64,${png}"><img src=x>`, 'image/png', 'x.png')],
    ['text/html', file('data:text/html;base64,PHNjcmlwdD48L3NjcmlwdD4=', 'image/png', 'x.png')],
    [
      'over the cap',
      file(
        `data:image/png;base64,${png.replace(/=+$/, '')}${'A'.repeat(MAX_OWN_DATA_IMAGE_LENGTH)}`,
        'image/png',
        'huge.png',
      ),
    ],
  ]
  for (const [what, part] of refused) {
    const screen = await render(<ChatMessage message={message('user', [part])} />)
    expect(screen.container.querySelector('img'), what).toBeNull()
    const shown = screen.container.querySelector('[data-sluice="file"]') as HTMLElement | null
    expect(shown?.textContent, what).toBe(`${part.name} (${part.mediaType})`)
    expect(screen.container.querySelector('a'), what).toBeNull()
  }
  // At the cap exactly it still shows (the cap counts the whole URL).
  const prefix = `data:image/png;base64,${png}`
  const padding = MAX_OWN_DATA_IMAGE_LENGTH - prefix.length
  const atCap = `data:image/png;base64,${png.replace(/=+$/, '')}${'A'.repeat(padding - (padding % 4))}`
  expect(atCap.length).toBeLessThanOrEqual(MAX_OWN_DATA_IMAGE_LENGTH)
  const screen = await render(
    <ChatMessage message={message('user', [file(atCap, 'image/png', 'big.png')])} />,
  )
  expect(screen.container.querySelector('img')?.getAttribute('src')?.length).toBe(atCap.length)
})

test("a user message's http(s) image still waits for a click: only data the user's own page holds shows at once", async () => {
  const screen = await render(
    <ChatMessage
      message={message('user', [file('https://images.elsewhere.test/cat.png', 'image/png', 'cat.png')])}
    />,
  )
  const preview = screen.container.querySelector('[data-sluice="file-preview"]') as HTMLElement
  expect(preview.dataset.state).toBe('placeholder')
  expect(preview.querySelector('img')).toBeNull()
  await expect.element(screen.getByRole('button', { name: 'Load image' })).toBeVisible()
})
