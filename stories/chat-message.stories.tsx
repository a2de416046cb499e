import { ChatMessage } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { HttpResponse, http } from 'msw'
import { expect, fn, waitFor } from 'storybook/test'
import { longMarkdown, message, reasoningPart, textPart, toolCallPart } from './support/messages.ts'

/**
 * `ChatMessage` renders any message whatever its status. These stories pin each status with a
 * fixed message; `Live chat` shows the same states reached by a real stream.
 */
const meta = {
  title: 'Components/ChatMessage',
  component: ChatMessage,
  args: {
    message: message('assistant-1', 'assistant', 'complete', [textPart('Hello!')]),
    onRetry: fn(),
    onResume: fn(),
    onRegenerate: fn(),
    onCopy: fn(),
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ChatMessage>

export default meta
type Story = StoryObj<typeof meta>

const partialAnswer = 'The capital of France is Paris. It has been the seat of government since'

/** Sent, nothing back yet: the placeholder shows a typing indicator and no actions. */
export const Placeholder: Story = {
  args: { message: message('assistant-1', 'assistant', 'pending', []) },
  play: async ({ canvas, canvasElement }) => {
    const root = canvasElement.querySelector('[data-message-id="assistant-1"]')
    await expect(root).toHaveAttribute('data-status', 'pending')
    await expect(root).toHaveAttribute('data-role', 'assistant')
    await expect(canvas.getByRole('status')).toHaveTextContent('Waiting for the answer')
    // Nothing to copy, retry or regenerate yet.
    await expect(canvas.queryByRole('button')).not.toBeInTheDocument()
  },
}

/** Text arriving: a caret follows the text; no typing indicator, no actions until it ends. */
export const Streaming: Story = {
  args: { message: message('assistant-1', 'assistant', 'streaming', [textPart(partialAnswer, 'streaming')]) },
  play: async ({ canvas, canvasElement }) => {
    const root = canvasElement.querySelector('[data-message-id="assistant-1"]')
    await expect(root).toHaveAttribute('data-status', 'streaming')
    await expect(root).toHaveAttribute('data-streaming-text')
    await expect(canvas.getByText(/seat of government since/)).toBeVisible()
    await expect(canvasElement.querySelector('[data-sluice="caret"]')).toHaveAttribute('aria-hidden', 'true')
    await expect(canvas.queryByRole('status')).not.toBeInTheDocument()
    await expect(canvas.queryByRole('button', { name: 'Copy' })).not.toBeInTheDocument()
  },
}

/** Between agent steps: the last text is done and the next step has not begun, so the dots come back. */
export const WaitingBetweenSteps: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'streaming', [
      textPart('Let me look that up.'),
      toolCallPart('output-available'),
      { type: 'step-start' },
    ]),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Waiting for the answer')
    await expect(canvas.getByText('Let me look that up.')).toBeVisible()
  },
}

/** Finished: markdown rendered, Copy and Regenerate offered. */
export const Complete: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('The capital of France is **Paris**.\n\n- Population: about 2.1 million\n- River: the Seine'),
    ]),
  },
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(canvasElement.querySelector('[data-message-id="assistant-1"]')).toHaveAttribute(
      'data-status',
      'complete',
    )
    await expect(canvas.getByText('Paris', { selector: 'strong' })).toBeVisible()
    await expect(canvas.getAllByRole('listitem')).toHaveLength(2)
    await expect(canvas.queryByRole('status')).not.toBeInTheDocument()

    const copy = canvas.getByRole('button', { name: 'Copy' })
    await userEvent.click(copy)
    await expect(args.onCopy).toHaveBeenCalledWith(
      args.message,
      'The capital of France is **Paris**.\n\n- Population: about 2.1 million\n- River: the Seine',
    )
    await waitFor(() => expect(copy).toHaveAttribute('data-copied'))
    // The button keeps its name: a screen reader never hears it change.
    await expect(copy).toHaveAccessibleName('Copy')

    await userEvent.click(canvas.getByRole('button', { name: 'Regenerate' }))
    await expect(args.onRegenerate).toHaveBeenCalledWith(args.message)
  },
}

/** The user pressed Stop: the partial answer stays, marked "Stopped". */
export const Cancelled: Story = {
  args: { message: message('assistant-1', 'assistant', 'cancelled', [textPart(partialAnswer)]) },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvasElement.querySelector('[data-message-id="assistant-1"]')).toHaveAttribute(
      'data-status',
      'cancelled',
    )
    await expect(canvas.getByText(/seat of government since/)).toBeVisible()
    await expect(canvas.getByText('Stopped')).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
    await expect(canvasElement.querySelector('[data-sluice="caret"]')).not.toBeInTheDocument()
  },
}

/** The provider failed mid-answer: its message is shown with the partial text, and Retry re-runs it. */
export const ErrorState: Story = {
  name: 'Error',
  args: {
    message: message('assistant-1', 'assistant', 'error', [textPart('The capital of France is')], {
      error: {
        message: 'Rate limit reached for gpt-4o. Please try again in 20s.',
        code: 'rate_limit_exceeded',
        status: 429,
      },
    }),
  },
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(canvasElement.querySelector('[data-message-id="assistant-1"]')).toHaveAttribute(
      'data-status',
      'error',
    )
    await expect(canvas.getByText('Rate limit reached for gpt-4o. Please try again in 20s.')).toBeVisible()
    await expect(canvas.getByText('The capital of France is')).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await expect(args.onRetry).toHaveBeenCalledTimes(1)
    await expect(args.onRetry).toHaveBeenCalledWith(args.message)
    await expect(canvas.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument()
  },
}

/** The connection dropped: the partial answer stays, with Retry and Resume. */
export const Interrupted: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'interrupted', [textPart(partialAnswer)], {
      error: { message: 'The connection closed before the answer finished.' },
    }),
  },
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(canvasElement.querySelector('[data-message-id="assistant-1"]')).toHaveAttribute(
      'data-status',
      'interrupted',
    )
    await expect(canvas.getByText('The connection closed before the answer finished.')).toBeVisible()
    await expect(canvas.getByText(/seat of government since/)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Resume' }))
    await expect(args.onResume).toHaveBeenCalledWith(args.message)
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await expect(args.onRetry).toHaveBeenCalledWith(args.message)
  },
}

/** Reasoning while it streams: open, labelled "Thinking…". */
export const ReasoningStreaming: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'streaming', [
      reasoningPart('The user asks for the capital of France. That is Paris; mention the', 'streaming'),
    ]),
  },
  play: async ({ canvas, canvasElement }) => {
    const trigger = canvas.getByRole('button', { name: 'Thinking…' })
    await expect(trigger).toHaveAttribute('aria-expanded', 'true')
    await expect(canvasElement.querySelector('[data-sluice="reasoning"]')).toHaveAttribute(
      'data-state',
      'open',
    )
    await expect(canvas.getByText(/That is Paris; mention the/)).toBeVisible()
  },
}

/** Reasoning done: folded into "Thought for 4 s", the answer below; the user can open it again. */
export const ReasoningDone: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      reasoningPart('The user asks for the capital of France. That is Paris.', 'done', 4),
      textPart('The capital of France is Paris.'),
    ]),
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const trigger = canvas.getByRole('button', { name: 'Thought for 4 s' })
    await expect(trigger).toHaveAttribute('aria-expanded', 'false')
    await expect(canvas.queryByText(/That is Paris\./)).not.toBeInTheDocument()
    await userEvent.click(trigger)
    await expect(trigger).toHaveAttribute('aria-expanded', 'true')
    await expect(canvasElement.querySelector('[data-sluice="reasoning"]')).toHaveAttribute(
      'data-state',
      'open',
    )
    await expect(canvas.getByText(/That is Paris\./)).toBeVisible()
  },
}

/** Tool calls inside a message: each card carries its state. */
export const WithToolCalls: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('Let me check the weather in both cities.', 'done', 'text-1'),
      { ...toolCallPart('output-available', 'call_paris') },
      { ...toolCallPart('output-error', 'call_london') },
      textPart('It is 18 °C with light rain in Paris; the London lookup failed.', 'done', 'text-2'),
    ]),
  },
  play: async ({ canvasElement, canvas }) => {
    await expect(canvasElement.querySelector('[data-tool-call-id="call_paris"]')).toHaveAttribute(
      'data-state',
      'output-available',
    )
    await expect(canvasElement.querySelector('[data-tool-call-id="call_london"]')).toHaveAttribute(
      'data-state',
      'output-error',
    )
    await expect(canvas.getByText('The weather service timed out after 10 s.')).toBeVisible()
    await expect(canvas.getByText(/light rain in Paris/)).toBeVisible()
  },
}

/** A long markdown answer: headings, lists, a table, code, a quote, links, a task list. */
export const LongMarkdown: Story = {
  args: { message: message('assistant-1', 'assistant', 'complete', [textPart(longMarkdown)]) },
  play: async ({ canvas }) => {
    await expect(
      canvas.getByRole('heading', { level: 1, name: 'Streaming responses, explained' }),
    ).toBeVisible()
    await expect(canvas.getByRole('heading', { level: 3, name: 'Providers at a glance' })).toBeVisible()
    await expect(canvas.getByRole('table')).toBeVisible()
    await expect(canvas.getAllByRole('row')).toHaveLength(5)
    await expect(canvas.getByText(/readChatEvents\(response\.body!/)).toBeVisible()
    const link = canvas.getByRole('link', { name: 'MDN guide to server-sent events' })
    await expect(link).toHaveAttribute(
      'href',
      'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events',
    )
    // Model output never gets the page's referrer.
    await expect(link.getAttribute('rel')).toContain('noreferrer')
    await expect(canvas.getAllByRole('checkbox')).toHaveLength(3)
  },
}

/** The user's own words are shown as typed (no markdown), and can be edited and sent again. */
export const UserMessage: Story = {
  args: {
    message: message('user-1', 'user', 'complete', [
      textPart('What is **the** capital of France?\nAnswer briefly.'),
    ]),
    onEdit: fn(),
  },
  play: async ({ args, canvas, userEvent }) => {
    // Asterisks stay asterisks: people's text is not markdown.
    await expect(canvas.getByText(/What is \*\*the\*\* capital of France\?/)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Edit' }))
    const editor = canvas.getByRole('textbox', { name: 'Edit message' })
    await expect(editor).toHaveFocus()
    await userEvent.clear(editor)
    await userEvent.type(editor, 'What is the capital of Italy?')
    await userEvent.click(canvas.getByRole('button', { name: 'Resend' }))
    await expect(args.onEdit).toHaveBeenCalledWith(args.message, 'What is the capital of Italy?')
    // Back to the message once resent.
    await expect(canvas.queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument()
  },
}

/** A refusal is kept and shown like any answer, marked for styling. */
export const Refusal: Story = {
  args: {
    message: message(
      'assistant-1',
      'assistant',
      'complete',
      [{ type: 'text', id: 'text-1', text: "I can't help with that request.", state: 'done', refusal: true }],
      { finishReason: 'content-filter' },
    ),
  },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText("I can't help with that request.")).toBeVisible()
    await expect(canvasElement.querySelector('[data-sluice="message-text"]')).toHaveAttribute('data-refusal')
  },
}

/** Sources the model cited, as links that open without a referrer. */
export const WithSources: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('Paris has been the capital since 987.'),
      { type: 'source', url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris — Wikipedia' },
      { type: 'source', url: 'javascript:alert(1)', title: 'A hostile source' },
    ]),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('link', { name: 'Paris — Wikipedia' })).toHaveAttribute(
      'href',
      'https://en.wikipedia.org/wiki/Paris',
    )
    // A `javascript:` URL is shown as text, never as a link.
    await expect(canvas.getByText('A hostile source')).toBeVisible()
    await expect(canvas.queryByRole('link', { name: 'A hostile source' })).not.toBeInTheDocument()
  },
}

/** A small bar chart as PNG bytes, drawn in the page, so the image stories need no network. */
async function chartPng(): Promise<ArrayBuffer> {
  const canvas = new OffscreenCanvas(240, 120)
  const context = canvas.getContext('2d')!
  context.fillStyle = '#f4f6fb'
  context.fillRect(0, 0, 240, 120)
  context.fillStyle = '#3366cc'
  for (const [index, height] of [40, 70, 55, 95, 80].entries())
    context.fillRect(20 + index * 44, 110 - height, 30, height)
  return (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer()
}

/** Two image hosts, served by the story's MSW handlers: the stories allow the first, never the second. */
const imagesOrigin = 'https://images.example.com'
const elsewhereOrigin = 'https://uploads.elsewhere.example'
const imageHandlers = [imagesOrigin, elsewhereOrigin].map((origin) =>
  http.get(
    `${origin}/*`,
    async () => new HttpResponse(await chartPng(), { headers: { 'content-type': 'image/png' } }),
  ),
)

/**
 * An image file from an origin in `markdown.allowedOrigins`: the same allow-list as markdown
 * images, so it is previewed at once, with its name and type as a caption linking to it.
 */
export const FileImage: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('Here is the revenue chart you asked for.'),
      {
        type: 'file',
        url: `${imagesOrigin}/charts/revenue-q3.png`,
        mediaType: 'image/png',
        name: 'revenue-q3.png',
      },
    ]),
    markdown: { allowedOrigins: [imagesOrigin] },
  },
  parameters: { msw: imageHandlers },
  play: async ({ canvas, canvasElement }) => {
    const image = canvas.getByRole('img', { name: 'revenue-q3.png' })
    await expect(image).toHaveAttribute('src', `${imagesOrigin}/charts/revenue-q3.png`)
    await expect(image).toHaveAttribute('referrerpolicy', 'no-referrer')
    await waitFor(() => expect((image as HTMLImageElement).naturalWidth).toBe(240))
    await expect(canvasElement.querySelector('[data-sluice="file-preview"]')).toHaveAttribute(
      'data-state',
      'loaded',
    )
    await expect(canvas.getByRole('link', { name: 'revenue-q3.png (image/png)' })).toHaveAttribute(
      'rel',
      'noopener noreferrer nofollow',
    )
  },
}

/**
 * An image file from an origin nobody allowed: a placeholder shows its name and URL, and nothing
 * is requested until the user presses "Load image".
 */
export const FileImageFromUnknownOrigin: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('I found this photo of the venue.'),
      {
        type: 'file',
        url: `${elsewhereOrigin}/venue.png?ref=chat`,
        mediaType: 'image/png',
        name: 'venue.png',
      },
    ]),
    markdown: { allowedOrigins: [imagesOrigin] },
  },
  parameters: { msw: imageHandlers },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const preview = canvasElement.querySelector('[data-sluice="file-preview"]')
    await expect(preview).toHaveAttribute('data-state', 'placeholder')
    await expect(canvas.queryByRole('img')).not.toBeInTheDocument()
    await expect(canvas.getByText(`${elsewhereOrigin}/venue.png?ref=chat`)).toBeVisible()
    await userEvent.click(canvas.getByRole('button', { name: 'Load image' }))
    const image = canvas.getByRole('img', { name: 'venue.png' })
    await waitFor(() => expect((image as HTMLImageElement).naturalWidth).toBe(240))
    await expect(preview).toHaveAttribute('data-state', 'loaded')
  },
}

/**
 * Other files are links with their name and media type, opening in a new tab without a referrer;
 * a file whose URL is not safe (here `javascript:`) keeps its name as plain text.
 */
export const FileLinks: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      textPart('The report and the raw data are attached.'),
      {
        type: 'file',
        url: 'https://files.example.com/q3/report.pdf',
        mediaType: 'application/pdf',
        name: 'report.pdf',
      },
      { type: 'file', url: 'https://files.example.com/q3/quarterly%20data.csv', mediaType: 'text/csv' },
      { type: 'file', url: 'javascript:alert(1)', mediaType: 'text/html', name: 'invoice.html' },
    ]),
  },
  play: async ({ canvas }) => {
    const report = canvas.getByRole('link', { name: 'report.pdf (application/pdf)' })
    await expect(report).toHaveAttribute('href', 'https://files.example.com/q3/report.pdf')
    await expect(report).toHaveAttribute('target', '_blank')
    await expect(report).toHaveAttribute('rel', 'noopener noreferrer nofollow')
    // No name given: the URL's last segment names the file.
    await expect(canvas.getByRole('link', { name: 'quarterly data.csv (text/csv)' })).toBeVisible()
    await expect(canvas.getByText('invoice.html')).toBeVisible()
    await expect(canvas.queryByRole('link', { name: /invoice/ })).not.toBeInTheDocument()
  },
}
