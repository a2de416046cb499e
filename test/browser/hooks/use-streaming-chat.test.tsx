import { createChatStore, type Message, messageText, type Transport } from '@sluice/core'
import { encoders } from '@sluice/core/encoders'
import { HttpResponse } from 'msw'
import { StrictMode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { type ChatEndpoint, chatEndpoint } from './chat-endpoint.ts'
import { assistantItems, ChatView, type ResultBox, statusText } from './chat-view.tsx'
import { frames, providerAnswer, providerBody, recordingFetch, startWorker, worker } from './mock-stream.ts'

beforeAll(startWorker)
afterEach(() => worker.resetHandlers())
afterAll(() => worker.stop())

const answer = providerAnswer('openai-chat', ['Hello', ' from', ' the', ' model.'])

function userMessage(id: string, text: string): Message {
  return { id, role: 'user', status: 'complete', parts: [{ type: 'text', id: 'text', text, state: 'done' }] }
}

/** Waits until the endpoint received `count` requests. */
async function requestsReceived(endpoint: ChatEndpoint, count: number) {
  await expect.poll(() => endpoint.requests.length).toBe(count)
}

describe('useStreamingChat lifecycle', () => {
  test('a placeholder appears at once, the text grows token by token, then the answer is complete', async () => {
    const endpoint = chatEndpoint()
    const stream = endpoint.stream()
    const onFinish = vi.fn()
    const box: ResultBox = {}
    await render(<ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat', onFinish }} />)
    expect(statusText()).toBe('idle')

    const sent = box.current!.send('Hi there')
    // Before a single byte: the user's message and an empty assistant placeholder, waiting.
    await expect.poll(() => assistantItems()).toEqual([{ status: 'pending', text: '' }])
    expect(statusText()).toBe('submitted')
    expect(document.querySelector('[data-role="user"]')?.textContent).toBe('Hi there')
    await requestsReceived(endpoint, 1)
    expect(endpoint.requests[0]!.body.messages).toEqual([{ role: 'user', content: 'Hi there' }])

    stream.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello' }])
    expect(statusText()).toBe('streaming')
    stream.push(answer.tokens[1]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello from' }])
    stream.push(answer.tokens[2]! + answer.tokens[3]! + answer.end)
    stream.close()
    await sent
    await expect.poll(() => assistantItems()).toEqual([{ status: 'complete', text: 'Hello from the model.' }])
    expect(statusText()).toBe('idle')
    expect(onFinish).toHaveBeenCalledTimes(1)
    expect(messageText(onFinish.mock.calls[0]![0] as Message)).toBe('Hello from the model.')
  })

  test('stop mid-stream aborts the request, keeps the partial text and applies nothing after it', async () => {
    const endpoint = chatEndpoint()
    const stream = endpoint.stream()
    const recording = recordingFetch()
    const box: ResultBox = {}
    await render(
      <ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat', fetch: recording.fetch }} />,
    )
    const sent = box.current!.send('Tell me a story')
    await requestsReceived(endpoint, 1)
    stream.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello' }])

    box.current!.stop()
    // The server side sees the connection close: the response body is cancelled.
    await stream.whenCancelled
    expect(recording.signals).toHaveLength(1)
    expect(recording.signals[0]!.aborted).toBe(true)
    await sent
    await expect.poll(() => assistantItems()).toEqual([{ status: 'cancelled', text: 'Hello' }])
    expect(statusText()).toBe('idle')

    // What the server still tries to send goes nowhere.
    stream.push(answer.tokens[1]! + answer.end)
    await frames(3)
    expect(assistantItems()).toEqual([{ status: 'cancelled', text: 'Hello' }])
  })

  test.each([
    {
      status: 401,
      protocol: 'openai-chat' as const,
      message:
        'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.',
    },
    {
      status: 429,
      protocol: 'anthropic' as const,
      message: 'Number of request tokens has exceeded your per-minute rate limit',
    },
    {
      status: 500,
      protocol: 'openai-chat' as const,
      message: 'The server had an error while processing your request.',
    },
  ])(
    'HTTP $status with a $protocol error body: status error, the provider message visible',
    async ({ status, protocol, message }) => {
      const endpoint = chatEndpoint()
      endpoint.respond(() =>
        HttpResponse.json(encoders[protocol].encodeError!(status, message) as object, { status }),
      )
      const onError = vi.fn()
      const box: ResultBox = {}
      await render(<ChatView box={box} options={{ api: '/api/chat', protocol, retry: false, onError }} />)
      await box.current!.send('Hello')

      await expect.poll(() => statusText()).toBe('error')
      await expect.poll(() => document.querySelector('[role="alert"]')?.textContent).toBe(message)
      expect(assistantItems()).toEqual([{ status: 'error', text: '' }])
      expect(box.current!.error?.message).toBe(message)
      expect(box.current!.messages.at(-1)?.error).toMatchObject({ message, status })
      expect(onError).toHaveBeenCalledTimes(1)
      expect((onError.mock.calls[0]![0] as Error).message).toBe(message)
      expect(endpoint.requests).toHaveLength(1)
    },
  )

  test('a 500 is retried before the first byte when retry is on, and the answer then arrives', async () => {
    const endpoint = chatEndpoint()
    endpoint.respond(() =>
      HttpResponse.json(encoders['openai-chat'].encodeError!(500, 'The server had an error.') as object, {
        status: 500,
      }),
    )
    endpoint.respond(
      () =>
        new HttpResponse(answer.start + answer.tokens.join('') + answer.end, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    )
    const box: ResultBox = {}
    await render(
      <ChatView
        box={box}
        options={{
          api: '/api/chat',
          protocol: 'openai-chat',
          retry: { attempts: 1, baseDelay: 10, maxDelay: 10 },
        }}
      />,
    )
    await box.current!.send('Hello')
    await expect.poll(() => assistantItems()).toEqual([{ status: 'complete', text: 'Hello from the model.' }])
    expect(endpoint.requests).toHaveLength(2)
    expect(statusText()).toBe('idle')
  })

  test('a connection dropped mid-stream leaves the partial answer interrupted; retry asks again in its place', async () => {
    const endpoint = chatEndpoint()
    const first = endpoint.stream()
    const onError = vi.fn()
    const box: ResultBox = {}
    await render(<ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat', onError }} />)
    const sent = box.current!.send('Hello')
    await requestsReceived(endpoint, 1)
    first.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello' }])
    first.disconnect()
    await sent
    await expect.poll(() => assistantItems()).toEqual([{ status: 'interrupted', text: 'Hello' }])
    expect(statusText()).toBe('error')
    expect(onError).toHaveBeenCalledTimes(1)

    const second = endpoint.stream()
    const retried = box.current!.retry()
    await requestsReceived(endpoint, 2)
    // The retried request carries the conversation without the failed partial answer.
    expect(endpoint.requests[1]!.body.messages).toEqual([{ role: 'user', content: 'Hello' }])
    second.push(answer.start + answer.tokens.join('') + answer.end)
    second.close()
    await retried
    await expect.poll(() => assistantItems()).toEqual([{ status: 'complete', text: 'Hello from the model.' }])
    expect(statusText()).toBe('idle')
    expect(document.querySelectorAll('[data-role="user"]')).toHaveLength(1)
  })

  test('options are read live: a new body applies to the next request without recreating the chat', async () => {
    const endpoint = chatEndpoint()
    const body = () =>
      new HttpResponse(answer.start + answer.tokens.join('') + answer.end, {
        headers: { 'content-type': 'text/event-stream' },
      })
    endpoint.respond(body)
    endpoint.respond(body)
    const firstFinish = vi.fn()
    const secondFinish = vi.fn()
    const box: ResultBox = {}
    const screen = await render(
      <ChatView
        box={box}
        options={{
          api: '/api/chat',
          protocol: 'openai-chat',
          body: { model: 'gpt-4o' },
          onFinish: firstFinish,
        }}
      />,
    )
    const chat = box.current!.chat
    await box.current!.send('One')
    await screen.rerender(
      <ChatView
        box={box}
        options={{
          api: '/api/chat',
          protocol: 'openai-chat',
          body: { model: 'gpt-4o-mini' },
          onFinish: secondFinish,
        }}
      />,
    )
    expect(box.current!.chat).toBe(chat)
    await box.current!.send('Two')
    expect(endpoint.requests.map((request) => request.body.model)).toEqual(['gpt-4o', 'gpt-4o-mini'])
    expect(firstFinish).toHaveBeenCalledTimes(1)
    expect(secondFinish).toHaveBeenCalledTimes(1)
  })

  test('onToolCall runs the tool when its input is complete and records its output', async () => {
    const endpoint = chatEndpoint()
    const wire = providerBody('openai-chat', [
      { type: 'message-start', messageId: 'answer', role: 'assistant' },
      { type: 'tool-call-start', messageId: 'answer', toolCallId: 'call_1', toolName: 'weather' },
      { type: 'tool-call-delta', messageId: 'answer', toolCallId: 'call_1', delta: '{"city":' },
      { type: 'tool-call-delta', messageId: 'answer', toolCallId: 'call_1', delta: '"Paris"}' },
      { type: 'tool-call-end', messageId: 'answer', toolCallId: 'call_1' },
      { type: 'message-end', messageId: 'answer', finishReason: 'tool-calls' },
    ])
    endpoint.respond(() => new HttpResponse(wire, { headers: { 'content-type': 'text/event-stream' } }))
    const onToolCall = vi.fn(async (toolCall: { input?: unknown }) => ({
      temperature: 21,
      city: (toolCall.input as { city: string }).city,
    }))
    const box: ResultBox = {}
    await render(<ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat', onToolCall }} />)
    await box.current!.send('Weather in Paris?')
    await expect
      .poll(() => box.current!.messages.at(-1)?.parts.find((part) => part.type === 'tool-call'))
      .toMatchObject({
        toolCallId: 'call_1',
        toolName: 'weather',
        state: 'output-available',
        input: { city: 'Paris' },
        output: { temperature: 21, city: 'Paris' },
      })
    expect(onToolCall).toHaveBeenCalledTimes(1)
  })
})

describe('useStreamingChat in the React lifecycle', () => {
  test('StrictMode: exactly one request per send, and the chat survives the double mount', async () => {
    const endpoint = chatEndpoint()
    const wire = () =>
      new HttpResponse(answer.start + answer.tokens.join('') + answer.end, {
        headers: { 'content-type': 'text/event-stream' },
      })
    endpoint.respond(wire)
    endpoint.respond(wire)
    const box: ResultBox = {}
    await render(
      <StrictMode>
        <ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat' }} />
      </StrictMode>,
    )
    await box.current!.send('One')
    await expect.poll(() => assistantItems()).toEqual([{ status: 'complete', text: 'Hello from the model.' }])
    expect(endpoint.requests).toHaveLength(1)
    await box.current!.send('Two')
    await expect.poll(() => assistantItems().map((item) => item.status)).toEqual(['complete', 'complete'])
    expect(endpoint.requests).toHaveLength(2)
    expect(endpoint.requests[1]!.body.messages.map((message) => message.content)).toEqual([
      'One',
      'Hello from the model.',
      'Two',
    ])
  })

  test('StrictMode: one subscription to the transport (the discarded chat holds none); unmount releases it once', async () => {
    const unsubscribe = vi.fn()
    const transport: Transport = {
      async *request() {},
      subscribe: vi.fn(() => unsubscribe),
    }
    const box: ResultBox = {}
    const screen = await render(
      <StrictMode>
        <ChatView
          box={box}
          options={{ api: 'wss://example.test/chat', protocol: 'message-events', transport }}
        />
      </StrictMode>,
    )
    await frames(2)
    // StrictMode creates the chat twice and keeps one: only the kept one subscribes.
    expect(transport.subscribe).toHaveBeenCalledTimes(1)
    expect(unsubscribe).not.toHaveBeenCalled()
    await screen.unmount()
    await frames(1)
    expect(unsubscribe).toHaveBeenCalledTimes(1)
  })

  test('unmounting mid-stream aborts the request', async () => {
    const endpoint = chatEndpoint()
    const stream = endpoint.stream()
    const recording = recordingFetch()
    const box: ResultBox = {}
    const screen = await render(
      <ChatView box={box} options={{ api: '/api/chat', protocol: 'openai-chat', fetch: recording.fetch }} />,
    )
    const store = box.current!.store
    void box.current!.send('Hello')
    await requestsReceived(endpoint, 1)
    stream.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello' }])
    await screen.unmount()
    await stream.whenCancelled
    expect(recording.signals[0]!.aborted).toBe(true)
    // The partial answer is kept in the store, marked as stopped.
    const answerId = store.getState().messageIds.at(-1)!
    await expect.poll(() => store.getState().messages[answerId]?.status).toBe('cancelled')
    expect(messageText(store.getState().messages[answerId]!)).toBe('Hello')
  })

  test('keepStreamingOnUnmount: the answer finishes into the store after the component is gone', async () => {
    const endpoint = chatEndpoint()
    const stream = endpoint.stream()
    const store = createChatStore()
    const box: ResultBox = {}
    const screen = await render(
      <ChatView
        box={box}
        options={{ api: '/api/chat', protocol: 'openai-chat', store, keepStreamingOnUnmount: true }}
      />,
    )
    const sent = box.current!.send('Hello')
    await requestsReceived(endpoint, 1)
    stream.push(answer.start + answer.tokens[0]!)
    await expect.poll(() => assistantItems()).toEqual([{ status: 'streaming', text: 'Hello' }])
    await screen.unmount()
    await frames(3)
    expect(stream.cancelled).toBe(false)
    stream.push(answer.tokens.slice(1).join('') + answer.end)
    stream.close()
    await sent
    const last = store.getState().messages[store.getState().messageIds.at(-1)!]!
    expect(last.status).toBe('complete')
    expect(messageText(last)).toBe('Hello from the model.')
  })

  test('initialMessages show on the first render', async () => {
    const box: ResultBox = {}
    await render(
      <ChatView
        box={box}
        options={{
          api: '/api/chat',
          protocol: 'openai-chat',
          initialMessages: [userMessage('u1', 'Saved question')],
        }}
      />,
    )
    expect(document.querySelector('[data-message-id="u1"]')?.textContent).toBe('Saved question')
  })
})
