/**
 * Differential: every recorded OpenAI Responses stream (`openai-responses/`, and LM Studio's
 * Responses-compatible server in `openai-compatible/`; a file the recorder concatenated is split
 * at each `response.created`), served over real HTTP under several chunkings, read by the
 * official `openai` SDK (`responses.stream`, `finalResponse()`) and by Sluice.
 *
 * Mapping where the SDK models things differently:
 * - Output items: `message` items' `output_text` parts are Sluice's text (`refusal` parts its
 *   refusal), `reasoning` items' `summary` texts (and `reasoning_text` content, LM Studio) its
 *   reasoning, `function_call` items its tool calls by `call_id` with `arguments` parsed.
 * - Finish: the SDK has no finish reason, only `status` and `incomplete_details.reason`; Sluice's
 *   raw finish reason is compared with `incomplete_details.reason ?? status`.
 * - An `error` event: the SDK rejects with an `OpenAIError` carrying the event's message
 *   (`data.error ?? data`); Sluice ends `error` with that message.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureBody, listFixtures } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

const streams = [
  ...listFixtures('openai-responses'),
  ...listFixtures('openai-compatible').filter((path) => path.includes('responses-api')),
].flatMap((path) =>
  fixtureBody(path, { splitOnType: 'response.created' }).map(
    (body, index, all) => [all.length > 1 ? `${path} #${index + 1}` : path, body] as const,
  ),
)

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

async function readWithOpenAI(): Promise<Reading> {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  const stream = client.responses.stream({ model: 'gpt-4o', input: 'Hi' })
  let partialText = ''
  stream.on('response.output_text.delta', (event) => {
    partialText += event.delta
  })
  try {
    const response = await stream.finalResponse()
    const reading: Reading = { text: '', toolCalls: [] }
    let refusal = ''
    let reasoning = ''
    for (const item of response.output) {
      if (item.type === 'message') {
        for (const part of item.content) {
          if (part.type === 'output_text') reading.text += part.text
          else if (part.type === 'refusal') refusal += part.refusal
        }
      } else if (item.type === 'reasoning') {
        for (const summary of item.summary) reasoning += summary.text
        for (const content of item.content ?? []) reasoning += content.text
      } else if (item.type === 'function_call') {
        reading.toolCalls.push({
          id: item.call_id,
          name: item.name,
          input: JSON.parse(item.arguments || '{}'),
        })
      }
    }
    return defined({
      ...reading,
      refusal: refusal === '' ? undefined : refusal,
      reasoning: reasoning === '' ? undefined : reasoning,
      finishReason: response.incomplete_details?.reason ?? response.status,
      inputTokens: response.usage?.input_tokens,
      outputTokens: response.usage?.output_tokens,
    })
  } catch (error) {
    return { text: partialText, toolCalls: [], error: errorMessage(error) }
  }
}

describe('openai-responses fixtures: the openai SDK and Sluice read the same answer', () => {
  it('has streams to compare', () => {
    expect(streams.length).toBeGreaterThanOrEqual(9)
  })

  for (const [name, body] of streams) {
    it(name, async () => {
      for (const sizes of chunkings) {
        const where = `${name} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body, contentType: 'text/event-stream', sizes })
        const reference = await readWithOpenAI()
        const message = await readWithSluice(server, '/v1/responses', 'openai-responses')
        const reading = defined(readingOf(message))
        if (reference.error !== undefined) {
          expect(message.status, where).toBe('error')
          expect(reading.error, where).toBe(reference.error)
          expect(reading.text, where).toBe(reference.text)
          continue
        }
        expect(message.status, where).toBe('complete')
        expect(reading, where).toEqual(reference)
      }
    })
  }
})

describe('openai-responses fixtures cut anywhere: Sluice keeps the text the SDK had shown', () => {
  const cuts = [0.25, 0.5, 0.75, 0.95]
  for (const [name, body] of streams.filter(([, text]) => text.includes('output_text.delta'))) {
    it(name, async () => {
      const bytes = new TextEncoder().encode(body)
      for (const fraction of cuts) {
        const where = `${name} cut at ${Math.round(fraction * 100)}%`
        const cut = new TextDecoder().decode(bytes.subarray(0, Math.floor(bytes.length * fraction)))
        server.serve({ body: cut, contentType: 'text/event-stream', sizes: [61] })
        const shown = (await readWithOpenAI()).text
        const message = await readWithSluice(server, '/v1/responses', 'openai-responses')
        expect(readingOf(message).text, where).toBe(shown)
        expect(message.status, where).toBe('interrupted')
      }
    })
  }
})
