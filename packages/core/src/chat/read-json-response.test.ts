import { describe, expect, it } from 'vitest'
import type { ChatEvent } from '../events.ts'
import type { Protocol } from '../protocol.ts'
import { openaiChatProtocol } from '../protocols/openai-chat/decode.ts'
import { readJsonResponse } from './read-json-response.ts'
import { ChatRequestError, type TransportRequest } from './transport.ts'

function requestFor(protocol: Protocol, inlineTags = false): TransportRequest {
  return {
    api: '/api/chat',
    trigger: 'send',
    messageId: 'm1',
    messages: [],
    body: {},
    headers: {},
    protocol,
    inlineTags,
    stream: false,
    signal: new AbortController().signal,
    observer: { byte() {}, eventId() {} },
  }
}

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = []
  for await (const event of events) all.push(event)
  return all
}

const completion = (content: string) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  })

describe('readJsonResponse', () => {
  it('applies inlineTags to the whole answer: no tag reaches a text delta', async () => {
    const events = await collect(
      readJsonResponse(
        new Response(completion('<think>Hm.</think>Paris.')),
        requestFor(openaiChatProtocol, true),
        {
          maxBytes: 1 << 20,
        },
      ),
    )
    const reasoning = events.filter((event) => event.type === 'reasoning-delta').map((event) => event.delta)
    const text = events.filter((event) => event.type === 'text-delta').map((event) => event.delta)
    expect(reasoning.join('')).toBe('Hm.')
    expect(text.join('')).toBe('Paris.')
    expect(events.at(-1)?.type).toBe('message-end')
  })

  it('refuses a Content-Length over the cap without reading, naming maxBodyBytes', async () => {
    let pulled = false
    const body = new ReadableStream<Uint8Array>({
      pull() {
        pulled = true
      },
    })
    const response = new Response(body, { headers: { 'content-length': String(50 * 1024 * 1024) } })
    const error = await collect(
      readJsonResponse(response, requestFor(openaiChatProtocol), { maxBytes: 1024 }),
    ).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ChatRequestError)
    expect(error).toMatchObject({ kind: 'http', status: 200, code: 'body-too-large' })
    expect((error as Error).message).toBe(
      'The JSON answer from /api/chat is 50 MiB, over the 1 KiB cap (maxBodyBytes); it was not read. Ask the server for a stream, or raise maxBodyBytes if such an answer is expected.',
    )
    expect(pulled).toBe(false)
  })

  it('a decoder that throws becomes a clear error naming the protocol, with the status', async () => {
    const throwing: Protocol = {
      ...openaiChatProtocol,
      id: 'openai-chat',
      decodeResponse() {
        throw new RangeError('Maximum call stack size exceeded')
      },
    }
    const error = await collect(
      readJsonResponse(new Response(completion('x')), requestFor(throwing), { maxBytes: 1 << 20 }),
    ).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ kind: 'http', status: 200, code: 'decoder-error' })
    expect((error as Error).message).toContain(
      "The openai-chat decoder failed on the server's JSON answer (Maximum call stack size exceeded)",
    )
  })

  it('invalid JSON names the protocol and keeps the status', async () => {
    const error = await collect(
      readJsonResponse(new Response('{"choices": [', { status: 201 }), requestFor(openaiChatProtocol), {
        maxBytes: 1 << 20,
      }),
    ).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ kind: 'http', status: 201 })
    expect((error as Error).message).toMatch(
      /^The server's JSON answer \(protocol "openai-chat"\) is not valid JSON: /,
    )
  })

  it('a stream labelled JSON is named as such, with the Content-Type to send', async () => {
    const sse = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n'
    const error = await collect(
      readJsonResponse(
        new Response(sse, { headers: { 'content-type': 'application/json' } }),
        requestFor(openaiChatProtocol),
        { maxBytes: 1 << 20 },
      ),
    ).catch((caught: unknown) => caught)
    expect((error as Error).message).toMatch(
      /is not valid JSON: .*\. It is an SSE stream labelled application\/json: have the server send Content-Type: text\/event-stream\.$/,
    )
    const ndjson = '{"message":{"content":"Hi"},"done":false}\n{"message":{"content":"!"},"done":true}\n'
    const second = await collect(
      readJsonResponse(new Response(ndjson), requestFor(openaiChatProtocol), { maxBytes: 1 << 20 }),
    ).catch((caught: unknown) => caught)
    expect((second as Error).message).toContain('It looks like NDJSON (one JSON value per line) labelled')
  })
})
