import { anthropic, openai, scenario } from '@sluice/msw'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { LiveChat } from './support/live-chat.tsx'
import { worker } from './support/msw-worker.ts'

/**
 * The components on a live stream: each story's `msw` parameter is the mocked provider
 * (`@sluice/msw`, through MSW's service worker), and the play function types a question and
 * watches the answer as a user would.
 */
const meta = {
  title: 'Live chat',
  component: LiveChat,
} satisfies Meta<typeof LiveChat>

export default meta
type Story = StoryObj<typeof meta>

type PlayContext = Parameters<NonNullable<Story['play']>>[0]
type Canvas = PlayContext['canvas']
type UserEvent = PlayContext['userEvent']

const question = 'What is the capital of France?'
const answer =
  'Paris is the capital of France. It sits on the Seine, has about two million inhabitants, and has been the seat of government for most of the last thousand years.'

/** Type the question and press Enter, as a user does. */
async function ask(canvas: Canvas, userEvent: UserEvent, text = question): Promise<void> {
  await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), text)
  await userEvent.keyboard('{Enter}')
}

/** The last assistant message in the thread. */
function lastAnswer(root: HTMLElement): HTMLElement {
  const answers = root.querySelectorAll<HTMLElement>('[data-role="assistant"]')
  const last = answers[answers.length - 1]
  if (!last) throw new Error('lastAnswer: the thread has no assistant message yet.')
  return last
}

/** The answer's text as rendered (markdown included). */
function answerText(root: HTMLElement): string {
  return [...lastAnswer(root).querySelectorAll('[data-sluice="message-text"]')]
    .map((part) => part.textContent)
    .join('')
}

const streamingAnswer = openai.chatCompletions(
  scenario().text(answer).usage({ inputTokens: 14, outputTokens: 38 }).firstByte(500).tokensPerSecond(40),
)

/**
 * The whole life of an answer: the placeholder with its typing indicator, text that grows
 * while the log is busy and the composer offers Stop, then `complete`, announced once.
 */
export const Streaming: Story = {
  parameters: { msw: [streamingAnswer] },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    const log = canvas.getByRole('log', { name: 'Messages' })
    await waitFor(() => expect(canvasElement.querySelector('[data-role="user"]')).toHaveTextContent(question))

    // The placeholder, before the first byte.
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'pending'))
    await expect(within(lastAnswer(canvasElement)).getByRole('status')).toHaveTextContent(
      'Waiting for the answer',
    )
    await expect(log).toHaveAttribute('aria-busy', 'true')
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeVisible()

    // Text arrives and grows.
    await waitFor(() => {
      expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'streaming')
      expect(answerText(canvasElement).length).toBeGreaterThan(0)
    })
    const early = answerText(canvasElement)
    await expect(early.length).toBeLessThan(answer.length)
    await expect(answer.startsWith(early.trimEnd())).toBe(true)
    await waitFor(() => expect(answerText(canvasElement).length).toBeGreaterThan(early.length))
    await expect(within(lastAnswer(canvasElement)).queryByRole('status')).not.toBeInTheDocument()

    // The end: complete, the full text, the log no longer busy, one announcement.
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), {
      timeout: 8000,
    })
    await expect(answerText(canvasElement)).toBe(answer)
    await expect(log).toHaveAttribute('aria-busy', 'false')
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeVisible()
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-sluice="message-list-announcer"]')).toHaveTextContent(answer),
    )
    await expect(streamingAnswer.lastCall?.body).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: question }],
    })
  },
}

const slowAnswer = openai.chatCompletions(scenario().text(`${answer} ${answer}`).tokensPerSecond(15))

/** Stop mid-answer: the request is aborted, the text so far stays, the message is `cancelled`. */
export const Stop: Story = {
  parameters: { msw: [slowAnswer] },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    await waitFor(() => expect(answerText(canvasElement).length).toBeGreaterThan(20), { timeout: 5000 })
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))

    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'cancelled'))
    const kept = answerText(canvasElement)
    await expect(kept.length).toBeGreaterThan(20)
    await expect(answer.startsWith(kept.trimEnd())).toBe(true)
    await expect(within(lastAnswer(canvasElement)).getByText('Stopped')).toBeVisible()
    // The server saw the request go away, and nothing more is applied afterwards.
    await waitFor(() => expect(slowAnswer.lastCall?.aborted).toBe(true))
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect(answerText(canvasElement)).toBe(kept)
    await expect(canvas.getByRole('log', { name: 'Messages' })).toHaveAttribute('aria-busy', 'false')
  },
}

const silentProvider = openai.chatCompletions(
  scenario().text('This never arrives.').stall({ afterEvents: 0 }),
)

/** The provider accepts the request and sends nothing: the placeholder waits; Stop ends it with no text. */
export const Placeholder: Story = {
  parameters: { msw: [silentProvider] },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'pending'))
    const indicator = within(lastAnswer(canvasElement)).getByRole('status')
    await expect(indicator).toHaveTextContent('Waiting for the answer')
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }))
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'cancelled'))
    // The typing indicator exists only while waiting.
    await expect(within(lastAnswer(canvasElement)).queryByRole('status')).not.toBeInTheDocument()
    await expect(answerText(canvasElement)).toBe('')
  },
}

const recovered = 'Paris.'

/** The provider fails mid-stream: its message shows under the partial text; Retry asks again and succeeds. */
export const ErrorMidstream: Story = {
  parameters: {
    msw: [
      openai.chatCompletions(
        scenario()
          .text('The capital of France is')
          .errorMidstream('The server had an error while processing your request.', { code: 'server_error' })
          .tokensPerSecond(40),
      ),
    ],
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'error'), {
      timeout: 5000,
    })
    await expect(canvas.getByText('The server had an error while processing your request.')).toBeVisible()
    await expect(answerText(canvasElement)).toBe('The capital of France is')

    // The provider is back.
    worker.use(openai.chatCompletions(scenario().text(recovered)))
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), {
      timeout: 5000,
    })
    await expect(answerText(canvasElement)).toBe(recovered)
    await expect(
      canvas.queryByText('The server had an error while processing your request.'),
    ).not.toBeInTheDocument()
    // Retry replaces the failed answer: one question, one answer.
    await expect(canvasElement.querySelectorAll('[data-role="assistant"]')).toHaveLength(1)
    await expect(canvasElement.querySelectorAll('[data-role="user"]')).toHaveLength(1)
  },
}

/** The provider refuses the request (HTTP 429): its own error message shows, and Retry works. */
export const HttpError: Story = {
  parameters: { msw: [openai.chatCompletions(scenario().httpError(429))] },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'error'))
    await expect(canvas.getByText('Rate limit reached. Please try again later.')).toBeVisible()
    worker.use(openai.chatCompletions(scenario().text(recovered)))
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'))
    await expect(answerText(canvasElement)).toBe(recovered)
  },
}

/**
 * The connection drops mid-answer: the text so far stays, the message is `interrupted`, and
 * Retry asks again. (Resume needs SSE ids, which OpenAI does not send; `ChatMessage/Interrupted`
 * shows Resume.)
 */
export const Interrupted: Story = {
  parameters: {
    msw: [openai.chatCompletions(scenario().text(answer).tokensPerSecond(60).disconnectAfter(8))],
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'interrupted'), {
      timeout: 5000,
    })
    const partial = answerText(canvasElement)
    await expect(partial.length).toBeGreaterThan(0)
    await expect(partial.length).toBeLessThan(answer.length)
    await expect(answer.startsWith(partial.trimEnd())).toBe(true)
    await expect(
      lastAnswer(canvasElement).querySelector('[data-sluice="message-status-text"]'),
    ).not.toBeEmptyDOMElement()
    await expect(canvas.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument()

    worker.use(openai.chatCompletions(scenario().text(recovered)))
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'))
    await expect(answerText(canvasElement)).toBe(recovered)
  },
}

/** Anthropic extended thinking: the reasoning is open while it streams, then folds into "Thought for N s". */
export const Reasoning: Story = {
  args: { provider: 'anthropic' },
  parameters: {
    msw: [
      anthropic.messages(
        scenario()
          .reasoning(
            'The user asks for the capital of France. That is Paris. A one-sentence answer with one fact about the city is enough here.',
          )
          .text('The capital of France is Paris, on the Seine.')
          .tokensPerSecond(30),
      ),
    ],
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent)
    const thinking = await canvas.findByRole('button', { name: 'Thinking…' }, { timeout: 5000 })
    await expect(thinking).toHaveAttribute('aria-expanded', 'true')
    await expect(canvasElement.querySelector('[data-sluice="reasoning"]')).toHaveAttribute(
      'data-state',
      'open',
    )
    await waitFor(() => expect(canvas.getByText(/The user asks for the capital/)).toBeVisible())

    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), {
      timeout: 8000,
    })
    const done = canvas.getByRole('button', { name: /^Thought for \d+ s$/ })
    await expect(done).toHaveAttribute('aria-expanded', 'false')
    await expect(canvasElement.querySelector('[data-sluice="reasoning"]')).toHaveAttribute(
      'data-state',
      'closed',
    )
    await expect(answerText(canvasElement)).toBe('The capital of France is Paris, on the Seine.')
    await userEvent.click(done)
    await expect(canvas.getByText(/The user asks for the capital/)).toBeVisible()
  },
}

/** A tool call streams its input, the app runs it, and the card shows the result. */
export const ToolCall: Story = {
  args: {
    onToolCall: async () => {
      await new Promise((resolve) => setTimeout(resolve, 400))
      return { temperature: 18, conditions: 'Light rain' }
    },
  },
  parameters: {
    msw: [
      openai.chatCompletions(
        scenario()
          .text('Let me check the weather.')
          .toolCall(
            'get_weather',
            { city: 'Paris', unit: 'celsius', days: 3, details: ['wind', 'rain', 'uv'] },
            {
              id: 'call_weather',
            },
          )
          .tokensPerSecond(25),
      ),
    ],
  },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await ask(canvas, userEvent, 'What is the weather in Paris?')
    const card = () => canvasElement.querySelector('[data-tool-call-id="call_weather"]')
    await waitFor(() => expect(card()).toHaveAttribute('data-state', 'input-streaming'), { timeout: 5000 })
    await expect(card()).toHaveAttribute('data-tool-name', 'get_weather')
    await waitFor(() => expect(card()).toHaveAttribute('data-state', 'output-available'), { timeout: 8000 })
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'))
    const trigger = canvas.getByRole('button', { name: /get_weather/ })
    await expect(trigger).toHaveTextContent(/Done/)
    // The card opened while the input streamed and stays open: the result appears where the user was looking.
    await expect(trigger).toHaveAttribute('aria-expanded', 'true')
    await expect(canvas.getByRole('group', { name: 'Output' })).toHaveTextContent(
      /"conditions": "Light rain"/,
    )
  },
}
