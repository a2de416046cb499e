import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import { type Message, messageReasoning, messageText, messageToolCalls } from '../../message.ts'
import type { Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { streamDeltaProtocol } from './decode.ts'

vi.mock('react', () => ({}))

function collect(chunks: readonly string[], framing: Framing = 'sse') {
  const text = createTextChunkDecoder()
  const framer = createFramer(framing)
  const decoder = streamDeltaProtocol.createDecoder({ messageId: 'a1' })
  const events: ChatEvent[] = []
  const encoder = new TextEncoder()
  for (const chunk of chunks) {
    for (const frame of framer.push(text.decode(encoder.encode(chunk)))) events.push(...decoder.decode(frame))
  }
  for (const frame of framer.end()) events.push(...decoder.decode(frame))
  events.push(...decoder.end())
  return { message: reduceChat(initialChatState, events).messages.a1 as Message, events }
}

const sse = (...payloads: unknown[]) =>
  payloads.map((payload) => `data: ${JSON.stringify(payload)}\n\n`).join('')
const delta = (fields: Record<string, unknown>) => ({
  content: null,
  tool_calls: null,
  finish_reason: null,
  usage: null,
  ...fields,
})

describe('stream-delta decoder', () => {
  it('streams text, diffs accumulated tool calls into suffix deltas and ends on finish_reason', () => {
    const weather = (args: string) => ({ id: 'call_w', name: 'get_weather', arguments: args })
    const time = (args: string) => ({ id: 'call_t', name: 'get_time', arguments: args })
    const body = sse(
      delta({ content: 'Let me check' }),
      delta({ content: ' both.' }),
      delta({ tool_calls: [weather('')] }),
      delta({ tool_calls: [weather('{"city":')] }),
      delta({ tool_calls: [weather('{"city":"Paris"}')] }),
      delta({ tool_calls: [weather('{"city":"Paris"}'), time('{"tz":"Europe/')] }),
      delta({ tool_calls: [weather('{"city":"Paris"}'), time('{"tz":"Europe/Paris"}')] }),
      delta({
        tool_calls: [weather('{"city":"Paris"}'), time('{"tz":"Europe/Paris"}')],
        finish_reason: 'tool_calls',
        usage: { prompt_tokens: 31, completion_tokens: 22, total_tokens: 53 },
      }),
    )
    const { message, events } = collect([body.slice(0, 100), body.slice(100)])
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('tool-calls')
    expect(messageText(message)).toBe('Let me check both.')
    expect(message.usage).toEqual({ inputTokens: 31, outputTokens: 22, totalTokens: 53 })
    const calls = messageToolCalls(message)
    expect(calls.map((call) => [call.toolCallId, call.toolName, call.state, call.input])).toEqual([
      ['call_w', 'get_weather', 'input-available', { city: 'Paris' }],
      ['call_t', 'get_time', 'input-available', { tz: 'Europe/Paris' }],
    ])
    // Only new text is emitted: the deltas of a call add up to its arguments exactly once.
    const deltas = events.flatMap((event) =>
      event.type === 'tool-call-delta' ? [[event.toolCallId, event.delta]] : [],
    )
    expect(deltas).toEqual([
      ['call_w', '{"city":'],
      ['call_w', '"Paris"}'],
      ['call_t', '{"tz":"Europe/'],
      ['call_t', 'Paris"}'],
    ])
    expect(events.filter((event) => event.type === 'tool-call-start')).toHaveLength(2)
  })

  it('reads OpenAI-shaped calls ({function: {name, arguments}}) and object arguments', () => {
    const { message } = collect([
      sse(
        delta({
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"ca' } }],
        }),
        delta({
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"cats"}' } },
          ],
        }),
        delta({
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"cats"}' } },
            { id: 'c2', name: 'lookup', arguments: { ids: [1, 2] } },
          ],
          finish_reason: 'tool_calls',
        }),
      ),
    ])
    const calls = messageToolCalls(message)
    expect(calls.map((call) => [call.toolName, call.input])).toEqual([
      ['search', { q: 'cats' }],
      ['lookup', { ids: [1, 2] }],
    ])
    expect(calls[1]?.inputText).toBe('{"ids":[1,2]}')
  })

  it('ends a call whose arguments were rewritten with exactly the last arguments sent', () => {
    const call = (args: string) => ({ tool_calls: [{ id: 'c1', name: 'edit', arguments: args }] })
    const { message, events } = collect([
      sse(
        delta(call('{"path":"a.t')),
        delta(call('{"path":"b')), // rewritten, not appended
        delta(call('{"path":"b.txt"}')),
        delta({ ...call('{"path":"b.txt"}'), finish_reason: 'tool_calls' }),
      ),
    ])
    const [part] = messageToolCalls(message)
    expect(part?.inputText).toBe('{"path":"b.txt"}')
    expect(part?.input).toEqual({ path: 'b.txt' })
    expect(part?.state).toBe('input-available')
    // After the rewrite no delta was emitted: the streamed text was never garbled.
    expect(
      events
        .filter((event) => event.type === 'tool-call-delta')
        .map((event) => (event as { delta: string }).delta),
    ).toEqual(['{"path":"a.t'])
  })

  it('starts a call once its name arrives and keys calls without ids by position', () => {
    const { message } = collect([
      sse(
        delta({ tool_calls: [{ arguments: '{"n":' }] }),
        delta({ tool_calls: [{ name: 'count', arguments: '{"n":3}' }] }),
        delta({ finish_reason: 'tool_calls' }),
      ),
    ])
    const [part] = messageToolCalls(message)
    expect(part?.toolCallId).toBe('a1-call-0')
    expect(part?.toolName).toBe('count')
    expect(part?.input).toEqual({ n: 3 })
  })

  it('starts a new text block after a tool call, and streams reasoning_content as reasoning', () => {
    const { message } = collect([
      sse(
        delta({ reasoning_content: 'User wants a file.' }),
        delta({ content: 'Opening it.' }),
        delta({ tool_calls: [{ id: 'c1', name: 'open', arguments: '{}' }] }),
        delta({ content: 'Done.', tool_calls: [{ id: 'c1', name: 'open', arguments: '{}' }] }),
        delta({ finish_reason: 'stop' }),
      ),
    ])
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call', 'text'])
    expect(messageReasoning(message)).toBe('User wants a file.')
    expect(messageText(message)).toBe('Opening it.Done.')
  })

  it('merges a usage-only frame sent after the finish, and ignores other late content', () => {
    const { message } = collect([
      sse(
        delta({ content: 'Hi' }),
        delta({ finish_reason: 'stop' }),
        delta({ content: 'late' }),
        delta({ usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } }),
      ),
      'data: [DONE]\n\n',
    ])
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Hi')
    expect(message.usage).toEqual({ inputTokens: 4, outputTokens: 1, totalTokens: 5 })
  })

  it('reports a cut stream as interrupted and cancels the unfinished call', () => {
    const { message } = collect([
      sse(
        delta({ content: 'Searching' }),
        delta({ tool_calls: [{ id: 'c1', name: 'search', arguments: '{"q":"ca' }] }),
      ),
    ])
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('finish_reason')
    expect(messageText(message)).toBe('Searching')
    expect(messageToolCalls(message)[0]?.state).toBe('cancelled')
  })

  it('turns error frames and malformed JSON into message errors', () => {
    const errored = collect([
      sse(delta({ content: 'Par' }), { error: { message: 'Upstream timeout', code: 'timeout' } }),
    ]).message
    expect(errored.status).toBe('error')
    expect(errored.error).toEqual({ message: 'Upstream timeout', code: 'timeout' })
    expect(messageText(errored)).toBe('Par')

    const malformed = collect([
      `${sse(delta({ content: 'ok' }))}data: {"content": "x\n\n${sse(delta({ content: ' more' }))}`,
    ]).message
    expect(malformed.status).toBe('error')
    expect(malformed.error?.code).toBe('invalid-frame')

    // The decoder kit's one policy: a malformed last frame was cut by the end of the body.
    const cut = collect([`${sse(delta({ content: 'ok' }))}data: {"content": "x\n\n`]).message
    expect(cut.status).toBe('interrupted')
    expect(cut.error?.message).toContain('its last frame was cut off')
    expect(messageText(cut)).toBe('ok')
  })

  it('ignores unknown fields and maps every finish reason', () => {
    const cases: [string, string][] = [
      ['stop', 'stop'],
      ['length', 'length'],
      ['content_filter', 'content-filter'],
      ['eos', 'other'],
    ]
    for (const [word, reason] of cases) {
      const { message } = collect(
        [sse(delta({ content: 'x', logprobs: null, id: 'chatcmpl-1' }), delta({ finish_reason: word }))],
        'sse',
      )
      expect(message.finishReason).toBe(reason)
      expect(message.rawFinishReason).toBe(word === reason ? undefined : word)
    }
  })

  it('reads NDJSON lines too', () => {
    const lines = [delta({ content: 'Hello' }), delta({ finish_reason: 'stop' })].map((line) =>
      JSON.stringify(line),
    )
    const { message } = collect([`${lines.join('\n')}\n`], 'ndjson')
    expect(messageText(message)).toBe('Hello')
    expect(message.status).toBe('complete')
  })
})

describe('stream-delta through collectMessage', () => {
  it('collects the final message from a response body by protocol id', async () => {
    const body = new Response(
      sse(
        delta({ content: 'Hi' }),
        delta({ tool_calls: [{ id: 'c1', name: 'f', arguments: '{"x":1}' }], finish_reason: 'tool_calls' }),
      ),
    ).body!
    const message = await collectMessage(body, 'stream-delta')
    expect(message).toMatchObject({
      id: 'stream-delta-response',
      status: 'complete',
      finishReason: 'tool-calls',
    })
    expect(messageToolCalls(message)[0]?.input).toEqual({ x: 1 })
  })
})
