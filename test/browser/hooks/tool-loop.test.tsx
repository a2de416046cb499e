/**
 * The agent loop in a real page: `useStreamingChat` + `ChatMessage` over the OpenAI mock in the
 * service worker. The model asks for a tool, the user approves it in the tool card, and the
 * result goes back to the model without another message from the user.
 */
import {
  lastAssistantMessageIsCompleteWithToolCalls,
  type Message,
  type ToolCallPart,
  toOpenAIChatMessages,
} from '@sluice/core'
import { openai, scenario } from '@sluice/msw'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import type { ToolRenderers } from '../../../packages/react/src/components/tool-call-card.tsx'
import { useStreamingChat } from '../../../packages/react/src/hooks/index.ts'
import { startWorker, worker } from './mock-stream.ts'

beforeAll(startWorker)
afterEach(() => worker.resetHandlers())
afterAll(() => worker.stop())

function Chat({ sendFirst }: { sendFirst: string }) {
  const { messages, send, addToolResult, status } = useStreamingChat({
    api: 'https://api.openai.com/v1/chat/completions',
    protocol: 'openai-chat',
    retry: false,
    body: (history: readonly Message[]) => ({
      model: 'gpt-4o',
      stream: true,
      messages: toOpenAIChatMessages(history),
    }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
  })
  // The app's approval step for a tool it runs itself.
  const toolRenderers: ToolRenderers = {
    get_weather: ({ part }: { part: ToolCallPart }) =>
      part.state === 'input-available' ? (
        <button
          type="button"
          onClick={() => addToolResult({ toolCallId: part.toolCallId, output: { celsius: 21 } })}
        >
          Allow weather lookup
        </button>
      ) : undefined,
  }
  return (
    <div>
      <button type="button" onClick={() => void send(sendFirst)}>
        Ask
      </button>
      <p data-testid="status">{status}</p>
      {messages.map((message) => (
        <ChatMessage key={message.id} message={message} toolRenderers={toolRenderers} />
      ))}
    </div>
  )
}

test('approve a tool call in its card: the result goes back and the next answer streams', async () => {
  const mock = openai.chatCompletions(
    scenario()
      .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
      .step()
      .text('It is 21 °C in Paris.'),
  )
  worker.use(mock)
  const screen = await render(<Chat sendFirst="Weather in Paris?" />)
  await userEvent.click(page.getByRole('button', { name: 'Ask' }))

  const allow = page.getByRole('button', { name: 'Allow weather lookup' })
  await expect.element(allow).toBeVisible()
  expect(mock.calls).toHaveLength(1)
  const card = () => document.querySelector('[data-sluice="tool-call-card"]')
  expect(card()?.getAttribute('data-state')).toBe('input-available')

  await userEvent.click(allow)
  await expect.poll(() => card()?.getAttribute('data-state')).toBe('output-available')
  await expect
    .poll(() => [...document.querySelectorAll('[data-role="assistant"]')].at(-1)?.textContent ?? '')
    .toContain('It is 21 °C in Paris.')
  await expect.element(screen.getByTestId('status')).toHaveTextContent('idle')
  expect(mock.calls).toHaveLength(2)
  const second = mock.calls[1]?.body as {
    messages: { role: string; tool_call_id?: string; content: unknown }[]
  }
  expect(second.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool'])
  expect(second.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' })
  // Two answers: the tool call, then the text written with its result.
  expect(document.querySelectorAll('[data-role="assistant"]')).toHaveLength(2)
})
