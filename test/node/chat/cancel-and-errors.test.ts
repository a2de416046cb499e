/**
 * Stop, HTTP errors, dropped connections, retry, resume, malformed frames, pre-first-byte
 * retry with backoff and concurrent chats, over fetch with MSW.
 */
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { createManualScheduler } from '../../../packages/core/src/chat/frame-scheduler.ts'
import type { ToolCallPart } from '../../../packages/core/src/message.ts'
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

describe('stop()', () => {
  it('aborts the request, keeps the partial text, cancels running tool calls and applies nothing after', async () => {
    const body = controlledBody()
    let serverSignal: AbortSignal | undefined
    server.use(
      http.post(api, ({ request }) => {
        serverSignal = request.signal
        return new HttpResponse(body.stream, { headers: sseHeaders })
      }),
    )
    const scheduler = createManualScheduler()
    const chat = createChat({ api, protocol: 'openai-chat', scheduler })
    const done = chat.send('Write a poem')
    const toolStart = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":' } },
            ],
          },
          finish_reason: null,
        },
      ],
    }
    body.send(`${openaiDelta('Roses are red')}data: ${JSON.stringify(toolStart)}\n\n`)
    await waitFor(() => scheduler.pending > 0)
    expect(serverSignal?.aborted).toBe(false)

    chat.stop()
    await done
    // The server saw the connection close.
    expect(serverSignal?.aborted).toBe(true)
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('cancelled')
    expect(messageText(answer)).toBe('Roses are red')
    const toolCall = answer.parts.find((part): part is ToolCallPart => part.type === 'tool-call')
    expect(toolCall?.state).toBe('cancelled')
    expect(chat.getState().status).toBe('idle')

    // Whatever arrives afterwards is never applied.
    body.send(openaiDelta(', violets are blue') + openaiFinish())
    scheduler.flush()
    await new Promise((resolve) => setTimeout(resolve, 20))
    scheduler.flush()
    expect(messageText(lastMessage(chat.getState()))).toBe('Roses are red')
    expect(lastMessage(chat.getState()).status).toBe('cancelled')
  })

  it('cancels the body reader (checked on a fetch that hands the body over as is)', async () => {
    const body = controlledBody()
    const chat = createChat({
      api: 'https://direct.test/chat',
      protocol: 'openai-chat',
      fetch: async () => new Response(body.stream, { headers: sseHeaders }),
    })
    const done = chat.send('Hi')
    body.send(openaiDelta('Partial'))
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'Partial')
    chat.stop()
    await done
    await body.cancelled
    expect(body.isCancelled).toBe(true)
    expect(lastMessage(chat.getState()).status).toBe('cancelled')
  })

  it('dispose() stops the stream, dispose({ keepStreaming }) lets it finish into the store', async () => {
    const first = controlledBody()
    const second = controlledBody()
    const bodies = [first, second]
    const signals: AbortSignal[] = []
    server.use(
      http.post(api, ({ request }) => {
        signals.push(request.signal)
        return new HttpResponse(bodies.shift()!.stream, { headers: sseHeaders })
      }),
    )

    const stopped = createChat({ api, protocol: 'openai-chat' })
    const stoppedDone = stopped.send('Hi')
    first.send(openaiDelta('Part'))
    await waitFor(() => messageText(lastMessage(stopped.getState())) === 'Part')
    stopped.dispose()
    await stoppedDone
    expect(signals[0]?.aborted).toBe(true)
    expect(lastMessage(stopped.getState()).status).toBe('cancelled')

    const background = createChat({ api, protocol: 'openai-chat' })
    const backgroundDone = background.send('Hi')
    second.send(openaiDelta('Still '))
    background.dispose({ keepStreaming: true })
    second.send(openaiDelta('going') + openaiFinish())
    second.close()
    await backgroundDone
    expect(signals[1]?.aborted).toBe(false)
    expect(lastMessage(background.getState()).status).toBe('complete')
    expect(messageText(lastMessage(background.getState()))).toBe('Still going')
  })
})

describe('HTTP errors', () => {
  it.each([
    {
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-***.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
      message: 'Incorrect API key provided: sk-***.',
      code: 'invalid_api_key',
    },
    {
      status: 429,
      body: {
        error: {
          message: 'Rate limit reached for gpt-4o on tokens per min (TPM).',
          type: 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      message: 'Rate limit reached for gpt-4o on tokens per min (TPM).',
      code: 'rate_limit_exceeded',
    },
    {
      status: 500,
      body: {
        error: {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
      message: 'The server had an error while processing your request.',
      code: 'server_error',
    },
  ])(
    '$status becomes an error message with the provider message and the status',
    async ({ status, body, message, code }) => {
      server.use(http.post(api, () => HttpResponse.json(body, { status })))
      const errors: Error[] = []
      const chat = createChat({
        api,
        protocol: 'openai-chat',
        retry: false,
        onError: (error) => errors.push(error),
      })
      await chat.send('Hi')
      const answer = lastMessage(chat.getState())
      expect(answer.role).toBe('assistant')
      expect(answer.status).toBe('error')
      expect(answer.error).toMatchObject({ message, status, code })
      expect(chat.getState().status).toBe('error')
      expect(chat.getState().error?.message).toBe(message)
      expect(errors.map((error) => error.message)).toEqual([message])
      // The error handed to onError and kept as the chat's error carries the status and the
      // provider's code at the top level, like the message's error.
      expect(errors[0]).toMatchObject({ status, code })
      expect(chat.getState().error).toMatchObject({ status, code })
    },
  )

  it('reads an Anthropic error body through the anthropic protocol', async () => {
    server.use(
      http.post('https://anthropic.test/v1/messages', () =>
        HttpResponse.json(
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
          { status: 529 },
        ),
      ),
    )
    const chat = createChat({
      api: 'https://anthropic.test/v1/messages',
      protocol: 'anthropic',
      retry: false,
    })
    await chat.send('Hi')
    expect(lastMessage(chat.getState()).error).toMatchObject({ message: 'Overloaded', status: 529 })
  })

  it('retries a failure before the first byte with backoff, then streams', async () => {
    let attempts = 0
    server.use(
      http.post(api, () => {
        attempts++
        if (attempts === 1) return HttpResponse.error()
        if (attempts === 2)
          return HttpResponse.json({ error: { message: 'Service Unavailable' } }, { status: 503 })
        return new HttpResponse(bodyOf(openaiDelta('Third time lucky') + openaiFinish()), {
          headers: sseHeaders,
        })
      }),
    )
    const chat = createChat({
      api,
      protocol: 'openai-chat',
      retry: { attempts: 2, baseDelay: 5, maxDelay: 20 },
    })
    await chat.send('Hi')
    expect(attempts).toBe(3)
    expect(lastMessage(chat.getState()).status).toBe('complete')
    expect(messageText(lastMessage(chat.getState()))).toBe('Third time lucky')
  })

  it('does not retry with retry: false, nor a client error', async () => {
    let attempts = 0
    server.use(
      http.post(api, () => {
        attempts++
        return HttpResponse.error()
      }),
    )
    const chat = createChat({ api, protocol: 'openai-chat', retry: false })
    await chat.send('Hi')
    expect(attempts).toBe(1)
    expect(lastMessage(chat.getState()).status).toBe('error')
    expect(lastMessage(chat.getState()).error?.message).toContain('Could not reach')
  })
})

describe('dropped connection', () => {
  it('becomes interrupted with the partial text kept, and is never silently re-requested', async () => {
    const body = controlledBody()
    let requests = 0
    server.use(
      http.post(api, () => {
        requests++
        return new HttpResponse(body.stream, { headers: sseHeaders })
      }),
    )
    const chat = createChat({
      api,
      protocol: 'openai-chat',
      retry: { attempts: 3, baseDelay: 1, maxDelay: 1 },
    })
    const done = chat.send('Hi')
    body.send(openaiDelta('Half an ans'))
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'Half an ans')
    body.fail()
    await done
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer)).toBe('Half an ans')
    expect(answer.error?.message).toBeTruthy()
    expect(requests).toBe(1)
  })

  it('retry() re-runs the interrupted answer from scratch into the same message', async () => {
    const first = controlledBody()
    let requests = 0
    server.use(
      http.post(api, () => {
        requests++
        if (requests === 1) return new HttpResponse(first.stream, { headers: sseHeaders })
        return new HttpResponse(bodyOf(openaiDelta('A whole answer') + openaiFinish()), {
          headers: sseHeaders,
        })
      }),
    )
    const chat = createChat({ api, protocol: 'openai-chat', idGenerator: sequentialIds() })
    const done = chat.send('Hi')
    first.send(openaiDelta('A who'))
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'A who')
    first.fail()
    await done
    expect(lastMessage(chat.getState()).status).toBe('interrupted')
    await chat.retry()
    expect(
      messagesOf(chat.getState()).map((message) => [message.id, message.status, messageText(message)]),
    ).toEqual([
      ['id-1', 'complete', 'Hi'],
      ['id-2', 'complete', 'A whole answer'],
    ])
  })

  it('resume() reconnects with Last-Event-ID and continues without duplicating content', async () => {
    const first = controlledBody()
    const lastEventIds: (string | null)[] = []
    server.use(
      http.post(api, ({ request }) => {
        const lastEventId = request.headers.get('last-event-id')
        lastEventIds.push(lastEventId)
        if (lastEventId === null) return new HttpResponse(first.stream, { headers: sseHeaders })
        // A resumable server replays what follows the given id.
        const events = [
          openaiDelta('The ', '1'),
          openaiDelta('quick ', '2'),
          openaiDelta('brown ', '3'),
          openaiDelta('fox.', '4'),
        ]
        const after = Number(lastEventId)
        return new HttpResponse(bodyOf(events.slice(after).join('') + openaiFinish()), {
          headers: sseHeaders,
        })
      }),
    )
    const chat = createChat({ api, protocol: 'openai-chat', idGenerator: sequentialIds() })
    expect(chat.canResume()).toBe(false)
    const done = chat.send('Hi')
    // Event 3 is cut off mid-frame: only ids 1 and 2 were dispatched.
    first.send(
      openaiDelta('The ', '1') + openaiDelta('quick ', '2') + openaiDelta('brown ', '3').slice(0, 20),
    )
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'The quick ')
    first.fail()
    await done
    expect(lastMessage(chat.getState()).status).toBe('interrupted')
    expect(chat.canResume()).toBe(true)

    await chat.resume()
    expect(lastEventIds).toEqual([null, '2'])
    const answer = chat.getState().messages['id-2']!
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe('The quick brown fox.')
    expect(chat.getState().messageIds).toEqual(['id-1', 'id-2'])
  })

  it('resume() without SSE ids says to use retry()', async () => {
    const first = controlledBody()
    server.use(http.post(api, () => new HttpResponse(first.stream, { headers: sseHeaders })))
    const chat = createChat({ api, protocol: 'openai-chat' })
    const done = chat.send('Hi')
    first.send(openaiDelta('Part'))
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'Part')
    first.fail()
    await done
    await expect(chat.resume()).rejects.toThrow(/retry\(\)/)
  })
})

describe('malformed frames and regenerate', () => {
  it('a malformed frame becomes an error message that keeps the text before it', async () => {
    server.use(
      http.post(
        api,
        () =>
          // A malformed frame followed by more is an error (issue 11's rule; a malformed frame cut by the
          // end of the body is an interruption instead).
          new HttpResponse(
            bodyOf(`${openaiDelta('Good so far')}data: {"choices":[{"delta":\n\n${openaiDelta(' and more')}`),
            {
              headers: sseHeaders,
            },
          ),
      ),
    )
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    const answer = lastMessage(chat.getState())
    expect(answer.status).toBe('error')
    expect(messageText(answer)).toBe('Good so far')
    expect(chat.getState().status).toBe('error')
  })

  it('regenerate() replaces the last answer', async () => {
    let turn = 0
    server.use(
      http.post(api, () => {
        turn++
        return new HttpResponse(bodyOf(openaiDelta(`Take ${turn}`) + openaiFinish()), { headers: sseHeaders })
      }),
    )
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    await chat.regenerate()
    expect(messagesOf(chat.getState()).map((message) => messageText(message))).toEqual(['Hi', 'Take 2'])
  })
})

describe('concurrent chats', () => {
  it('two conversations stream at once without blocking each other', async () => {
    const slow = controlledBody()
    server.use(
      http.post('https://slow.test/chat', () => new HttpResponse(slow.stream, { headers: sseHeaders })),
      http.post(
        'https://fast.test/chat',
        () => new HttpResponse(bodyOf(openaiDelta('Fast answer') + openaiFinish()), { headers: sseHeaders }),
      ),
    )
    const slowChat = createChat({ api: 'https://slow.test/chat', protocol: 'openai-chat' })
    const fastChat = createChat({ api: 'https://fast.test/chat', protocol: 'openai-chat' })
    const slowDone = slowChat.send('Slow')
    slow.send(openaiDelta('Slow '))
    await fastChat.send('Fast')
    expect(lastMessage(fastChat.getState()).status).toBe('complete')
    expect(lastMessage(slowChat.getState()).status).not.toBe('complete')
    slow.send(openaiDelta('answer') + openaiFinish())
    slow.close()
    await slowDone
    expect(messageText(lastMessage(slowChat.getState()))).toBe('Slow answer')
    expect(messageText(lastMessage(fastChat.getState()))).toBe('Fast answer')
  })
})
