import { describe, expect, it, vi } from 'vitest'
import { listFixtures, readFixtureText } from '../../../../../test/helpers/fixtures.ts'
import { type Message, messageReasoning, messageText, messageToolCalls } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { ollamaProtocol } from './decode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

const granite = 'ollama-chat/text-granite3-dense-final-stats.ndjson'
const thinking = 'ollama-chat/thinking-gpt-oss.ndjson'
const twoTools = 'ollama-chat/two-tool-calls-qwen3-14b.ndjson'
const midstreamError = 'ollama-chat/docs-generate-midstream-error.ndjson'

// Read off the fixture lines by hand.
const graniteText =
  'I am Granite, a language model developed by IBM in 2024. I am designed to understand and respond to a wide range of questions and prompts.'
const gptOssReasoning =
  'The user says "Test prompt". Likely they are just testing the system. We should respond with a simple acknowledgment. Possibly "Sure, how can I help?" or "Testing successful." We can respond politely. No special instructions.'
const gptOssText = "Sure thing! Let me know what you'd like to test or if there's anything specific you need."

function collect(body: string, sizes: readonly number[] = []): Promise<Message> {
  return collectBody(body, sizes, ollamaProtocol, 'm1')
}

function toolCalls(message: Message) {
  return messageToolCalls(message).map(({ toolCallId, toolName, state, input, inputText }) => ({
    toolCallId,
    toolName,
    state,
    input,
    inputText,
  }))
}

describe('Ollama fixtures', () => {
  it('covers every recorded fixture', () => {
    expect(listFixtures('ollama-chat')).toEqual([midstreamError, granite, thinking, twoTools])
  })

  it('streams plain text and takes usage, finish reason and durations from the done line', async () => {
    const message = await collect(readFixtureText(granite))
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe(graniteText)
    expect(message.parts.map((part) => part.type)).toEqual(['text'])
    expect(message.finishReason).toBe('stop')
    expect(message.rawFinishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 37, outputTokens: 37, totalTokens: 74 })
    expect(message.metadata).toMatchObject({
      model: 'granite3-dense:8b',
      totalDuration: 2203237375,
      loadDuration: 336223209,
      promptEvalDuration: 355000000,
      evalDuration: 1511000000,
    })
  })

  it('streams thinking as reasoning before the answer', async () => {
    const message = await collect(readFixtureText(thinking))
    expect(message.status).toBe('complete')
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text'])
    expect(messageReasoning(message)).toBe(gptOssReasoning)
    expect(messageText(message)).toBe(gptOssText)
    expect(message.usage).toEqual({ inputTokens: 69, outputTokens: 76, totalTokens: 145 })
    expect(message.finishReason).toBe('stop')
  })

  it('turns whole tool calls (without ids) into input-available calls with deterministic ids', async () => {
    const message = await collect(readFixtureText(twoTools))
    expect(message.status).toBe('complete')
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_0',
        toolName: 'weather',
        state: 'input-available',
        input: { city: 'Detroit' },
        inputText: '{"city":"Detroit"}',
      },
      {
        toolCallId: 'call_1',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers game time today' },
        inputText: '{"query":"Detroit Tigers game time today"}',
      },
    ])
    expect(messageText(message)).toBe('')
    // Ollama says "stop"; the caller has tools to run.
    expect(message.finishReason).toBe('tool-calls')
    expect(message.rawFinishReason).toBe('stop')
    expect(message.usage).toEqual({ inputTokens: 218, outputTokens: 306, totalTokens: 524 })
  })

  it('ends with the provider error when an error line arrives mid-stream, keeping the text', async () => {
    const message = await collect(readFixtureText(midstreamError))
    expect(message.status).toBe('error')
    expect(message.error?.message).toBe('an error was encountered while running the model')
    // The doc example is /api/generate: its `response` field is the text.
    expect(messageText(message)).toBe(' Yes.Ican')
  })

  it.each([granite, thinking, twoTools, midstreamError])(
    'gives the same message however %s is chunked',
    async (path) => {
      const body = readFixtureText(path)
      const whole = await collect(body)
      for (const sizes of [
        [1, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
        Array(body.length).fill(1),
        [7, 300, 2],
      ]) {
        expect(await collect(body, sizes)).toEqual(whole)
      }
    },
  )
})

describe('Ollama edge cases', () => {
  const lines = readFixtureText(granite).split('\n').filter(Boolean)

  it('interrupts a stream that ends without the done line, keeping the partial text', async () => {
    const message = await collect(`${lines.slice(0, 5).join('\n')}\n`)
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('I am Granite')
    expect(message.error?.message).toMatch(/ended before its final "done": true line/)
  })

  it('interrupts a stream cut in the middle of a line', async () => {
    const body = `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 40)}`
    const message = await collect(body)
    // The half line at the very end is a cut, not a protocol error.
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('its last frame was cut off')
    expect(messageText(message)).toBe('I am Gr')
  })

  it('turns a malformed line into an error that says what arrived', async () => {
    const body = `${lines[0]}\n{"model":"granite3-dense:8b","message":{"content":\n${lines[1]}\n`
    const message = await collect(body)
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('Ollama')
    expect(messageText(message)).toBe('I')
  })

  it('ignores unknown fields and unknown lines', async () => {
    const body = [
      '{"status":"loading model"}',
      '{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hel","images":null,"future":{"a":1}},"done":false,"extra":true}',
      '',
      '{"model":"m","message":{"role":"assistant","content":"lo"},"done":false}',
      '{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","eval_count":2,"new_stat":9}',
      '',
    ].join('\n')
    const message = await collect(body)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Hello')
    expect(message.finishReason).toBe('length')
    expect(message.usage).toEqual({ outputTokens: 2 })
  })

  it('keeps text, tool calls and text in wire order as separate parts', async () => {
    const body = [
      '{"message":{"role":"assistant","content":"Let me check."},"done":false}',
      '{"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_abc","function":{"name":"weather","arguments":{"city":"Oslo"}}}]},"done":false}',
      '{"message":{"role":"assistant","content":"Done."},"done":false}',
      '{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}',
    ].join('\n')
    const message = await collect(body)
    expect(message.parts.map((part) => part.type)).toEqual(['text', 'tool-call', 'text'])
    // An id on the wire (newer Ollama) is kept.
    expect(toolCalls(message)[0]?.toolCallId).toBe('call_abc')
    expect(messageText(message)).toBe('Let me check.Done.')
    expect(message.finishReason).toBe('tool-calls')
  })

  it('maps done reasons', async () => {
    const end = (reason: string) =>
      collect(`{"message":{"role":"assistant","content":"x"},"done":true,"done_reason":"${reason}"}\n`)
    expect((await end('stop')).finishReason).toBe('stop')
    expect((await end('length')).finishReason).toBe('length')
    expect((await end('unload')).finishReason).toBe('other')
    const noReason = await collect('{"message":{"role":"assistant","content":"x"},"done":true}\n')
    expect(noReason.finishReason).toBe('stop')
  })

  it('ignores lines after the end', async () => {
    const body = `${lines.join('\n')}\n${lines[1]}\n{"error":"late"}\n`
    const message = await collect(body)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe(graniteText)
  })
})

describe('Ollama non-streaming bodies and errors', () => {
  it('decodes a stream: false body', () => {
    const body = {
      model: 'qwen3:14b',
      created_at: '2025-06-09T17:58:57.192416Z',
      message: {
        role: 'assistant',
        content: 'It is sunny.',
        thinking: 'Check the weather.',
        tool_calls: [{ function: { name: 'weather', arguments: { city: 'Detroit' } } }],
      },
      done_reason: 'stop',
      done: true,
      prompt_eval_count: 10,
      eval_count: 5,
    }
    const state = reduceChat(initialChatState, ollamaProtocol.decodeResponse!(body, { messageId: 'm1' }))
    const message = state.messages.m1!
    expect(message.status).toBe('complete')
    expect(messageReasoning(message)).toBe('Check the weather.')
    expect(messageText(message)).toBe('It is sunny.')
    expect(toolCalls(message).map(({ toolName, input }) => ({ toolName, input }))).toEqual([
      { toolName: 'weather', input: { city: 'Detroit' } },
    ])
    expect(message.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 })
  })

  it('decodes an error body given as a stream: false response', () => {
    const state = reduceChat(
      initialChatState,
      ollamaProtocol.decodeResponse!(
        { error: 'model "llama9" not found, try pulling it first' },
        { messageId: 'm1' },
      ),
    )
    expect(state.messages.m1?.status).toBe('error')
    expect(state.messages.m1?.error?.message).toBe('model "llama9" not found, try pulling it first')
  })

  it('reads HTTP error bodies', () => {
    expect(
      ollamaProtocol.decodeError!({ error: 'model "llama9" not found, try pulling it first' }, 404),
    ).toEqual({
      message: 'model "llama9" not found, try pulling it first',
      status: 404,
    })
    expect(ollamaProtocol.decodeError!('{"error":"unauthorized"}', 401)).toEqual({
      message: 'unauthorized',
      status: 401,
    })
    expect(ollamaProtocol.decodeError!('Bad Gateway', 502)).toEqual({ message: 'Bad Gateway', status: 502 })
    expect(ollamaProtocol.decodeError!({ detail: 'nope' }, 500)).toBeUndefined()
  })
})
