import { ChatMessage } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect } from 'storybook/test'
import { message, textPart } from './support/messages.ts'

/**
 * The answer's token count (`ChatMessageUsage`, part of the default `ChatMessage`): the progress
 * a backend reports while the answer streams (seed 001's `token_count`), then the final usage
 * with the prompt's tokens. Nothing shows for a message without usage.
 */
const meta = {
  title: 'Components/ChatMessage/Usage',
  component: ChatMessage,
  args: {
    message: message(
      'answer-1',
      'assistant',
      'streaming',
      [textPart('Sluice streams every token', 'streaming')],
      {
        usage: { outputTokens: 4 },
      },
    ),
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

/** Streaming: the count so far, in the answer's own status. */
export const WhileStreaming: Story = {
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText('4 tokens')).toBeVisible()
    const usage = canvasElement.querySelector('[data-sluice="message-usage"]')
    await expect(usage).toHaveAttribute('data-status', 'streaming')
    // The prompt's count waits for the end of the answer.
    await expect(canvasElement.querySelector('[data-sluice="message-usage-prompt"]')).toBeNull()
  },
}

/** Complete: the final count and the prompt's tokens, numbers in the locale's digits. */
export const Complete: Story = {
  args: {
    message: message(
      'answer-1',
      'assistant',
      'complete',
      [textPart('Sluice streams every token of this answer.')],
      { usage: { inputTokens: 1200, outputTokens: 1, totalTokens: 1201 } },
    ),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('1 token')).toBeVisible()
    await expect(canvas.getByText('1,200 in the prompt')).toBeVisible()
  },
}

/** No usage: nothing is shown. */
export const WithoutUsage: Story = {
  args: {
    message: message('answer-1', 'assistant', 'complete', [textPart('No counts from this backend.')]),
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-sluice="message-usage"]')).toBeNull()
  },
}
