/**
 * The agent loop: an answer that calls tools the app runs is sent back with the results, and
 * the model's next step streams into a new assistant message. Against the OpenAI and Anthropic
 * mocks (real wire formats), with the request bodies typed by the official SDKs.
 */
import type Anthropic from '@anthropic-ai/sdk'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import type OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type ChatOptions, createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  toAnthropicRequest,
  toOpenAIChatMessages,
} from '../../../packages/core/src/chat/provider-messages.ts'
import { lastAssistantMessageIsCompleteWithToolCalls } from '../../../packages/core/src/chat/tool-loop.ts'
import type { Message, ToolCallPart } from '../../../packages/core/src/message.ts'
import { anthropic, openai, scenario } from '../../../packages/msw/src/index.ts'
import { messagesOf, messageText, sequentialIds, waitFor } from './helpers.ts'

vi.mock('react', () => ({}))

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const openaiApi = 'https://api.openai.test/v1/chat/completions'
const anthropicApi = 'https://api.anthropic.test/v1/messages'

// The converters' output must be what the official SDKs accept as request messages.
const openaiMessages: (messages: readonly Message[]) => OpenAI.ChatCompletionMessageParam[] =
  toOpenAIChatMessages
const anthropicRequest: (messages: readonly Message[]) => {
  system?: string
  messages: Anthropic.MessageParam[]
} = toAnthropicRequest

function toolCalls(message: Message | undefined): ToolCallPart[] {
  return (message?.parts ?? []).filter((part): part is ToolCallPart => part.type === 'tool-call')
}

/** A chat against the OpenAI mock with the agent loop on; the body speaks Chat Completions. */
function openaiLoopChat(options: Partial<ChatOptions> = {}) {
  return createChat({
    api: openaiApi,
    protocol: 'openai-chat',
    retry: false,
    body: (messages) => ({ model: 'gpt-4o', stream: true, messages: toOpenAIChatMessages(messages) }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
    ...options,
  })
}

function weatherScenario() {
  return scenario()
    .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
    .step()
    .text('It is 21 °C in Paris.')
}

describe('sendAutomaticallyWhen', () => {
  it('OpenAI Chat: runs the tool, sends the result back as a tool message, streams the next step', async () => {
    const mock = openai.chatCompletions(weatherScenario())
    server.use(mock)
    const onToolCall = vi.fn(async (call: ToolCallPart) => ({
      city: (call.input as { city: string }).city,
      celsius: 21,
    }))
    const triggers: string[] = []
    const chat = createChat({
      api: openaiApi,
      protocol: 'openai-chat',
      idGenerator: sequentialIds(),
      retry: false,
      body: (messages) => ({ model: 'gpt-4o', stream: true, messages: openaiMessages(messages) }),
      onToolCall,
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      transport: {
        // The fetch transport, recording why each request was made.
        async *request(request) {
          triggers.push(request.trigger)
          const { createFetchTransport } = await import('../../../packages/core/src/chat/fetch-transport.ts')
          yield* createFetchTransport().request(request)
        },
      },
    })
    await chat.send('What is the weather in Paris?')

    expect(onToolCall).toHaveBeenCalledTimes(1)
    expect(triggers).toEqual(['send', 'tool-results'])
    expect(mock.calls).toHaveLength(2)
    const second = mock.calls[1]?.body as { messages: OpenAI.ChatCompletionMessageParam[] }
    expect(second.messages).toHaveLength(3)
    expect(second.messages[0]).toEqual({ role: 'user', content: 'What is the weather in Paris?' })
    const assistant = second.messages[1] as OpenAI.ChatCompletionAssistantMessageParam
    expect(assistant.role).toBe('assistant')
    expect(assistant.content).toBeNull()
    expect(assistant.tool_calls).toHaveLength(1)
    const call = assistant.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall
    expect(call.id).toBe('call_1')
    expect(call.function.name).toBe('get_weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
    expect(second.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: JSON.stringify({ city: 'Paris', celsius: 21 }),
    })

    const messages = messagesOf(chat.getState())
    expect(messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['assistant', 'complete'],
    ])
    expect(toolCalls(messages[1])).toMatchObject([
      { toolCallId: 'call_1', state: 'output-available', output: { city: 'Paris', celsius: 21 } },
    ])
    expect(messageText(messages[2]!)).toBe('It is 21 °C in Paris.')
    expect(chat.getState().status).toBe('idle')
  })

  it('Anthropic: tool_use then tool_result in the next user turn', async () => {
    const mock = anthropic.messages(weatherScenario())
    server.use(mock)
    const chat = createChat({
      api: anthropicApi,
      protocol: 'anthropic',
      retry: false,
      body: (messages) => ({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        stream: true,
        ...anthropicRequest(messages),
      }),
      onToolCall: () => 'Sunny, 21 °C',
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
    })
    await chat.send('Weather in Paris?')

    expect(mock.calls).toHaveLength(2)
    const second = mock.calls[1]?.body as { messages: Anthropic.MessageParam[] }
    expect(second.messages[0]).toEqual({ role: 'user', content: 'Weather in Paris?' })
    expect(second.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
    })
    expect(second.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny, 21 °C' }],
    })
    expect(messageText(messagesOf(chat.getState()).at(-1)!)).toBe('It is 21 °C in Paris.')
  })

  it('a result recorded later with addToolResult sends the conversation then', async () => {
    const mock = openai.chatCompletions(weatherScenario())
    server.use(mock)
    const chat = openaiLoopChat()
    await chat.send('Weather?')
    expect(mock.calls).toHaveLength(1)
    expect(toolCalls(messagesOf(chat.getState()).at(-1))[0]?.state).toBe('input-available')

    chat.addToolResult({ toolCallId: 'call_1', errorText: 'The weather service is down.' })
    await waitFor(() => chat.getState().messageIds.length === 3 && chat.getState().status === 'idle')
    expect(mock.calls).toHaveLength(2)
    const second = mock.calls[1]?.body as { messages: OpenAI.ChatCompletionMessageParam[] }
    expect(second.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'The weather service is down.',
    })
    expect(messageText(messagesOf(chat.getState()).at(-1)!)).toBe('It is 21 °C in Paris.')
  })

  it('the default body carries the tool calls and their results', async () => {
    const mock = openai.chatCompletions(weatherScenario())
    server.use(mock)
    const chat = createChat({
      api: openaiApi,
      protocol: 'openai-chat',
      retry: false,
      onToolCall: () => ({ celsius: 21 }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
    })
    await chat.send('Weather?')
    expect(mock.calls).toHaveLength(2)
    expect(mock.calls[1]?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              toolCallId: 'call_1',
              toolName: 'get_weather',
              state: 'output-available',
              input: { city: 'Paris' },
              output: { celsius: 21 },
            },
          ],
        },
      ],
    })
  })

  it('stop() between steps ends the loop: a result arriving afterwards sends nothing', async () => {
    const mock = openai.chatCompletions(weatherScenario())
    server.use(mock)
    let finishTool!: (output: unknown) => void
    const chat = openaiLoopChat({
      onToolCall: () =>
        new Promise((resolve) => {
          finishTool = resolve
        }),
    })
    await chat.send('Weather?')
    expect(mock.calls).toHaveLength(1)
    chat.stop()
    finishTool({ celsius: 21 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(toolCalls(messagesOf(chat.getState()).at(-1))[0]?.state).toBe('output-available')
    expect(mock.calls).toHaveLength(1)
    expect(chat.getState().messageIds).toHaveLength(2)
  })

  it('maxAutomaticSends bounds a model that keeps calling tools', async () => {
    const looping = scenario()
      .toolCall('search', { query: 'a' }, { id: 'call_a' })
      .step()
      .toolCall('search', { query: 'b' }, { id: 'call_b' })
      .step()
      .toolCall('search', { query: 'c' }, { id: 'call_c' })
      .step()
      .toolCall('search', { query: 'd' }, { id: 'call_d' })
    const mock = openai.chatCompletions(looping)
    server.use(mock)
    const chat = openaiLoopChat({
      onToolCall: (call) => `results for ${(call.input as { query: string }).query}`,
      maxAutomaticSends: 2,
    })
    await chat.send('Search')
    expect(mock.calls).toHaveLength(3)
    // The third request carried every earlier call and result, in order.
    const third = mock.calls[2]?.body as { messages: OpenAI.ChatCompletionMessageParam[] }
    expect(third.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ])
    // The last answer's tool ran, but no fourth request went out.
    expect(toolCalls(messagesOf(chat.getState()).at(-1))[0]).toMatchObject({
      toolCallId: 'call_c',
      state: 'output-available',
    })
  })

  it('a follow-up that fails ends as an error message and the loop stops', async () => {
    // The first request gets the tool call from the mock; the follow-up gets OpenAI's 500 body.
    let requests = 0
    server.use(
      http.post(openaiApi, () => {
        requests++
        if (requests < 2) return undefined
        return HttpResponse.json(
          { error: { message: 'The server had an error.', type: 'server_error', param: null, code: null } },
          { status: 500 },
        )
      }),
      openai.chatCompletions(weatherScenario()),
    )
    const errors: Error[] = []
    const chat = openaiLoopChat({
      onToolCall: () => ({ celsius: 21 }),
      onError: (error) => errors.push(error),
    })
    await chat.send('Weather?')
    expect(requests).toBe(2)
    const last = messagesOf(chat.getState()).at(-1)
    expect(last?.status).toBe('error')
    expect(last?.error?.message).toBe('The server had an error.')
    expect(last?.error?.status).toBe(500)
    expect(errors).toHaveLength(1)
  })
})

describe('lastAssistantMessageIsCompleteWithToolCalls', () => {
  const user: Message = {
    id: 'u',
    role: 'user',
    status: 'complete',
    parts: [{ type: 'text', id: 't', text: 'Hi', state: 'done' }],
  }
  function assistant(status: Message['status'], ...states: ToolCallPart['state'][]): Message {
    return {
      id: 'a',
      role: 'assistant',
      status,
      parts: states.map((state, index) => ({
        type: 'tool-call',
        toolCallId: `call_${index}`,
        toolName: 'tool',
        state,
        inputText: '{}',
      })),
    }
  }

  it.each([
    ['every call has its output', [user, assistant('complete', 'output-available', 'output-error')], true],
    [
      'a call still waits for its result',
      [user, assistant('complete', 'output-available', 'input-available')],
      false,
    ],
    ['no tool call', [user, assistant('complete')], false],
    ['the answer was cancelled', [user, assistant('cancelled', 'output-available')], false],
    ['the last message is the user’s', [assistant('complete', 'output-available'), user], false],
  ] as const)('%s', (_name, messages, expected) => {
    expect(lastAssistantMessageIsCompleteWithToolCalls(messages)).toBe(expected)
  })

  it('ignores calls the provider ran itself', () => {
    const message = assistant('complete', 'input-available')
    const part = message.parts[0] as ToolCallPart
    part.providerExecuted = true
    expect(lastAssistantMessageIsCompleteWithToolCalls([user, message])).toBe(false)
  })
})

describe('connect', () => {
  it('connect: false holds no subscription until connect() or the first request; dispose lets go', async () => {
    const unsubscribe = vi.fn()
    const subscribe = vi.fn(() => unsubscribe)
    const chat = createChat({
      api: 'wss://example.test/chat',
      protocol: 'message-events',
      transport: { async *request() {}, subscribe },
      connect: false,
    })
    expect(subscribe).not.toHaveBeenCalled()
    chat.connect()
    chat.connect()
    expect(subscribe).toHaveBeenCalledTimes(1)
    chat.dispose()
    expect(unsubscribe).toHaveBeenCalledTimes(1)

    const other = createChat({
      api: 'wss://example.test/chat',
      protocol: 'message-events',
      transport: { async *request() {}, subscribe },
      connect: false,
    })
    await other.send('Hi')
    expect(subscribe).toHaveBeenCalledTimes(2)
  })
})
