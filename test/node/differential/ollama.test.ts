/**
 * Differential: every recorded Ollama `/api/chat` stream (`ollama-chat/`, NDJSON), served over
 * real HTTP under several chunkings, read by the official `ollama` client (`chat` with
 * `stream: true`) and by Sluice: both must read the same answer.
 *
 * Mapping where the client models things differently:
 * - The client yields each line as it came; the reference joins `message.content` (text),
 *   `message.thinking` (reasoning) and `message.tool_calls` (tool calls, `arguments` the input).
 * - Tool call ids: Ollama sends none; Sluice makes one, so ids are not compared.
 * - Finish and usage: the `done: true` line's `done_reason`, `prompt_eval_count` (input) and
 *   `eval_count` (output).
 * - `docs-generate-*` is an `/api/generate` stream (`response` instead of `message`): the client
 *   reads it with `generate`, and its `response` pieces are the text.
 * - A mid-stream `{"error": …}` line: the client throws an `Error` with that message; Sluice
 *   ends `error` with the same message, keeping the text before it.
 */
import { Ollama } from 'ollama'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureText, listFixtures } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

const fixtures = listFixtures('ollama-chat')

async function readGenerateWithOllama(): Promise<Reading> {
  const reading: Reading = { text: '', toolCalls: [] }
  try {
    const stream = await new Ollama({ host: server.url }).generate({
      model: 'gemma',
      prompt: 'Hi',
      stream: true,
    })
    for await (const part of stream) reading.text += part.response
  } catch (error) {
    reading.error = error instanceof Error ? error.message : String(error)
  }
  return reading
}

async function readWithOllama(): Promise<Reading> {
  const client = new Ollama({ host: server.url })
  const reading: Reading = { text: '', toolCalls: [] }
  let reasoning = ''
  try {
    const stream = await client.chat({
      model: 'qwen3',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    })
    for await (const part of stream) {
      reading.text += part.message.content
      reasoning += part.message.thinking ?? ''
      for (const call of part.message.tool_calls ?? [])
        reading.toolCalls.push({ id: '', name: call.function.name, input: call.function.arguments })
      if (part.done) {
        reading.finishReason = part.done_reason
        reading.inputTokens = part.prompt_eval_count
        reading.outputTokens = part.eval_count
      }
    }
  } catch (error) {
    reading.error = error instanceof Error ? error.message : String(error)
  }
  if (reasoning !== '') reading.reasoning = reasoning
  return defined(reading)
}

describe('ollama fixtures: the ollama client and Sluice read the same answer', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4)
  })

  for (const path of fixtures) {
    it(path, async () => {
      for (const sizes of chunkings) {
        const where = `${path} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body: fixtureText(path), contentType: 'application/x-ndjson', sizes })
        const generate = path.includes('docs-generate-')
        const reference = generate ? await readGenerateWithOllama() : await readWithOllama()
        const message = await readWithSluice(server, generate ? '/api/generate' : '/api/chat', 'ollama')
        const reading = defined(readingOf(message))
        reading.toolCalls = reading.toolCalls.map((call) => ({ ...call, id: '' }))
        expect(message.status, where).toBe(reference.error === undefined ? 'complete' : 'error')
        expect(reading, where).toEqual(reference)
      }
    })
  }
})
