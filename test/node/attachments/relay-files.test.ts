/**
 * The relay reads attached files from createChat's default body as hostile input, and sends
 * them upstream in the provider's shape, over real TCP to a local server standing in for the
 * provider.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defaultRequestBody, type FilePart } from '@sluice/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createChatHandler } from '../../../packages/server/src/create-chat-handler.ts'
import { parseChatRequest, type RequestLimits } from '../../../packages/server/src/request-messages.ts'

const limits: RequestLimits = { maxMessages: 50, maxContentLength: 10_000, maxToolCalls: 8 }
const image: FilePart = {
  type: 'file',
  url: 'data:image/png;base64,iVBORw0KGgo=',
  mediaType: 'image/png',
  name: 'dot.png',
  size: 8,
}
const pdf: FilePart = {
  type: 'file',
  url: 'https://files.example.com/spec.pdf',
  mediaType: 'application/pdf',
  name: 'spec.pdf',
}

describe('parseChatRequest: files', () => {
  test('files of the default body become file parts before the text', () => {
    const body = {
      messages: [
        { role: 'user', content: 'Compare', files: [image, pdf].map(({ type: _type, ...file }) => file) },
      ],
    }
    expect(parseChatRequest(body, limits).messages[0]?.parts).toEqual([
      image,
      pdf,
      { type: 'text', id: 'text', text: 'Compare', state: 'done' },
    ])
  })

  test.each([
    [
      { url: 'blob:http://localhost/x', mediaType: 'image/png' },
      'messages[0].files[0].url must be an http(s) URL or a data:<type>;base64, URL.',
    ],
    [
      { url: 'javascript:alert(1)', mediaType: 'image/png' },
      'messages[0].files[0].url must be an http(s) URL',
    ],
    [
      { url: 'data:text/html,<script>', mediaType: 'text/html' },
      'messages[0].files[0].url must be an http(s) URL',
    ],
    [
      { url: 'https://x.test/a', mediaType: 'not a type' },
      'messages[0].files[0].mediaType must be a media type such as image/png.',
    ],
    [
      { url: 'https://x.test/a', mediaType: 'image/png', size: -1 },
      'messages[0].files[0].size must be a whole number of bytes.',
    ],
    ['https://x.test/a', 'messages[0].files[0] must be an object {url, mediaType, name?, size?}.'],
  ])('refuses %j with a 400 naming the field', (file, message) => {
    let error: unknown
    try {
      parseChatRequest({ messages: [{ role: 'user', content: 'x', files: [file] }] }, limits)
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ status: 400 })
    expect((error as Error).message).toContain(message)
  })

  test('too many files or too long a data URL is a 413 naming the limit', () => {
    const many = Array.from({ length: 3 }, () => ({ url: 'https://x.test/a', mediaType: 'image/png' }))
    expect(() =>
      parseChatRequest(
        { messages: [{ role: 'user', content: '', files: many }] },
        { ...limits, maxFiles: 2 },
      ),
    ).toThrow(/files has 3 entries; at most 2 are accepted \(maxFiles\)/)
    const big = { url: `data:image/png;base64,${'A'.repeat(100)}`, mediaType: 'image/png' }
    expect(() =>
      parseChatRequest(
        { messages: [{ role: 'user', content: '', files: [big] }] },
        { ...limits, maxFileUrlLength: 50 },
      ),
    ).toThrow(/at most 50 are accepted \(maxFileUrlLength\)/)
  })
})

describe('relay → provider over TCP', () => {
  let server: Server
  let baseURL: string
  const bodies: unknown[] = []
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.end(
          [
            'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":5,"output_tokens":1}}}\n\n',
            'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
            'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"A dot."}}\n\n',
            'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
            'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}\n\n',
            'event: message_stop\ndata: {"type":"message_stop"}\n\n',
          ].join(''),
        )
      })
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  })
  afterAll(() => {
    server.close()
  })

  test('Anthropic: the attached image and PDF arrive as image and document blocks', async () => {
    const handler = createChatHandler({
      provider: 'anthropic',
      baseURL,
      apiKey: 'test',
      model: 'claude-sonnet-4-5',
    })
    const body = defaultRequestBody([
      {
        id: 'u',
        role: 'user',
        status: 'complete',
        parts: [image, pdf, { type: 'text', id: 't', text: 'What is this?', state: 'done' }],
      },
    ])
    const response = await handler(
      new Request('http://relay.test/api/chat', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('A dot.')
    expect(bodies.at(-1)).toMatchObject({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            {
              type: 'document',
              source: { type: 'url', url: 'https://files.example.com/spec.pdf' },
              title: 'spec.pdf',
            },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    })
  })
})
