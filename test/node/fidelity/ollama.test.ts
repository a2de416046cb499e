/**
 * Fidelity of `ollama.chat(s)`: the official `ollama` SDK, at its default host, reads the mock as
 * it reads Ollama's `/api/chat` NDJSON (issue 5).
 */

import { ollama, scenario } from '@sluice/msw'
import { type ChatResponse, Ollama } from 'ollama'
import { describe, expect, it, vi } from 'vitest'
import { startMockServer } from './mock-server.ts'
import { rejectionOf } from './rejection-of.ts'
import {
  answerText,
  midstreamMessage,
  prompt,
  reasoningText,
  timeCall,
  usage,
  weatherCall,
  weatherSchema,
} from './scenario-values.ts'

const server = startMockServer()

const model = 'qwen3:14b'
const messages = [{ role: 'user', content: prompt }]

/** Stream a scenario through `chat({ stream: true })`, collecting every part. */
async function streamChat(options: { think?: boolean } = {}): Promise<ChatResponse[]> {
  const parts: ChatResponse[] = []
  const stream = await new Ollama().chat({ model, messages, stream: true, ...options })
  for await (const part of stream) parts.push(part)
  return parts
}

function joined(parts: readonly ChatResponse[], field: 'content' | 'thinking'): string {
  return parts.map((part) => part.message[field] ?? '').join('')
}

describe('ollama.chat with the ollama SDK', () => {
  it('streams the text, ending with a done part', async () => {
    server.use(ollama.chat(scenario().text(answerText)))
    const parts = await streamChat()
    expect(parts.length).toBeGreaterThan(2)
    expect(joined(parts, 'content')).toBe(answerText)
    for (const part of parts) expect(part.message.role).toBe('assistant')
    const last = parts.at(-1)
    expect(last?.done).toBe(true)
    expect(last?.done_reason).toBe('stop')
    expect(parts.slice(0, -1).every((part) => part.done === false)).toBe(true)
  })

  it('streams the text when the body is cut into small chunks across lines and characters', async () => {
    server.use(ollama.chat(scenario().text(answerText).chunkSizes(1, 7).seed(9)))
    const parts = await streamChat()
    expect(joined(parts, 'content')).toBe(answerText)
  })

  it('streams thinking then text in message.thinking and message.content', async () => {
    server.use(ollama.chat(scenario().reasoning(reasoningText).text(answerText)))
    const parts = await streamChat({ think: true })
    expect(joined(parts, 'thinking')).toBe(reasoningText)
    expect(joined(parts, 'content')).toBe(answerText)
    // Thinking comes first: no content before the last thinking part.
    const lastThinking = parts.findLastIndex((part) => (part.message.thinking ?? '') !== '')
    const firstContent = parts.findIndex((part) => part.message.content !== '')
    expect(lastThinking).toBeLessThan(firstContent)
  })

  it('streams two tool calls with their arguments as objects', async () => {
    server.use(
      ollama.chat(
        scenario()
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .toolCall(timeCall.name, timeCall.input, { id: timeCall.id }),
      ),
    )
    const parts: ChatResponse[] = []
    const stream = await new Ollama().chat({
      model,
      messages,
      stream: true,
      tools: [
        { type: 'function', function: { name: weatherCall.name, parameters: weatherSchema as never } },
        { type: 'function', function: { name: timeCall.name } },
      ],
    })
    for await (const part of stream) parts.push(part)
    const calls = parts.flatMap((part) => part.message.tool_calls ?? [])
    expect(calls.map((call) => call.function.name)).toEqual([weatherCall.name, timeCall.name])
    expect(calls[0]?.function.arguments).toEqual(weatherCall.input)
    expect(calls[1]?.function.arguments).toEqual(timeCall.input)
    expect(parts.at(-1)?.done).toBe(true)
  })

  it('reports the usage as prompt_eval_count and eval_count on the done part', async () => {
    server.use(ollama.chat(scenario().text(answerText).usage(usage)))
    const parts = await streamChat()
    const last = parts.at(-1)
    expect(last?.done).toBe(true)
    expect(last?.prompt_eval_count).toBe(usage.inputTokens)
    expect(last?.eval_count).toBe(usage.outputTokens)
  })

  it('keeps the done reason "length" when the scenario says so', async () => {
    server.use(ollama.chat(scenario().text(answerText).finish('length')))
    const parts = await streamChat()
    expect(parts.at(-1)?.done_reason).toBe('length')
  })

  it('answers a request with stream: false with one JSON object', async () => {
    server.use(
      ollama.chat(
        scenario()
          .reasoning(reasoningText)
          .text(answerText)
          .toolCall(weatherCall.name, weatherCall.input, { id: weatherCall.id })
          .usage(usage),
      ),
    )
    const response = await new Ollama().chat({ model, messages, stream: false, think: true })
    expect(response.done).toBe(true)
    expect(response.message.role).toBe('assistant')
    expect(response.message.content).toBe(answerText)
    expect(response.message.thinking).toBe(reasoningText)
    expect(response.message.tool_calls?.map((call) => call.function)).toEqual([
      { name: weatherCall.name, arguments: weatherCall.input },
    ])
    expect(response.prompt_eval_count).toBe(usage.inputTokens)
    expect(response.eval_count).toBe(usage.outputTokens)
  })

  describe('HTTP errors become the SDK ResponseError', () => {
    it.each([401, 429, 500])('HTTP %i with the default body', async (status) => {
      server.use(ollama.chat(scenario().text(answerText).httpError(status)))
      const error = await rejectionOf(streamChat())
      // `ResponseError` is not exported by the package; it is recognized by name and status_code.
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).name).toBe('ResponseError')
      expect((error as { status_code?: number }).status_code).toBe(status)
      // Ollama's error body is {"error":"…"}: the SDK uses that string as the message, not its
      // fallback "Error <status>: <statusText>".
      expect((error as Error).message).not.toMatch(/^Error \d{3}:/)
      expect((error as Error).message.length).toBeGreaterThan(0)
    })

    it('HTTP 404 with a given body keeps the provider message', async () => {
      const providerMessage = `model "${model}" not found, try pulling it first`
      server.use(ollama.chat(scenario().httpError(404, { error: providerMessage })))
      const error = await rejectionOf(streamChat())
      expect((error as Error).name).toBe('ResponseError')
      expect((error as { status_code?: number }).status_code).toBe(404)
      expect((error as Error).message).toBe(providerMessage)
    })
  })

  describe('faults', () => {
    it('a mid-stream {"error"} line makes the SDK throw the provider message', async () => {
      server.use(ollama.chat(scenario().text(answerText).errorMidstream(midstreamMessage)))
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toBe(midstreamMessage)
    })

    it('a dropped connection makes the SDK raise', async () => {
      server.use(ollama.chat(scenario().text(answerText).disconnectAfter(3)))
      const error = await rejectionOf(streamChat())
      expect(error).toBeInstanceOf(Error)
    })

    it('a body that ends before the done line makes the SDK raise', async () => {
      server.use(ollama.chat(scenario().text(answerText).disconnectAfter(3, { mode: 'close' })))
      const error = await rejectionOf(streamChat())
      expect((error as Error).message).toBe('Did not receive done or success response in stream.')
    })

    it('a malformed line is skipped with a warning, as the SDK does with real Ollama', async () => {
      // The ollama SDK does not raise on a line that is not JSON: it logs "invalid json" and goes on.
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      try {
        server.use(ollama.chat(scenario().text(answerText).malformedFrame({ afterEvents: 2 })))
        const parts = await streamChat()
        expect(warn).toHaveBeenCalledWith('invalid json: ', expect.any(String))
        expect(joined(parts, 'content')).toBe(answerText)
        expect(parts.at(-1)?.done).toBe(true)
      } finally {
        warn.mockRestore()
      }
    })

    it('a stall keeps the SDK waiting until the caller aborts', async () => {
      server.use(ollama.chat(scenario().text(answerText).stall({ afterEvents: 3 })))
      const client = new Ollama()
      const stream = await client.chat({ model, messages, stream: true })
      let received = ''
      const reading = (async () => {
        for await (const part of stream) {
          received += part.message.content
          setTimeout(() => stream.abort(), 50)
        }
      })()
      const error = await rejectionOf(reading)
      expect((error as Error).name).toBe('AbortError')
      expect(received.length).toBeGreaterThan(0)
      expect(answerText.startsWith(received)).toBe(true)
    })
  })
})
