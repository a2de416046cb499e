import type { FilePart } from '@sluice/core'
import { useState } from 'react'
import { expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../../test/browser/components/helpers.ts'
import '../../theme.css'
import { Composer } from '../composer.tsx'
import { FilePartView } from '../file-part.tsx'
import { AttachmentDropZone } from './attachment-drop-zone.tsx'
import { type UploadFile, useAttachments } from './use-attachments.ts'

// A real 1×1 PNG, so the thumbnail actually decodes.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
function png(name = 'dot.png'): File {
  const bytes = Uint8Array.from(atob(PNG_BASE64), (char) => char.charCodeAt(0))
  return new File([bytes], name, { type: 'image/png' })
}
function pdf(name = 'report.pdf', size = 2048): File {
  return new File([new Uint8Array(size)], name, { type: 'application/pdf' })
}

function fileInput(container: HTMLElement): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>('input[type="file"]')
  if (input === null) throw new Error('the composer has no file input')
  return input
}

function transfer(files: File[]): DataTransfer {
  const data = new DataTransfer()
  for (const file of files) data.items.add(file)
  return data
}

function dropOn(target: Element, files: File[]): void {
  const dataTransfer = transfer(files)
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }))
  }
}

test('picker: an image previews from its own blob: URL, is announced, and sends inline as a data URL', async () => {
  const onSend = vi.fn<(text: string, files: FilePart[]) => void>()
  const screen = await render(<Composer onSend={onSend} attachments />)
  await expect.element(screen.getByRole('button', { name: 'Attach files' })).toBeEnabled()
  await userEvent.upload(fileInput(screen.container), png())

  const list = screen.getByRole('list', { name: 'Attachments' })
  await expect.element(list).toBeVisible()
  const thumbnail = screen.getByRole('img', { name: 'dot.png' })
  await expect.element(thumbnail).toHaveAttribute('src', expect.stringMatching(/^blob:http/))
  const blobUrl = thumbnail.element().getAttribute('src') as string
  expect(new URL(blobUrl.slice(5)).origin).toBe(window.location.origin)
  await expect.element(screen.getByText('Attached dot.png')).toBeInTheDocument()
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeEnabled()
  await expectNoAxeViolations(screen.container)

  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('What is this?{Enter}')
  expect(onSend).toHaveBeenCalledExactlyOnceWith('What is this?', [
    {
      type: 'file',
      url: `data:image/png;base64,${PNG_BASE64}`,
      mediaType: 'image/png',
      name: 'dot.png',
      size: 70,
    },
  ])
  await expect.element(list).not.toBeInTheDocument()
  // The preview's blob URL was revoked with the send.
  await expect(fetch(blobUrl)).rejects.toThrow()
})

test('paste: a pasted image attaches; text-only paste still types', async () => {
  const screen = await render(<Composer onSend={() => {}} attachments />)
  const box = screen.getByRole('textbox', { name: 'Message' })
  await box.click()
  const event = new ClipboardEvent('paste', {
    bubbles: true,
    cancelable: true,
    clipboardData: transfer([png('shot.png')]),
  })
  box.element().dispatchEvent(event)
  expect(event.defaultPrevented).toBe(true)
  await expect.element(screen.getByRole('img', { name: 'shot.png' })).toBeVisible()
  await expect.element(screen.getByText('Attached shot.png')).toBeInTheDocument()

  const textOnly = new DataTransfer()
  textOnly.setData('text/plain', 'hello')
  const textEvent = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: textOnly })
  box.element().dispatchEvent(textEvent)
  expect(textEvent.defaultPrevented).toBe(false)
})

test('drop: files dropped on the composer, or on a drop zone sharing its controller, attach once', async () => {
  const onSend = vi.fn<(text: string, files: FilePart[]) => void>()
  function Thread() {
    const attachments = useAttachments({ uploadFile: async (file) => `https://files.test/${file.name}` })
    return (
      <AttachmentDropZone attachments={attachments} data-testid="zone">
        <p>The thread</p>
        <Composer onSend={onSend} attachments={attachments} />
      </AttachmentDropZone>
    )
  }
  const screen = await render(<Thread />)
  dropOn(screen.getByText('The thread').element(), [pdf('a.pdf')])
  await expect.element(screen.getByRole('listitem').filter({ hasText: 'a.pdf' })).toBeVisible()
  // Dropped on the composer inside the zone: attached once, not twice.
  dropOn(screen.getByRole('textbox', { name: 'Message' }).element(), [pdf('b.pdf')])
  await expect.element(screen.getByRole('listitem').filter({ hasText: 'b.pdf' })).toBeVisible()
  expect(screen.getByRole('listitem').elements()).toHaveLength(2)
  await expect.element(screen.getByText('application/pdf · 2 KB').first()).toBeVisible()
  await screen.getByRole('button', { name: 'Send' }).click()
  expect(onSend).toHaveBeenCalledExactlyOnceWith('', [
    {
      type: 'file',
      url: 'https://files.test/a.pdf',
      mediaType: 'application/pdf',
      name: 'a.pdf',
      size: 2048,
    },
    {
      type: 'file',
      url: 'https://files.test/b.pdf',
      mediaType: 'application/pdf',
      name: 'b.pdf',
      size: 2048,
    },
  ])
})

test('limits: count, size and type refusals show inline and name the file and the fix', async () => {
  const screen = await render(<Composer onSend={() => {}} attachments={{ maxFiles: 1, maxInlineSize: 10 }} />)
  await userEvent.upload(fileInput(screen.container), [png('big.png')])
  await expect
    .element(screen.getByRole('alert'))
    .toHaveTextContent(
      'big.png was not attached: it is 70 B, and images sent without an upload (uploadFile) may be at most 10 B.',
    )
  dropOn(screen.getByRole('textbox', { name: 'Message' }).element(), [pdf('doc.pdf')])
  await expect
    .element(screen.getByRole('alert'))
    .toHaveTextContent(
      'doc.pdf was not attached: without an upload (uploadFile) only PNG, JPEG, GIF and WebP images can be sent.',
    )
  await expect.element(screen.getByRole('list', { name: 'Attachments' })).not.toBeInTheDocument()
  await expectNoAxeViolations(screen.container)

  await screen.rerender(<Composer onSend={() => {}} attachments={{ maxFiles: 1 }} />)
  dropOn(screen.getByRole('textbox', { name: 'Message' }).element(), [png('one.png'), png('two.png')])
  await expect.element(screen.getByRole('img', { name: 'one.png' })).toBeVisible()
  await expect
    .element(screen.getByRole('alert'))
    .toHaveTextContent('two.png was not attached: at most 1 file can be attached to one message.')
})

test('uploadFile: progress shows, Send waits, removing aborts the upload; the remove button is keyboard reachable and announced', async () => {
  const signals: AbortSignal[] = []
  let progress: ((fraction: number) => void) | undefined
  const uploadFile: UploadFile = (_file, { signal, onProgress }) => {
    signals.push(signal)
    progress = onProgress
    return new Promise(() => {})
  }
  const screen = await render(<Composer onSend={() => {}} attachments={{ uploadFile }} defaultValue="Look" />)
  await userEvent.upload(fileInput(screen.container), pdf('slow.pdf'))
  const bar = screen.getByRole('progressbar', { name: 'Uploading slow.pdf' })
  await expect.element(bar).toBeVisible()
  progress?.(0.4)
  await expect.element(bar).toHaveAttribute('value', '40')
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  await expectNoAxeViolations(screen.container)

  screen.getByRole('button', { name: 'Remove slow.pdf' }).element().focus()
  await userEvent.keyboard('{Enter}')
  expect(signals[0]?.aborted).toBe(true)
  await expect.element(screen.getByText('Removed slow.pdf')).toBeInTheDocument()
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeEnabled()
})

test('a failed upload keeps the draft (text and other files) and says why', async () => {
  const uploadFile: UploadFile = async (file) => {
    if (file.name === 'bad.pdf') throw new Error('the server answered 413')
    return `https://files.test/${file.name}`
  }
  const onSend = vi.fn<(text: string, files: FilePart[]) => void>()
  const screen = await render(
    <Composer onSend={onSend} attachments={{ uploadFile }} defaultValue="Both files" />,
  )
  await userEvent.upload(fileInput(screen.container), [pdf('good.pdf'), pdf('bad.pdf')])
  await expect
    .element(screen.getByRole('alert'))
    .toHaveTextContent(
      'bad.pdf could not be uploaded: the server answered 413. Remove it to send the message.',
    )
  await expect.element(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('Both files')
  await expect
    .element(screen.getByRole('listitem').filter({ hasText: 'good.pdf' }))
    .toHaveAttribute('data-state', 'ready')
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  await screen.getByRole('button', { name: 'Remove bad.pdf' }).click()
  await screen.getByRole('button', { name: 'Send' }).click()
  expect(onSend).toHaveBeenCalledExactlyOnceWith('Both files', [
    {
      type: 'file',
      url: 'https://files.test/good.pdf',
      mediaType: 'application/pdf',
      name: 'good.pdf',
      size: 2048,
    },
  ])
})

test('security: a file part in an answer never makes the composer fetch or upload anything', async () => {
  const uploadFile = vi.fn<UploadFile>(async () => 'https://files.test/x')
  const fetchSpy = vi.spyOn(window, 'fetch')
  const before = performance.getEntriesByType('resource').length
  function Chat() {
    const attachments = useAttachments({ uploadFile })
    const [sent, setSent] = useState(0)
    return (
      <AttachmentDropZone attachments={attachments}>
        {/* What ChatMessage renders for an answer's file parts. */}
        <FilePartView
          part={{
            type: 'file',
            url: 'https://evil.test/leak.png?q=secret',
            mediaType: 'image/png',
            name: 'leak.png',
          }}
        />
        <FilePartView
          part={{
            type: 'file',
            url: 'https://evil.test/payload.pdf',
            mediaType: 'application/pdf',
            name: 'payload.pdf',
          }}
        />
        <Composer onSend={() => setSent(sent + 1)} attachments={attachments} />
      </AttachmentDropZone>
    )
  }
  const screen = await render(<Chat />)
  await expect.element(screen.getByText('payload.pdf')).toBeVisible()
  // Dragging the answer's link onto the composer carries a URL, not a file: nothing attaches.
  const link = new DataTransfer()
  link.setData('text/uri-list', 'https://evil.test/payload.pdf')
  screen
    .getByRole('textbox', { name: 'Message' })
    .element()
    .dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: link }))
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(uploadFile).not.toHaveBeenCalled()
  expect(fetchSpy).not.toHaveBeenCalled()
  const evil = performance
    .getEntriesByType('resource')
    .slice(before)
    .filter((entry) => entry.name.includes('evil.test'))
  expect(evil).toEqual([])
  expect(screen.container.querySelector('img[src*="evil.test"]')).toBeNull()
  await expect.element(screen.getByRole('list', { name: 'Attachments' })).not.toBeInTheDocument()
  fetchSpy.mockRestore()
})
