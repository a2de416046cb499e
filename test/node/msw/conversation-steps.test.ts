/**
 * `steps: 'by-conversation'`: one provider mock serves a multi-step scenario to several
 * conversations, each running the agent loop of `createChat` from step 0.
 */
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  toAnthropicRequest,
  toOpenAIChatMessages,
} from '../../../packages/core/src/chat/provider-messages.ts'
import { lastAssistantMessageIsCompleteWithToolCalls } from '../../../packages/core/src/chat/tool-loop.ts'
import type { Message, ToolCallPart } from '../../../packages/core/src/message.ts'
import { anthropic, openai, scenario, streamHandler } from '../../../packages/msw/src/index.ts'
import { messagesOf, messageText, sequentialIds } from '../chat/helpers.ts'

vi.mock('react', () => ({}))

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const openaiApi = 'https://api.openai.test/v1/chat/completions'
const anthropicApi = 'https://api.anthropic.test/v1/messages'
const streamDeltaApi = 'https://agent.test/api/chat'

function weatherScenario() {
  return scenario()
    .text('Let me check the weather.')
    .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
    .step()
    .text('It is 21 °C and sunny in Paris.')
}

async function runWeatherTool(call: ToolCallPart): Promise<unknown> {
  return { city: (call.input as { city: string }).city, celsius: 21 }
}

function openaiChat() {
  return createChat({
    api: openaiApi,
    protocol: 'openai-chat',
    idGenerator: sequentialIds(),
    retry: false,
    body: (messages) => ({ model: 'gpt-4o', stream: true, messages: toOpenAIChatMessages(messages) }),
    onToolCall: runWeatherTool,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
  })
}

function anthropicChat() {
  return createChat({
    api: anthropicApi,
    protocol: 'anthropic',
    idGenerator: sequentialIds(),
    retry: false,
    body: (messages) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      ...toAnthropicRequest(messages),
    }),
    onToolCall: runWeatherTool,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
  })
}

/**
 * Seed 002's app loop: the assistant turn goes back with its `tool_calls` in the stream's
 * `ToolCall { id, name, arguments }` shape, then one `role: "tool"` result per call.
 */
function streamDeltaChat() {
  return createChat({
    api: streamDeltaApi,
    protocol: 'stream-delta',
    idGenerator: sequentialIds(),
    retry: false,
    body: (messages) => ({
      messages: toOpenAIChatMessages(messages).map((message) =>
        message.role === 'assistant' && message.tool_calls !== undefined
          ? {
              role: 'assistant',
              content: message.content,
              tool_calls: message.tool_calls.map((call) => ({
                id: call.id,
                name: call.function.name,
                arguments: JSON.parse(call.function.arguments) as unknown,
              })),
            }
          : message,
      ),
    }),
    onToolCall: runWeatherTool,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
  })
}

/** The conversation a user sees: the tool call got its result, then the answer that uses it. */
function expectToolThenAnswer(messages: Message[]): void {
  expect(messages.map((message) => [message.role, message.status])).toEqual([
    ['user', 'complete'],
    ['assistant', 'complete'],
    ['assistant', 'complete'],
  ])
  expect(messageText(messages[1]!)).toBe('Let me check the weather.')
  const call = messages[1]?.parts.find((part): part is ToolCallPart => part.type === 'tool-call')
  expect(call).toMatchObject({
    toolCallId: 'call_1',
    toolName: 'get_weather',
    state: 'output-available',
    output: { city: 'Paris', celsius: 21 },
  })
  expect(messageText(messages[2]!)).toBe('It is 21 °C and sunny in Paris.')
}

describe("steps: 'by-conversation'", () => {
  it('OpenAI Chat: two conversations one after another each get the tool call, then the answer', async () => {
    const mock = openai.chatCompletions(weatherScenario(), { steps: 'by-conversation' })
    server.use(mock)

    const first = openaiChat()
    await first.send('What is the weather in Paris?')
    expectToolThenAnswer(messagesOf(first.getState()))

    const second = openaiChat()
    await second.send('And the weather in Paris today?')
    expectToolThenAnswer(messagesOf(second.getState()))

    // Four requests in all: the handler's call count is not what picked the step.
    expect(mock.calls).toHaveLength(4)
  })

  it('OpenAI Chat: two conversations at the same time each start at step 0', async () => {
    server.use(openai.chatCompletions(weatherScenario(), { steps: 'by-conversation' }))
    const first = openaiChat()
    const second = openaiChat()
    await Promise.all([first.send('Weather in Paris?'), second.send('Weather in Paris, please?')])
    expectToolThenAnswer(messagesOf(first.getState()))
    expectToolThenAnswer(messagesOf(second.getState()))
  })

  it('Anthropic: tool_result turns do not restart the scenario; a new conversation does', async () => {
    const mock = anthropic.messages(weatherScenario(), { steps: 'by-conversation' })
    server.use(mock)

    const first = anthropicChat()
    await first.send('What is the weather in Paris?')
    expectToolThenAnswer(messagesOf(first.getState()))

    const second = anthropicChat()
    await second.send('And the weather in Paris today?')
    expectToolThenAnswer(messagesOf(second.getState()))
    expect(mock.calls).toHaveLength(4)
  })

  it('stream-delta (an agent mock, seed 002): one step per request, the tool call, then the answer with its result', async () => {
    const mock = streamHandler('stream-delta', streamDeltaApi, weatherScenario(), {
      steps: 'by-conversation',
    })
    server.use(mock)

    const first = streamDeltaChat()
    await first.send('What is the weather in Paris?')
    expectToolThenAnswer(messagesOf(first.getState()))
    const second = streamDeltaChat()
    await second.send('And the weather in Paris today?')
    expectToolThenAnswer(messagesOf(second.getState()))
    expect(mock.calls).toHaveLength(4)
    // The continuation carried the call and its result, as the app sent them.
    const continuation = mock.calls[1]?.body as { messages: { role: string; tool_call_id?: string }[] }
    expect(continuation.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool'])
    expect(continuation.messages[2]?.tool_call_id).toBe('call_1')
  })

  it('stream-delta without the option still streams every step in one response (an agent that runs its tools)', async () => {
    const mock = streamHandler('stream-delta', streamDeltaApi, weatherScenario())
    server.use(mock)
    const chat = createChat({
      api: streamDeltaApi,
      protocol: 'stream-delta',
      idGenerator: sequentialIds(),
      retry: false,
    })
    await chat.send('What is the weather in Paris?')
    expect(mock.calls).toHaveLength(1)
    expect(messageText(messagesOf(chat.getState()).at(-1)!)).toContain('It is 21 °C and sunny in Paris.')
  })

  it('a conversation past the last step gets an HTTP 500 in the provider error shape', async () => {
    const mock = openai.chatCompletions(scenario().text('Only one step.'), { steps: 'by-conversation' })
    server.use(mock)
    const response = await fetch(openaiApi, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        stream: true,
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '21' },
        ],
      }),
    })
    expect(response.status).toBe(500)
    const body = (await response.json()) as { error: { message: string } }
    expect(body.error.message).toContain('The mock scenario has only 1 step')
    expect(body.error.message).toContain('.step()')
    expect(mock.lastCall?.status).toBe(500)
  })

  it('Anthropic: the chat shows that error when its loop outruns the scenario', async () => {
    // One step that calls a tool: the automatic send is at step 2, which the scenario lacks.
    server.use(
      anthropic.messages(scenario().toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' }), {
        steps: 'by-conversation',
      }),
    )
    const chat = anthropicChat()
    await chat.send('What is the weather in Paris?')
    const messages = messagesOf(chat.getState())
    expect(messages.at(-1)?.status).toBe('error')
    expect(messages.at(-1)?.error?.message).toContain('The mock scenario has only 1 step')
  })
})

describe("steps: 'by-call' (the default) is unchanged", () => {
  it("the second conversation's first request gets step 2", async () => {
    server.use(openai.chatCompletions(weatherScenario()))
    const first = openaiChat()
    await first.send('What is the weather in Paris?')
    expectToolThenAnswer(messagesOf(first.getState()))

    const second = openaiChat()
    await second.send('And the weather in Paris today?')
    const messages = messagesOf(second.getState())
    expect(messages).toHaveLength(2)
    expect(messageText(messages[1]!)).toBe('It is 21 °C and sunny in Paris.')
  })
})
