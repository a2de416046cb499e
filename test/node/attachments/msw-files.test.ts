/**
 * @sluice/msw and attachments: the call log records the files of a request in each provider's
 * shape (sent by createChat with the core converters), and a scenario answers with a file part
 * where the protocol has one (the AI SDK stream, read back by Sluice and by the AI SDK itself).
 */
import {
  createChat,
  type FilePart,
  type Message,
  toAnthropicRequest,
  toGeminiRequest,
  toOllamaMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesRequest,
} from '@sluice/core'
import { agentHandlers, anthropic, gemini, type MockHttpHandler, ollama, openai, scenario } from '@sluice/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const image: FilePart = {
  type: 'file',
  url: 'data:image/png;base64,iVBORw0KGgo=',
  mediaType: 'image/png',
  name: 'dot.png',
  size: 8,
}
const pdf: FilePart = {
  type: 'file',
  url: 'data:application/pdf;base64,JVBERi0x',
  mediaType: 'application/pdf',
  name: 'a.pdf',
  size: 6,
}

type Case = {
  protocol: 'openai-chat' | 'openai-responses' | 'anthropic' | 'ollama' | 'gemini' | 'ai-sdk'
  api: string
  handler: () => MockHttpHandler
  body?: (messages: readonly Message[]) => object
}

const cases: Case[] = [
  {
    protocol: 'openai-chat',
    api: 'https://api.openai.test/v1/chat/completions',
    handler: () => openai.chatCompletions(scenario().text('Seen.')),
    body: (messages) => ({ model: 'gpt-4o', stream: true, messages: toOpenAIChatMessages(messages) }),
  },
  {
    protocol: 'openai-responses',
    api: 'https://api.openai.test/v1/responses',
    handler: () => openai.responses(scenario().text('Seen.')),
    body: (messages) => ({
      model: 'gpt-4.1',
      stream: true,
      ...toOpenAIResponsesRequest(messages),
      messages: undefined,
    }),
  },
  {
    protocol: 'anthropic',
    api: 'https://api.anthropic.test/v1/messages',
    handler: () => anthropic.messages(scenario().text('Seen.')),
    body: (messages) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      stream: true,
      ...toAnthropicRequest(messages),
    }),
  },
  {
    protocol: 'gemini',
    api: 'https://gemini.test/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    handler: () => gemini.streamGenerateContent(scenario().text('Seen.')),
    body: (messages) => ({ ...toGeminiRequest(messages), messages: undefined }),
  },
  {
    protocol: 'ai-sdk',
    api: 'https://agent.test/api/chat',
    handler: () => agentHandlers['ai-sdk']('https://agent.test/api/chat', scenario().text('Seen.')),
  },
]

describe('the call log records the attached files', () => {
  test.each(cases)('$protocol', async ({ protocol, api, handler, body }) => {
    const mock = handler()
    server.use(mock)
    const chat = createChat({ api, protocol, ...(body === undefined ? {} : { body }) })
    await chat.send('What are these?', { files: [image, pdf] })
    const answer = chat.store.getState().messages[chat.store.getState().messageIds[1]!]
    expect(answer?.status).toBe('complete')
    // Only the provider's own shape: the bodies leave createChat's default `messages` out (the AI
    // SDK backend reads that default body, shape 'sluice').
    const files = mock.lastCall?.files ?? []
    expect(files.map((file) => file.shape)).toEqual(
      Array(2).fill(protocol === 'ai-sdk' ? 'sluice' : protocol),
    )
    expect(files[0]).toMatchObject({ mediaType: 'image/png' })
    expect(files[1]).toMatchObject({ mediaType: 'application/pdf' })
    // The content itself is recorded: a data URL or its bare base64.
    expect(files[0]?.url ?? files[0]?.data).toMatch(/iVBORw0KGgo=$/)
  })

  test('ollama: images are recorded from the images array', async () => {
    const mock = ollama.chat(scenario().text('A dot.'))
    server.use(mock)
    const chat = createChat({
      api: 'http://ollama.test/api/chat',
      protocol: 'ollama',
      body: (messages) => ({ model: 'llava', stream: true, messages: toOllamaMessages(messages) }),
    })
    await chat.send('What is this?', { files: [image] })
    expect(mock.lastCall?.files).toEqual([{ shape: 'ollama', data: 'iVBORw0KGgo=' }])
  })

  test('a request without files records none', async () => {
    const mock = anthropic.messages(scenario().text('Hi.'))
    server.use(mock)
    const chat = createChat({ api: 'https://api.anthropic.test/v1/messages', protocol: 'anthropic' })
    await chat.send('Hi')
    expect(mock.lastCall?.files).toEqual([])
  })
})

test('a scenario answers with a file part (AI SDK UI message stream)', async () => {
  server.use(
    agentHandlers['ai-sdk'](
      'https://agent.test/api/chat',
      scenario()
        .text('Here is the chart.')
        .file('https://files.example.com/chart.png', 'image/png', { name: 'chart.png' }),
    ),
  )
  const chat = createChat({ api: 'https://agent.test/api/chat', protocol: 'ai-sdk' })
  await chat.send('Chart please')
  const answer = chat.store.getState().messages[chat.store.getState().messageIds[1]!]
  expect(answer?.parts).toContainEqual(
    expect.objectContaining({
      type: 'file',
      url: 'https://files.example.com/chart.png',
      mediaType: 'image/png',
    }),
  )
  // The AI SDK's own reader takes the same stream.
  const response = await fetch('https://agent.test/api/chat', { method: 'POST', body: '{}' })
  const { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema } = await import('ai')
  const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (result.success) controller.enqueue(result.value)
      },
    }),
  )
  let last: { parts: { type: string }[] } | undefined
  for await (const message of readUIMessageStream({ stream: chunks })) last = message
  expect(last?.parts).toContainEqual(
    expect.objectContaining({
      type: 'file',
      url: 'https://files.example.com/chart.png',
      mediaType: 'image/png',
    }),
  )
})
