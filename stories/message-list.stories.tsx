import { type Message, MessageList } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, waitFor } from 'storybook/test'
import {
  longMarkdown,
  longThread,
  message,
  reasoningPart,
  textPart,
  toolCallPart,
} from './support/messages.ts'

/** `MessageList`: the thread, a virtualized `role="log"` that is busy while an answer streams. */
const meta = {
  title: 'Components/MessageList',
  component: MessageList,
  args: {
    messages: [],
    onRetry: fn(),
    onResume: fn(),
    onRegenerate: fn(),
    onCopy: fn(),
    style: { height: 560 },
  },
} satisfies Meta<typeof MessageList>

export default meta
type Story = StoryObj<typeof meta>

/** One conversation that passes through every state a message can end in. */
const everyState: Message[] = [
  message('user-1', 'user', 'complete', [textPart('Explain streaming responses.')]),
  message('assistant-1', 'assistant', 'complete', [
    reasoningPart('The user wants an overview; cover transport, framing and failures.', 'done', 3),
    textPart(longMarkdown),
  ]),
  message('user-2', 'user', 'complete', [textPart('What is the weather in Paris and London?')]),
  message('assistant-2', 'assistant', 'complete', [
    toolCallPart('output-available', 'call_paris'),
    toolCallPart('output-error', 'call_london'),
    textPart('Paris: 18 °C and light rain. The London lookup failed.'),
  ]),
  message('user-3', 'user', 'complete', [textPart('Write a long poem.')]),
  message('assistant-3', 'assistant', 'cancelled', [textPart('Roses are red, the stream flows on,')]),
  message('user-4', 'user', 'complete', [textPart('Try another model.')]),
  message('assistant-4', 'assistant', 'error', [], {
    error: {
      message: 'The model `gpt-5-preview` does not exist or you do not have access to it.',
      status: 404,
    },
  }),
  message('user-5', 'user', 'complete', [textPart('Summarise the report.')]),
  message(
    'assistant-5',
    'assistant',
    'interrupted',
    [textPart('The report covers three quarters. In the first')],
    {
      error: { message: 'The connection closed before the answer finished.' },
    },
  ),
]

const streamingThread: Message[] = [
  message('user-1', 'user', 'complete', [textPart('What is the capital of France?')]),
  message('assistant-1', 'assistant', 'streaming', [textPart('The capital of France is', 'streaming')]),
]

/** A finished thread: the log is not busy, and only the last answer offers Retry. */
export const EveryState: Story = {
  args: { messages: everyState },
  play: async ({ canvas, canvasElement }) => {
    const log = canvas.getByRole('log', { name: 'Messages' })
    await expect(log).toHaveAttribute('aria-busy', 'false')
    await expect(log).toHaveAttribute('aria-live', 'off')
    // It opens at the latest message.
    await waitFor(() =>
      expect(canvas.getByText('The connection closed before the answer finished.')).toBeVisible(),
    )
    const statuses = [...canvasElement.querySelectorAll('[data-message-id^="assistant-"]')].map((element) => [
      element.getAttribute('data-message-id'),
      element.getAttribute('data-status'),
    ])
    await expect(statuses).toContainEqual(['assistant-5', 'interrupted'])
    await expect(canvas.getAllByRole('button', { name: 'Retry' })).toHaveLength(1)
  },
}

/** An answer streaming at the end of the thread: the log says it is busy. */
export const Streaming: Story = {
  args: { messages: streamingThread },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('log', { name: 'Messages' })).toHaveAttribute('aria-busy', 'true')
    await expect(canvas.getByText('The capital of France is')).toBeVisible()
  },
}

/** Nothing sent yet. */
export const Empty: Story = {
  args: { messages: [] },
  play: async ({ canvas }) => {
    const log = canvas.getByRole('log', { name: 'Messages' })
    await expect(log).toHaveAttribute('aria-busy', 'false')
    await expect(canvas.queryByRole('article')).not.toBeInTheDocument()
    await expect(log.querySelectorAll('[data-sluice="message"]')).toHaveLength(0)
  },
}

const thread = longThread(5000)

/**
 * 5,000 messages: only a window of rows is in the DOM, the list opens at the latest message,
 * and scrolling to the top shows the first one. "Jump to latest" brings the user back.
 */
export const FiveThousandMessages: Story = {
  args: { messages: thread },
  play: async ({ canvas, canvasElement, userEvent }) => {
    const log = canvas.getByRole('log', { name: 'Messages' })
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-message-id="message-5000"]')).toBeInTheDocument(),
    )
    const rows = () => canvasElement.querySelectorAll('[data-sluice="message-list-row"]').length
    await expect(rows()).toBeGreaterThan(0)
    await expect(rows()).toBeLessThan(60)
    await expect(canvasElement.querySelector('[data-message-id="message-1"]')).not.toBeInTheDocument()

    log.scrollTop = 0
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-message-id="message-1"]')).toBeInTheDocument(),
    )
    await expect(canvasElement.querySelector('[data-message-id="message-5000"]')).not.toBeInTheDocument()
    await expect(rows()).toBeLessThan(60)

    await userEvent.click(await canvas.findByRole('button', { name: 'Jump to latest' }))
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-message-id="message-5000"]')).toBeInTheDocument(),
    )
    await waitFor(() =>
      expect(canvas.queryByRole('button', { name: 'Jump to latest' })).not.toBeInTheDocument(),
    )
  },
}

/** The dark default theme over the same thread (the `theme` toolbar global, `data-theme="dark"`). */
export const DarkTheme: Story = {
  args: { messages: everyState },
  globals: { theme: 'dark' },
  play: async ({ canvas, canvasElement }) => {
    const themed = canvasElement.querySelector('[data-theme]')
    await expect(themed).toHaveAttribute('data-theme', 'dark')
    const log = canvas.getByRole('log', { name: 'Messages' })
    await waitFor(() =>
      expect(canvas.getByText('The connection closed before the answer finished.')).toBeVisible(),
    )
    // The theme's dark palette reaches the components: a dark background, light text.
    const list = canvasElement.querySelector('[data-sluice="message-list"]') as HTMLElement
    const background = getComputedStyle(themed as HTMLElement).backgroundColor
    await expect(background).toBe('rgb(22, 24, 27)')
    await expect(getComputedStyle(list).color).toBe('rgb(232, 234, 237)')
    await expect(log).toHaveAttribute('aria-busy', 'false')
  },
}
