import { ChatMessage, FeedbackButtons, type FeedbackValue, Suggestions } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn } from 'storybook/test'
import { message, textPart } from './support/messages.ts'

/**
 * `FeedbackButtons` (thumbs up / down with `aria-pressed`) and `Suggestions` (chips after an
 * answer, one click sends).
 */
const meta = {
  title: 'Components/Feedback and suggestions',
  component: Suggestions,
  args: { suggestions: ['Tell me more', 'Give an example', 'Summarise in one line'], onSelect: fn() },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720, padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Suggestions>

export default meta
type Story = StoryObj<typeof meta>

/** Three suggestions: each button sends its own text. */
export const SuggestionChips: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const group = canvas.getByRole('group', { name: 'Suggestions' })
    await expect(group).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Give an example' }))
    await expect(args.onSelect).toHaveBeenCalledWith('Give an example')
  },
}

/** While an answer streams the chips are hidden. */
export const SuggestionsWhileStreaming: Story = {
  args: { hidden: true },
  play: async ({ canvas }) => {
    await expect(canvas.queryByRole('group', { name: 'Suggestions' })).toBeNull()
  },
}

function Rated({ initial }: { initial: FeedbackValue | undefined }) {
  const [value, setValue] = useState(initial)
  return (
    <ChatMessage
      message={message('answer-1', 'assistant', 'complete', [textPart('Paris is the capital of France.')])}
    >
      <FeedbackButtons value={value} onChange={setValue} />
    </ChatMessage>
  )
}

/** No rating yet: both buttons unpressed; pressing one presses it. */
export const FeedbackUnrated: Story = {
  render: () => <Rated initial={undefined} />,
  play: async ({ canvas, userEvent }) => {
    const good = canvas.getByRole('button', { name: 'Good response' })
    await expect(good).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(good)
    await expect(good).toHaveAttribute('aria-pressed', 'true')
  },
}

/** Rated good. */
export const FeedbackPositive: Story = {
  render: () => <Rated initial="positive" />,
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Good response' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await expect(canvas.getByRole('button', { name: 'Bad response' })).toHaveAttribute(
      'aria-pressed',
      'false',
    )
  },
}

/** Rated bad. */
export const FeedbackNegative: Story = {
  render: () => <Rated initial="negative" />,
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Bad response' })).toHaveAttribute('aria-pressed', 'true')
  },
}
