import {
  AttachmentDropZone,
  type AttachmentsOptions,
  Composer,
  type UploadFile,
  useAttachments,
} from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect } from 'react'
import { expect, fn } from 'storybook/test'

// A real 1×1 PNG, so the thumbnail decodes.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
function pngFile(name: string): File {
  return new File([Uint8Array.from(atob(PNG), (char) => char.charCodeAt(0))], name, { type: 'image/png' })
}
function pdfFile(name: string, size = 48_213): File {
  return new File([new Uint8Array(size)], name, { type: 'application/pdf' })
}

const uploaded: UploadFile = async (file) => `https://files.example.com/${encodeURIComponent(file.name)}`
const halfway: UploadFile = (_file, { onProgress }) => {
  onProgress(0.45)
  return new Promise(() => {})
}
const refused: UploadFile = async () => {
  throw new Error('the server answered 413 Payload Too Large')
}

interface DemoProps {
  options: AttachmentsOptions
  files: () => File[]
  onSend: (text: string, files: unknown[]) => void
}

/** A thread with a drop zone and a composer sharing one attachments controller, seeded with files. */
function AttachmentsDemo({ options, files, onSend }: DemoProps) {
  const attachments = useAttachments(options)
  const { add } = attachments
  useEffect(() => {
    // After mount (a timer, so React's StrictMode double effect seeds once).
    const timer = setTimeout(() => {
      const initial = files()
      if (initial.length > 0) add(initial)
    }, 0)
    return () => clearTimeout(timer)
  }, [add, files])
  return (
    <AttachmentDropZone attachments={attachments} style={{ maxWidth: 720, padding: 8 }}>
      <p>Drop files anywhere here, paste a screenshot into the box, or use Attach files.</p>
      <Composer onSend={onSend} attachments={attachments} placeholder="Ask about your files" />
    </AttachmentDropZone>
  )
}

/** Attachments in the `Composer`: picker, paste, drop, previews, upload progress, errors and limits. */
const meta = {
  title: 'Components/Composer/Attachments',
  component: AttachmentsDemo,
  args: { onSend: fn(), options: { uploadFile: uploaded }, files: (): File[] => [] },
} satisfies Meta<typeof AttachmentsDemo>

export default meta
type Story = StoryObj<typeof meta>

/** Nothing attached: the "Attach files" button only. */
export const Empty: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Attach files' })).toBeEnabled()
    await expect(canvas.queryByRole('list', { name: 'Attachments' })).toBeNull()
  },
}

/** An image (a thumbnail from the user's own blob: URL) and a PDF (name, type, size), both uploaded. */
export const WithImageAndPdf: Story = {
  args: { files: () => [pngFile('diagram.png'), pdfFile('quarterly-report.pdf')] },
  play: async ({ args, canvas, userEvent }) => {
    await expect(await canvas.findByRole('img', { name: 'diagram.png' })).toHaveAttribute(
      'src',
      expect.stringMatching(/^blob:/),
    )
    await expect(canvas.getByText('application/pdf · 47 KB')).toBeVisible()
    const send = canvas.getByRole('button', { name: 'Send' })
    await expect(send).toBeEnabled()
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Summarize these')
    await userEvent.click(send)
    await expect(args.onSend).toHaveBeenCalledWith('Summarize these', [
      expect.objectContaining({ url: 'https://files.example.com/diagram.png', mediaType: 'image/png' }),
      expect.objectContaining({
        url: 'https://files.example.com/quarterly-report.pdf',
        mediaType: 'application/pdf',
      }),
    ])
  },
}

/** Uploading: a progress bar per file; Send waits until every upload is done. */
export const Uploading: Story = {
  args: { options: { uploadFile: halfway }, files: () => [pdfFile('dataset.pdf', 3_200_000)] },
  play: async ({ canvas }) => {
    const bar = await canvas.findByRole('progressbar', { name: 'Uploading dataset.pdf' })
    await expect(bar).toHaveAttribute('value', '45')
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled()
  },
}

/** A failed upload: the draft stays, the file says why, and Send waits until it is removed. */
export const UploadError: Story = {
  args: { options: { uploadFile: refused }, files: () => [pdfFile('huge-scan.pdf')] },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'huge-scan.pdf could not be uploaded: the server answered 413 Payload Too Large. Remove it to send the message.',
    )
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled()
  },
}

/** Over the limits: one file at most here, so the second is refused inline with the reason. */
export const OverLimit: Story = {
  args: {
    options: { uploadFile: uploaded, maxFiles: 1 },
    files: () => [pngFile('first.png'), pngFile('second.png')],
  },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'second.png was not attached: at most 1 file can be attached to one message.',
    )
    await expect(canvas.getByRole('img', { name: 'first.png' })).toBeVisible()
  },
}

/** Without uploadFile: small images go inline as data: URLs; anything else is refused clearly. */
export const InlineOnly: Story = {
  args: { options: {}, files: () => [pngFile('inline.png'), pdfFile('notes.pdf')] },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'notes.pdf was not attached: without an upload (uploadFile) only PNG, JPEG, GIF and WebP images can be sent.',
    )
    await expect(await canvas.findByRole('img', { name: 'inline.png' })).toBeVisible()
  },
}
