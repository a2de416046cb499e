/**
 * Every `@sluice/msw` HTTP handler, read back by Sluice's own decoders through `setupServer`:
 * the scenario's content survives, the request is honoured, timing and faults behave.
 */
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../../packages/core/src/index.ts'
import type { Message, MessagePart } from '../../../packages/core/src/message.ts'
import {
  agentHandlers,
  anthropic,
  gemini,
  type MockHttpHandler,
  type MockSource,
  ollama,
  openai,
  scenario,
} from '../../../packages/msw/src/index.ts'
import { agentUrl, type HttpProtocolId, httpProtocolIds, requestFor } from './requests.ts'

vi.mock('react', () => ({}))

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** The mock of a protocol, at the URL `requestFor` calls. */
function mockFor(id: HttpProtocolId, source: MockSource): MockHttpHandler {
  switch (id) {
    case 'openai-chat':
      return openai.chatCompletions(source)
    case 'openai-responses':
      return openai.responses(source)
    case 'anthropic':
      return anthropic.messages(source)
    case 'ollama':
      return ollama.chat(source)
    case 'gemini':
      return gemini.streamGenerateContent(source)
    default:
      return agentHandlers[id](agentUrl(id), source)
  }
}

async function call(id: HttpProtocolId, source: MockSource, options: Parameters<typeof requestFor>[1] = {}) {
  const mock = mockFor(id, source)
  server.use(mock, ...(id === 'gemini' ? [gemini.generateContent(source)] : []))
  const { url, init } = requestFor(id, options)
  const response = await fetch(url, init)
  return { mock, response }
}

async function collect(id: HttpProtocolId, source: MockSource): Promise<Message> {
  const { response } = await call(id, source)
  expect(response.status).toBe(200)
  // Seed 001's StreamChunk has no tool field: the mock carries calls as <tool_call> tags in the text.
  return collectMessage(response.body!, id, { inlineTags: id === 'stream-chunk' })
}

const partsOf = <T extends MessagePart['type']>(message: Message, type: T) =>
  message.parts.filter((part): part is Extract<MessagePart, { type: T }> => part.type === type)

async function readChunks(response: Response): Promise<string[]> {
  const decoder = new TextDecoder()
  const chunks: string[] = []
  const reader = response.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    // Bytes, not text: a chunk may end inside a multi-byte character.
    chunks.push(Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join(''))
    decoder.decode(value, { stream: true })
  }
}

const turn = scenario()
  .reasoning('Think first.')
  .text('Hello, world!')
  .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
  .usage({ inputTokens: 5, outputTokens: 9 })

/** What each wire can carry (read from the protocol docs in test/fixtures/PROTOCOLS.md). */
const carries: Record<
  HttpProtocolId,
  {
    reasoning: boolean
    tools: boolean
    toolIds: boolean
    inputTokens: boolean
    /** The tool call's state when the wire cannot leave it waiting for the app (default `input-available`). */
    toolState?: string
    /** The finish reason when the wire cannot say `tool-calls` (default `tool-calls`). */
    finishReason?: string
  }
> = {
  'openai-chat': { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  'openai-responses': { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  anthropic: { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  // Ollama and Gemini send function calls without ids; the decoder numbers them.
  ollama: { reasoning: true, tools: true, toolIds: false, inputTokens: true },
  gemini: { reasoning: true, tools: true, toolIds: false, inputTokens: true },
  'ai-sdk': { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  'ag-ui': { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  // {text, is_complete, token_count}: text, an output token count, and tool calls as inline tags.
  'stream-chunk': { reasoning: false, tools: true, toolIds: false, inputTokens: false },
  'stream-delta': { reasoning: true, tools: true, toolIds: true, inputTokens: true },
  // Seed 003: ToolCallStart carries the whole input and means the agent runs the tool now, and
  // Done (the run's only end) has no finish reason: a run that stops at a tool call is running it.
  'agent-events': {
    reasoning: true,
    tools: true,
    toolIds: true,
    inputTokens: true,
    toolState: 'running',
    finishReason: 'stop',
  },
}

describe('every HTTP handler streams the scenario', () => {
  it.each(httpProtocolIds)(
    '%s: collectMessage reads back the text, reasoning, tool call, usage and finish reason',
    async (id) => {
      const message = await collect(id, turn)
      const can = carries[id]
      expect(message.status).toBe('complete')
      expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['Hello, world!'])
      expect(partsOf(message, 'reasoning').map((part) => part.text)).toEqual(
        can.reasoning ? ['Think first.'] : [],
      )
      const calls = partsOf(message, 'tool-call')
      if (can.tools) {
        expect(calls).toHaveLength(1)
        expect(calls[0]).toMatchObject({
          toolName: 'get_weather',
          input: { city: 'Paris' },
          state: can.toolState ?? 'input-available',
        })
        if (can.toolIds) expect(calls[0]?.toolCallId).toBe('call_1')
      } else {
        expect(calls).toEqual([])
      }
      expect(message.usage?.outputTokens).toBe(9)
      if (can.inputTokens) expect(message.usage?.inputTokens).toBe(5)
      expect(message.finishReason).toBe(can.finishReason ?? 'tool-calls')
    },
  )

  it.each(httpProtocolIds)('%s: a plain answer ends with finish reason stop', async (id) => {
    const message = await collect(id, scenario().text('Just text.').finish('stop'))
    expect(message.status).toBe('complete')
    expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['Just text.'])
    expect(message.finishReason).toBe('stop')
  })

  it('agent protocols carry tool results, sources and several steps in one message', async () => {
    const steps = scenario()
      .toolCall('search', { q: 'msw' }, { id: 'call_9' })
      .toolResult('call_9', { hits: 3 })
      .source('https://mswjs.io', 'MSW')
      .step()
      .text('Found 3 hits.')
    const message = await collect('ai-sdk', steps)
    expect(message.status).toBe('complete')
    expect(partsOf(message, 'tool-call')[0]).toMatchObject({
      toolCallId: 'call_9',
      state: 'output-available',
      output: { hits: 3 },
    })
    expect(partsOf(message, 'source')[0]).toMatchObject({ url: 'https://mswjs.io', title: 'MSW' })
    expect(partsOf(message, 'step-start')).toHaveLength(2)
    expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['Found 3 hits.'])
    expect(message.finishReason).toBe('stop')
  })

  it('provider handlers serve one step per request: the request with tool results gets the next step', async () => {
    const steps = scenario().toolCall('get_weather', { city: 'Oslo' }).step().text('It is cold in Oslo.')
    const mock = openai.chatCompletions(steps)
    server.use(mock)
    const first = await fetch(requestFor('openai-chat').url, requestFor('openai-chat').init)
    const firstMessage = await collectMessage(first.body!, 'openai-chat')
    expect(partsOf(firstMessage, 'tool-call')[0]).toMatchObject({
      toolName: 'get_weather',
      input: { city: 'Oslo' },
    })
    expect(firstMessage.finishReason).toBe('tool-calls')
    const second = await fetch(requestFor('openai-chat').url, requestFor('openai-chat').init)
    const secondMessage = await collectMessage(second.body!, 'openai-chat')
    expect(partsOf(secondMessage, 'text').map((part) => part.text)).toEqual(['It is cold in Oslo.'])
    expect(secondMessage.finishReason).toBe('stop')
    expect(mock.calls).toHaveLength(2)
  })
})

describe('responses honour the request', () => {
  it('echoes the requested model in the stream', async () => {
    const { response } = await call('openai-chat', scenario().text('Hi'), { model: 'gpt-4.1-mini' })
    const body = await response.text()
    expect(body).toContain('"model":"gpt-4.1-mini"')
    const anthropicCall = await call('anthropic', scenario().text('Hi'), { model: 'claude-opus-4-1' })
    expect(await anthropicCall.response.text()).toContain('"model":"claude-opus-4-1"')
    const geminiCall = await call('gemini', scenario().text('Hi'), { model: 'gemini-2.5-pro' })
    expect(await geminiCall.response.text()).toContain('"modelVersion":"gemini-2.5-pro"')
  })

  it('stream: false gets each provider’s non-streaming JSON', async () => {
    const answer = scenario().text('Whole answer.').usage({ inputTokens: 4, outputTokens: 2 })
    const chat = await (await call('openai-chat', answer, { stream: false, model: 'gpt-4o' })).response.json()
    expect(chat).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ message: { role: 'assistant', content: 'Whole answer.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 2 },
    })
    const responses = await (await call('openai-responses', answer, { stream: false })).response.json()
    expect(responses).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4o' })
    expect(JSON.stringify(responses.output)).toContain('Whole answer.')
    const claude = await (await call('anthropic', answer, { stream: false })).response.json()
    expect(claude).toMatchObject({
      type: 'message',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Whole answer.' }],
      stop_reason: 'end_turn',
    })
    const llama = await (await call('ollama', answer, { stream: false })).response.json()
    expect(llama).toMatchObject({
      model: 'qwen3:14b',
      message: { role: 'assistant', content: 'Whole answer.' },
      done: true,
    })
    const google = await (await call('gemini', answer, { stream: false })).response.json()
    expect(google).toMatchObject({ candidates: [{ content: { parts: [{ text: 'Whole answer.' }] } }] })
  })

  it('the Responses API echoes the requested tools and model on the response object', async () => {
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }]
    const { response } = await call('openai-responses', scenario().text('Hi'), { tools, model: 'gpt-5' })
    const created = (await response.text()).split('\n').find((line) => line.includes('"response.created"'))
    const event = JSON.parse(created!.replace(/^data: /, ''))
    expect(event.response).toMatchObject({ model: 'gpt-5', tools })
  })

  it('Gemini without alt=sse streams the JSON array it sends by default', async () => {
    server.use(gemini.streamGenerateContent(scenario().text('Array form.')))
    const response = await fetch(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      { method: 'POST', body: '{}' },
    )
    const chunks = (await response.json()) as { candidates: { content: { parts: { text?: string }[] } }[] }[]
    const text = chunks
      .map((chunk) => chunk.candidates[0]?.content.parts.map((part) => part.text ?? '').join(''))
      .join('')
    expect(text).toBe('Array form.')
  })

  it('records what the client sent', async () => {
    const { mock, response } = await call('anthropic', scenario().text('Hi'), { model: 'claude-haiku-4-5' })
    await response.text()
    expect(mock.calls).toHaveLength(1)
    expect(mock.lastCall?.url).toBe('https://api.anthropic.com/v1/messages')
    expect(mock.lastCall?.body).toMatchObject({ model: 'claude-haiku-4-5', stream: true })
    expect(mock.lastCall?.headers['content-type']).toBe('application/json')
    expect(mock.lastCall).toMatchObject({ completed: true, aborted: false, status: 200 })
  })
})

describe('timing', () => {
  const long = scenario().text(
    'One two three four five six seven eight nine ten, and a few more words to stream.',
  )

  it('the same seed gives the same chunks; another seed cuts the same bytes differently', async () => {
    const chunked = (seed: number) => long.chunkSizes(1, 12).seed(seed)
    const first = await readChunks((await call('anthropic', chunked(7))).response)
    const again = await readChunks((await call('anthropic', chunked(7))).response)
    const other = await readChunks((await call('anthropic', chunked(8))).response)
    expect(first.length).toBeGreaterThan(10)
    expect(again).toEqual(first)
    expect(other).not.toEqual(first)
    expect(other.join('')).toBe(first.join(''))
    // No chunk is larger than the maximum size (12 bytes = 24 hex digits).
    expect(Math.max(...first.map((chunk) => chunk.length))).toBeLessThanOrEqual(24)
  })

  it('first byte, tokens per second and drip slow the stream down (coarsely)', async () => {
    const started = performance.now()
    const { response } = await call('openai-chat', scenario().text('a b c d e f g h i j').firstByte(100))
    await response.text()
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)

    // 10 tokens at 100 tokens/s: about 100 ms.
    const tokensStarted = performance.now()
    await (await call('ollama', scenario().text('a b c d e f g h i j').tokensPerSecond(100))).response.text()
    const tokensElapsed = performance.now() - tokensStarted
    expect(tokensElapsed).toBeGreaterThanOrEqual(80)
    expect(tokensElapsed).toBeLessThan(2000)

    // A drip of 30 ms before every wire event after the first: Ollama sends 1 line per token + the final line.
    const dripStarted = performance.now()
    const { response: drip } = await call('ollama', scenario().text('a b c d e').drip(30))
    const lines = (await drip.text()).trim().split('\n')
    expect(performance.now() - dripStarted).toBeGreaterThanOrEqual((lines.length - 1) * 30 * 0.8)
  })

  it('chunks arrive spread over time, not all at once', async () => {
    const { response } = await call('ollama', scenario().text('a b c d e f').drip(25))
    const reader = response.body!.getReader()
    const arrivals: number[] = []
    for (;;) {
      const { done } = await reader.read()
      if (done) break
      arrivals.push(performance.now())
    }
    expect(arrivals.length).toBeGreaterThan(3)
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((arrivals.length - 1) * 25 * 0.8)
  })
})

describe('faults', () => {
  it('an HTTP error answers with each provider’s real error body', async () => {
    const limited = scenario().text('never sent').httpError(429)
    const openaiError = await call('openai-chat', limited)
    expect(openaiError.response.status).toBe(429)
    expect(await openaiError.response.json()).toEqual({
      error: {
        message: 'Rate limit reached. Please try again later.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    })
    const anthropicError = await call('anthropic', scenario().httpError(529))
    expect(anthropicError.response.status).toBe(529)
    expect(await anthropicError.response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
    const ollamaError = await call('ollama', scenario().httpError(404))
    expect(ollamaError.response.status).toBe(404)
    expect(await ollamaError.response.json()).toEqual({ error: 'The requested model does not exist.' })
    const geminiError = await call('gemini', limited)
    expect(geminiError.response.status).toBe(429)
    expect(await geminiError.response.json()).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED' },
    })
    const custom = await call('anthropic', scenario().httpError(400, { custom: true }))
    expect(await custom.response.json()).toEqual({ custom: true })
    expect(custom.mock.lastCall?.status).toBe(400)
  })

  it.each(httpProtocolIds)(
    '%s: a mid-stream error keeps the partial text and reports the provider message',
    async (id) => {
      const message = await collect(
        id,
        scenario().text('Partial answer').errorMidstream('Overloaded', { status: 529 }),
      )
      expect(message.status).toBe('error')
      expect(message.error?.message).toContain('Overloaded')
      expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['Partial answer'])
    },
  )

  it('disconnect after N events: the body fails like a dropped connection', async () => {
    const { response, mock } = await call('anthropic', scenario().text('a b c d e f g').disconnectAfter(4))
    const reader = response.body!.getReader()
    const received: string[] = []
    const decoder = new TextDecoder()
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          received.push(decoder.decode(value))
        }
      })(),
    ).rejects.toThrow()
    // message_start, content_block_start, ping, first text delta.
    expect(received.join('').match(/^event: /gm)).toHaveLength(4)
    expect(mock.lastCall).toMatchObject({ completed: false, aborted: false })
  })

  it('disconnect with mode close: a truncated body the decoder marks interrupted, partial text kept', async () => {
    const message = await collect(
      'openai-chat',
      scenario().text('a b c d e f g').disconnectAfter(3, { mode: 'close' }),
    )
    expect(message.status).toBe('interrupted')
    // Role chunk, then "a" and " b".
    expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['a b'])
  })

  it.each(['openai-chat', 'anthropic', 'ollama', 'ai-sdk'] as const)(
    '%s: a malformed frame becomes a protocol error',
    async (id) => {
      const message = await collect(id, scenario().text('Hello there').malformedFrame({ afterEvents: 2 }))
      expect(message.status).toBe('error')
    },
  )

  it('a stall never ends until the client aborts; the abort is recorded', async () => {
    const { response, mock } = await call('anthropic', scenario().text('Almost done').stall())
    const controller = new AbortController()
    const collecting = collectMessage(response.body!, 'anthropic', { signal: controller.signal })
    const outcome = await Promise.race([
      collecting.then(
        () => 'ended',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 150)),
    ])
    expect(outcome).toBe('still waiting')
    controller.abort(new Error('user stopped'))
    await expect(collecting).rejects.toThrow('user stopped')
    expect(mock.lastCall?.completed).toBe(false)
  })

  it('records aborted when the client aborts the request mid-stream', async () => {
    const mock = openai.chatCompletions(scenario().text('one two three four five six seven eight').drip(40))
    server.use(mock)
    const controller = new AbortController()
    const { url, init } = requestFor('openai-chat')
    const response = await fetch(url, { ...init, signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    await vi.waitFor(() => expect(mock.lastCall?.aborted).toBe(true))
    expect(mock.aborted).toBe(true)
    expect(mock.lastCall?.completed).toBe(false)
  })
})
