import { Composer } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn } from 'storybook/test'

/** `Composer`: the message box. Enter sends, Shift+Enter breaks the line, Escape stops. */
const meta = {
  title: 'Components/Composer',
  component: Composer,
  args: { onSend: fn(), onStop: fn(), placeholder: 'Ask anything' },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Composer>

export default meta
type Story = StoryObj<typeof meta>

/** Idle: Send is disabled until there is text; Enter sends and clears the box, focus stays. */
export const Idle: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Message' })
    const send = canvas.getByRole('button', { name: 'Send' })
    await expect(send).toBeDisabled()
    await userEvent.type(input, '   ')
    // Blank text is not a message.
    await expect(send).toBeDisabled()
    await userEvent.clear(input)
    await userEvent.type(input, 'First line{Shift>}{Enter}{/Shift}second line')
    await expect(input).toHaveValue('First line\nsecond line')
    await expect(args.onSend).not.toHaveBeenCalled()
    await userEvent.keyboard('{Enter}')
    await expect(args.onSend).toHaveBeenCalledWith('First line\nsecond line', [])
    await expect(input).toHaveValue('')
    await expect(input).toHaveFocus()
  },
}

/** Clicking Send works as Enter does. */
export const SendByClick: Story = {
  args: { defaultValue: 'What is the weather in Paris?' },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }))
    await expect(args.onSend).toHaveBeenCalledWith('What is the weather in Paris?', [])
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toHaveValue('')
  },
}

/** While an answer streams, Send becomes Stop; Escape in the box stops too. Enter sends nothing. */
export const Streaming: Story = {
  args: { status: 'streaming', defaultValue: 'A follow-up' },
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(canvasElement.querySelector('[data-sluice="composer"]')).toHaveAttribute(
      'data-status',
      'streaming',
    )
    await expect(canvas.queryByRole('button', { name: 'Send' })).not.toBeInTheDocument()
    const input = canvas.getByRole('textbox', { name: 'Message' })
    await userEvent.click(input)
    await userEvent.keyboard('{Enter}')
    await expect(args.onSend).not.toHaveBeenCalled()
    await userEvent.keyboard('{Escape}')
    await expect(args.onStop).toHaveBeenCalledTimes(1)
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await expect(args.onStop).toHaveBeenCalledTimes(2)
  },
}

/** Waiting for the first byte counts as busy too. */
export const Submitted: Story = {
  args: { status: 'submitted' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeEnabled()
  },
}

/** Disabled: nothing can be typed or sent. */
export const Disabled: Story = {
  args: { disabled: true, defaultValue: 'Cannot send this' },
  play: async ({ args, canvas, userEvent }) => {
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeDisabled()
    const send = canvas.getByRole('button', { name: 'Send' })
    await expect(send).toBeDisabled()
    await userEvent.click(send)
    await expect(args.onSend).not.toHaveBeenCalled()
  },
}
