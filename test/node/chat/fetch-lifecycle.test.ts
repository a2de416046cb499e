/**
 * The message lifecycle over fetch, per framing: placeholder at once, `pending` → `streaming`
 * → `complete`, batches applied per frame, the final version replacing what streamed, metrics.
 */
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { createManualScheduler } from '../../../packages/core/src/chat/frame-scheduler.ts'
import {
  bodyOf,
  controlledBody,
  lastMessage,
  messagesOf,
  messageText,
  openaiDelta,
  openaiFinish,
  sequentialIds,
  sseHeaders,
  waitFor,
} from './helpers.ts'

vi.mock('react', () => ({}))

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const api = 'https://api.test/v1/chat/completions'

describe('fetch + SSE (openai-chat)', () => {
  it('shows the placeholder at once, applies deltas once per frame, completes and measures', async () => {
    const body = controlledBody()
    let requestBody: unknown
    server.use(
      http.post(api, async ({ request }) => {
        requestBody = await request.json()
        return new HttpResponse(body.stream, { headers: sseHeaders })
      }),
    )
    const scheduler = createManualScheduler()
    let clock = 1000
    const chat = createChat({
      api,
      protocol: 'openai-chat',
      scheduler,
      idGenerator: sequentialIds(),
      now: () => clock,
      body: { model: 'gpt-4o', stream: true },
    })
    const done = chat.send('Hi')

    // Synchronously: the user message, then the assistant placeholder.
    let state = chat.getState()
    expect(messagesOf(state).map((message) => [message.id, message.role, message.status])).toEqual([
      ['id-1', 'user', 'complete'],
      ['id-2', 'assistant', 'pending'],
    ])
    expect(messageText(state.messages['id-1']!)).toBe('Hi')
    expect(state.status).toBe('submitted')

    clock = 1010
    body.send(openaiDelta('Hel'))
    await waitFor(() => scheduler.pending > 0)
    // Received but not yet applied: the frame has not come.
    expect(chat.getState().messages['id-2']!.status).toBe('pending')
    expect(chat.getState().status).toBe('streaming')
    scheduler.flush()
    state = chat.getState()
    expect(state.messages['id-2']!.status).toBe('streaming')
    expect(messageText(state.messages['id-2']!)).toBe('Hel')

    clock = 1110
    body.send(openaiDelta('lo') + openaiFinish('stop'))
    body.close()
    await done

    // The terminal event flushed without waiting for a frame.
    state = chat.getState()
    const answer = state.messages['id-2']!
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe('Hello')
    expect(answer.finishReason).toBe('stop')
    expect(state.status).toBe('idle')
    expect(requestBody).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
      model: 'gpt-4o',
      stream: true,
    })
    expect(answer.metrics).toEqual({
      requestStartedAt: 1000,
      timeToFirstByte: 10,
      timeToFirstToken: 10,
      chunks: 2,
      deltas: 2,
      totalTime: 110,
      tokensPerSecond: 20, // 2 deltas over the 0.1 s between the first token and the end
    })
  })

  it('sends the whole conversation on the next turn and calls onFinish', async () => {
    const bodies: unknown[] = []
    let turn = 0
    server.use(
      http.post(api, async ({ request }) => {
        bodies.push(await request.json())
        turn++
        return new HttpResponse(bodyOf(openaiDelta(`Answer ${turn}`) + openaiFinish()), {
          headers: sseHeaders,
        })
      }),
    )
    const finished: string[] = []
    const chat = createChat({
      api,
      protocol: 'openai-chat',
      body: (messages) => ({ turns: messages.length }),
      onFinish: (message) => finished.push(messageText(message)),
    })
    await chat.send('First')
    await chat.send('Second')
    expect(messagesOf(chat.getState()).map((message) => [message.role, messageText(message)])).toEqual([
      ['user', 'First'],
      ['assistant', 'Answer 1'],
      ['user', 'Second'],
      ['assistant', 'Answer 2'],
    ])
    expect(bodies[1]).toEqual({
      messages: [
        { role: 'user', content: 'First' },
        { role: 'assistant', content: 'Answer 1' },
        { role: 'user', content: 'Second' },
      ],
      turns: 3,
    })
    expect(finished).toEqual(['Answer 1', 'Answer 2'])
  })

  it('keeps the wire message id off the store: events land on the placeholder', async () => {
    server.use(
      http.post(
        api,
        () => new HttpResponse(bodyOf(openaiDelta('Hi') + openaiFinish()), { headers: sseHeaders }),
      ),
    )
    const chat = createChat({ api, protocol: 'openai-chat', idGenerator: sequentialIds('m') })
    await chat.send('Hello')
    expect(chat.getState().messageIds).toEqual(['m-1', 'm-2'])
    expect(lastMessage(chat.getState()).status).toBe('complete')
  })
})

describe('fetch + NDJSON (ollama)', () => {
  it('streams lines into the placeholder and uses the reported token count for tokens per second', async () => {
    const body = controlledBody()
    server.use(
      http.post(
        'https://ollama.test/api/chat',
        () => new HttpResponse(body.stream, { headers: { 'content-type': 'application/x-ndjson' } }),
      ),
    )
    let clock = 0
    const chat = createChat({ api: 'https://ollama.test/api/chat', protocol: 'ollama', now: () => clock })
    const done = chat.send('Why is the sky blue?')
    const line = (content: string) =>
      `${JSON.stringify({ model: 'llama3', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content }, done: false })}\n`
    clock = 50
    body.send(line('Rayleigh'))
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'Rayleigh')
    // A line split across chunks.
    const second = line(' scattering.')
    body.send(second.slice(0, 10))
    clock = 250
    body.send(second.slice(10))
    body.send(
      `${JSON.stringify({ model: 'llama3', created_at: '2025-01-01T00:00:01Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 8 })}\n`,
    )
    body.close()
    await done
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe('Rayleigh scattering.')
    expect(answer.usage).toMatchObject({ inputTokens: 12, outputTokens: 8 })
    expect(answer.metrics?.timeToFirstToken).toBe(50)
    // 8 reported output tokens over the 0.2 s from the first token to the end.
    expect(answer.metrics?.tokensPerSecond).toBe(40)
  })
})

describe('fetch + plain text', () => {
  it('streams a text body, the end of the body being the end of the answer', async () => {
    const body = controlledBody()
    server.use(
      http.post(
        'https://text.test/chat',
        () => new HttpResponse(body.stream, { headers: { 'content-type': 'text/plain' } }),
      ),
    )
    const scheduler = createManualScheduler()
    const chat = createChat({ api: 'https://text.test/chat', protocol: 'text', scheduler })
    const done = chat.send('Tell me')
    body.send('Once upon ')
    await waitFor(() => scheduler.pending > 0)
    scheduler.flush()
    expect(lastMessage(chat.getState()).status).toBe('streaming')
    expect(messageText(lastMessage(chat.getState()))).toBe('Once upon ')
    body.send('a time.')
    body.close()
    await done
    expect(lastMessage(chat.getState()).status).toBe('complete')
    expect(messageText(lastMessage(chat.getState()))).toBe('Once upon a time.')
  })
})

describe('non-streaming JSON', () => {
  const completion = {
    id: 'chatcmpl-9',
    object: 'chat.completion',
    model: 'gpt-4o',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'The whole answer at once.' },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
  }

  it('runs the same lifecycle when the server answers JSON instead of a stream', async () => {
    server.use(http.post(api, () => HttpResponse.json(completion)))
    const chat = createChat({ api, protocol: 'openai-chat', idGenerator: sequentialIds() })
    await chat.send('Hi')
    const answer = chat.getState().messages['id-2']!
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe('The whole answer at once.')
    expect(answer.usage).toMatchObject({ inputTokens: 9, outputTokens: 6 })
    expect(answer.metrics?.chunks).toBe(1)
  })

  it('asks for JSON with stream: false', async () => {
    let requestBody: Record<string, unknown> | undefined
    let accept: string | null = null
    server.use(
      http.post(api, async ({ request }) => {
        requestBody = (await request.json()) as Record<string, unknown>
        accept = request.headers.get('accept')
        return HttpResponse.json(completion)
      }),
    )
    const chat = createChat({ api, protocol: 'openai-chat', stream: false, body: { model: 'gpt-4o' } })
    await chat.send('Hi')
    expect(requestBody).toMatchObject({ stream: false, model: 'gpt-4o' })
    expect(accept).toBe('application/json')
    expect(messageText(lastMessage(chat.getState()))).toBe('The whole answer at once.')
  })
})
