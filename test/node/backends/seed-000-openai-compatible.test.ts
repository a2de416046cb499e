/**
 * Seed 000's reference backend is an OpenAI-compatible provider: the official `openai` SDK reads
 * its stream and its non-streaming fallback, and the model's `<think>` / `<tool_call>` tags are
 * in the text, cut across chunks as tokens are.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  seed000Reasoning,
  seed000Text,
  seed000ToolCall,
  startSeed000Server,
} from '../../../backends/seed-000-openai-compatible.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { RunningBackend } from '../../../backends/shared/reference-server.ts'
import { eventsOfRequest, eventually, post, sseJson, userMessage } from './helpers.ts'

let backend: RunningBackend
let client: OpenAI

beforeAll(async () => {
  backend = await startSeed000Server({ behaviour: { delay: 1 } })
  client = new OpenAI({ apiKey: 'not-used', baseURL: `${backend.httpUrl}/v1`, maxRetries: 0 })
})
afterAll(() => backend.close())
beforeEach(() => backend.log.clear())

describe('seed 000', () => {
  test('the openai SDK streams the text with usage and a stop finish', async () => {
    const stream = await client.chat.completions.create({
      model: 'local-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello' }],
    })
    let text = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk')
      expect(chunk.model).toBe('local-model')
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(text).toBe(answerText(defaultBehaviour))
    expect(finish).toBe('stop')
    expect(usage?.prompt_tokens).toBe(1)
    expect(usage?.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens)
  })

  test('tools: <think> and <tool_call> are inline in the text, tags split across chunks, then [DONE]', async () => {
    const frames = await sseJson(
      await post(`${backend.httpUrl}/v1/chat/completions?scenario=tools`, {
        stream: true,
        ...userMessage('Weather?'),
      }),
    )
    expect(frames.at(-1)).toBe('[DONE]')
    const contents = (frames.slice(0, -1) as { choices: { delta: { content?: string } }[] }[]).map(
      (frame) => frame.choices[0]?.delta.content ?? '',
    )
    const text = contents.join('')
    expect(text).toBe(seed000Text({ ...defaultBehaviour, scenario: 'tools' }, false))
    expect(text).toContain(`<think>${seed000Reasoning}</think>`)
    const call = /<tool_call>(.*)<\/tool_call>/s.exec(text)![1]!
    expect(JSON.parse(call)).toEqual(seed000ToolCall)
    // No chunk holds a whole tag: a client must hold a partial tag back.
    expect(contents.some((content) => content.includes('<tool_call>'))).toBe(false)
    expect(contents.some((content) => content.includes('<tool'))).toBe(true)
  })

  test('the non-streaming fallback: stream false, or a provider that does not stream, answers one chat.completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'local-model',
      messages: [{ role: 'user', content: '[[scenario=reasoning]] Hello' }],
    })
    expect(completion.object).toBe('chat.completion')
    expect(completion.choices[0]!.message.content).toBe(
      seed000Text({ ...defaultBehaviour, scenario: 'reasoning' }, false),
    )
    const forced = await post(`${backend.httpUrl}/v1/chat/completions?mode=json&scenario=tools`, {
      stream: true,
      ...userMessage('Weather?'),
    })
    expect(forced.headers.get('content-type')).toBe('application/json')
    const body = (await forced.json()) as { choices: { message: { content: string } }[] }
    expect(body.choices[0]!.message.content).toContain('<tool_call>')
  })

  test('after the tool results come back, the answer is plain text', async () => {
    const completion = await client.chat.completions.create({
      model: 'local-model',
      messages: [
        { role: 'user', content: '[[scenario=tools words=4]] Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: '{"temperature":21}' },
      ],
    })
    expect(completion.choices[0]!.message.content).toBe(answerText({ ...defaultBehaviour, words: 4 }))
  })

  test('a mid-stream failure is an SSE error object the SDK throws', async () => {
    const stream = await client.chat.completions.create({
      model: 'local-model',
      stream: true,
      messages: [{ role: 'user', content: '[[fail_after=4]] Hello' }],
    })
    await expect(async () => {
      for await (const _ of stream) {
        // read to the error
      }
    }).rejects.toThrow(/crashed mid-stream/)
  })

  test('an aborted stream is seen by the server and stops the generator', async () => {
    const controller = new AbortController()
    const response = await post(
      `${backend.httpUrl}/v1/chat/completions?delay=40&words=200`,
      { stream: true, ...userMessage('Hi') },
      controller.signal,
    )
    await response.body!.getReader().read()
    controller.abort()
    await eventually(() => expect(eventsOfRequest(backend.log.entries())).toContain('generator-cancelled'))
    expect(eventsOfRequest(backend.log.entries())).not.toContain('chunk-after-stop')
  })

  test('CORS preflight is answered for the playground origin', async () => {
    const response = await fetch(`${backend.httpUrl}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4179',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })
})
