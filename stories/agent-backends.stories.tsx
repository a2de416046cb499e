import { ChatMessage } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect } from 'storybook/test'
import { message, textPart, toolCallPart } from './support/messages.ts'

/**
 * What the agent backends add to an answer, as their decoders leave it: agent-events' numbered
 * iterations ("Step 1 of 5") and tool execution times (seed 003), and the author of a message
 * another agent posted on a seed 004 channel.
 */
const meta = {
  title: 'Components/ChatMessage/Agent backends',
  component: ChatMessage,
  args: { message: message('assistant-1', 'assistant', 'complete', [textPart('Hello!')]) },
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

/**
 * agent-events: `IterationStart { iteration, max_iterations: 5 }` opens each step; the separators
 * read "Step 1 of 5", "Step 2 of 5".
 */
export const Iterations: Story = {
  args: {
    message: message(
      'assistant-1',
      'assistant',
      'complete',
      [
        { type: 'step-start', stepId: 'iteration-1' },
        textPart('Let me look up the weather first.', 'done', 'text-1'),
        { type: 'step-start', stepId: 'iteration-2' },
        textPart('It is 21 °C and sunny in Paris.', 'done', 'text-2'),
      ],
      { metadata: { maxIterations: 5 } },
    ),
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Step 1 of 5')).toBeVisible()
    await expect(canvas.getByText('Step 2 of 5')).toBeVisible()
    await expect(canvas.getByText('It is 21 °C and sunny in Paris.')).toBeVisible()
  },
}

/**
 * agent-events: `ToolCallComplete { success, execution_time_ms: 1234 }` becomes a `tool-execution`
 * data part; the finished card says how long the tool ran.
 */
export const ToolExecutionTime: Story = {
  args: {
    message: message('assistant-1', 'assistant', 'complete', [
      toolCallPart('output-available', 'call_1'),
      {
        type: 'data',
        id: 'tool-execution-call_1',
        name: 'tool-execution',
        data: { toolCallId: 'call_1', success: true, executionTimeMs: 1234 },
      },
      textPart('It is 21 °C and sunny in Paris.'),
    ]),
  },
  play: async ({ canvasElement }) => {
    const card = canvasElement.querySelector('[data-tool-call-id="call_1"]')
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(card?.querySelector('[data-sluice="tool-call-time"]')).toHaveTextContent('took 1.2 s')
  },
}

/**
 * message-events (seed 004): a message another agent posted on the channel shows its
 * `author_name` first, as plain text.
 */
export const ChannelAuthor: Story = {
  args: {
    message: message('msg-7', 'assistant', 'complete', [textPart('The build on main is green again.')], {
      metadata: { authorName: 'Release bot' },
    }),
  },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvasElement.querySelector('[data-sluice="message-author"]')).toHaveTextContent(
      'Release bot',
    )
    await expect(canvas.getByText('The build on main is green again.')).toBeVisible()
  },
}
