/**
 * Seed 002's reference backend emits exactly `StreamDelta { content, tool_calls, finish_reason,
 * usage }`: all four fields on every delta, tool calls whole (`ToolCall { id, name, arguments }`)
 * in the final delta with `finish_reason: "tool_calls"`, usage (`prompt_tokens`,
 * `completion_tokens`, `total_tokens`) only in the final delta.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { seed002ToolCalls, startSeed002Server } from '../../../backends/seed-002-stream-delta.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { RunningBackend } from '../../../backends/shared/reference-server.ts'
import type { Message } from '../../../packages/core/src/index.ts'
import { requestBody } from '../../../playground/src/chat/request-config.ts'
import {
  eventsOfRequest,
  eventually,
  keys,
  ndjson,
  openSocket,
  post,
  sseJson,
  userMessage,
} from './helpers.ts'

let backend: RunningBackend

beforeAll(async () => {
  backend = await startSeed002Server({ behaviour: { delay: 2 } })
})
afterAll(() => backend.close())
beforeEach(() => backend.log.clear())

interface Delta {
  content: string | null
  tool_calls: { id: string; name: string; arguments: Record<string, unknown> }[] | null
  finish_reason: string | null
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null
}

function checkShapes(deltas: Delta[]): void {
  for (const delta of deltas) expect(keys(delta)).toEqual(['content', 'finish_reason', 'tool_calls', 'usage'])
  for (const delta of deltas.slice(0, -1)) {
    expect(typeof delta.content).toBe('string')
    expect(delta.finish_reason).toBeNull()
    expect(delta.usage).toBeNull()
  }
  const last = deltas.at(-1)!
  expect(keys(last.usage)).toEqual(['completion_tokens', 'prompt_tokens', 'total_tokens'])
  expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + last.usage!.completion_tokens)
}

describe('seed 002', () => {
  test('text: content deltas, then a final delta with finish_reason "stop" and usage', async () => {
    const deltas = (await sseJson(
      await post(`${backend.httpUrl}/stream?words=6`, userMessage('Tell me a story')),
    )) as Delta[]
    checkShapes(deltas)
    expect(deltas).toHaveLength(7)
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(
      answerText({ ...defaultBehaviour, words: 6 }),
    )
    expect(deltas.at(-1)).toEqual({
      content: null,
      tool_calls: null,
      finish_reason: 'stop',
      usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 },
    })
  })

  test('tools: the accumulated tool calls arrive whole in the final delta', async () => {
    const deltas = (await sseJson(
      await post(`${backend.httpUrl}/stream?scenario=tools`, userMessage('Weather?')),
    )) as Delta[]
    checkShapes(deltas)
    for (const delta of deltas.slice(0, -1)) expect(delta.tool_calls).toBeNull()
    const last = deltas.at(-1)!
    expect(last.finish_reason).toBe('tool_calls')
    expect(last.tool_calls).toEqual(seed002ToolCalls)
    for (const call of last.tool_calls!) expect(keys(call)).toEqual(['arguments', 'id', 'name'])
  })

  test('tools: with the tool results in the conversation, the answer is text', async () => {
    const body = {
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              id: 'call_weather_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_weather_1', content: '{"temperature":21}' },
      ],
    }
    const deltas = (await sseJson(
      await post(`${backend.httpUrl}/stream?scenario=tools&words=3`, body),
    )) as Delta[]
    expect(deltas.at(-1)!.finish_reason).toBe('stop')
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(
      answerText({ ...defaultBehaviour, words: 3 }),
    )
  })

  test('tools: the playground sends the call as the stream gave it and its result, and gets the text answer', async () => {
    const question: Message = {
      id: 'u1',
      role: 'user',
      status: 'complete',
      parts: [{ type: 'text', text: 'Weather?' }],
    } as Message
    const called: Message = {
      id: 'a1',
      role: 'assistant',
      status: 'complete',
      finishReason: 'tool-calls',
      parts: [
        { type: 'text', text: 'Let me check the weather.' },
        {
          type: 'tool-call',
          toolCallId: 'call_weather_1',
          toolName: 'get_weather',
          inputText: '{"city":"Paris"}',
          input: { city: 'Paris' },
          state: 'output-available',
          output: { city: 'Paris', temperature: 21, conditions: 'sunny' },
        },
      ],
    } as Message
    const body = requestBody('stream-delta', '')([question, called])
    expect(body).toEqual({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Let me check the weather.',
          tool_calls: [{ id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'call_weather_1',
          content: JSON.stringify({ city: 'Paris', temperature: 21, conditions: 'sunny' }),
        },
      ],
    })
    const deltas = (await sseJson(
      await post(`${backend.httpUrl}/stream?scenario=tools&words=4`, body),
    )) as Delta[]
    checkShapes(deltas)
    expect(deltas.at(-1)!.finish_reason).toBe('stop')
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(
      answerText({ ...defaultBehaviour, words: 4 }),
    )
  })

  test('tools: a result for a call the conversation never made is an invalid_request_error', async () => {
    const body = {
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'tool', tool_call_id: '__proto__', content: '{"temperature":21}' },
      ],
    }
    const frames = (await sseJson(await post(`${backend.httpUrl}/stream?scenario=tools`, body))) as {
      error: { message: string; type: string }
    }[]
    expect(frames).toHaveLength(1)
    expect(frames[0]!.error.type).toBe('invalid_request_error')
    expect(frames[0]!.error.message).toContain('"__proto__"')
  })

  test('NDJSON and WebSocket carry the same deltas; several answers share one socket', async () => {
    const lines = (await ndjson(
      await post(`${backend.httpUrl}/stream?words=3&framing=ndjson`, userMessage('Hi')),
    )) as Delta[]
    checkShapes(lines)
    const client = await openSocket(`${backend.websocketUrl}/ws?words=3`)
    client.send(userMessage('one'))
    client.send(userMessage('two'))
    await eventually(() =>
      expect(client.frames.filter((frame) => (frame as Delta).finish_reason !== null)).toHaveLength(2),
    )
    // Both prompts are one word: the two answers are the same four deltas.
    checkShapes(client.frames.slice(0, 4) as Delta[])
    expect(client.frames.slice(4, 8)).toEqual(client.frames.slice(0, 4))
    client.close()
  })

  test('a failure halfway is passed through as {"error": {message}}', async () => {
    const frames = await sseJson(await post(`${backend.httpUrl}/stream?fail_after=2`, userMessage('Hi')))
    expect(frames).toHaveLength(3)
    expect(keys((frames[2] as { error: object }).error)).toEqual(['message', 'type'])
  })

  test('a closed connection stops the generator with no chunk after it', async () => {
    const controller = new AbortController()
    const response = await post(
      `${backend.httpUrl}/stream?delay=40&words=100`,
      userMessage('Hi'),
      controller.signal,
    )
    await response.body!.getReader().read()
    controller.abort()
    await eventually(() => expect(eventsOfRequest(backend.log.entries())).toContain('generator-cancelled'))
    expect(eventsOfRequest(backend.log.entries())).not.toContain('chunk-after-stop')
  })
})
