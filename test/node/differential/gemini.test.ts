/**
 * Differential: every recorded Gemini stream (`gemini-sse/`), served over real HTTP under
 * several chunkings, read by the official `@google/genai` SDK (`models.generateContentStream`)
 * and by Sluice: both must read the same answer.
 *
 * Mapping where the SDK models things differently:
 * - Parts: text parts without `thought` are Sluice's text, `thought: true` parts its reasoning,
 *   `functionCall` parts its tool calls (`args` is the input).
 * - Tool call ids: the Gemini API sends none (Vertex sometimes does); Sluice then makes one, so
 *   ids are compared only where the wire has them.
 * - Vertex streamed arguments (`partialArgs`, `willContinue`): the SDK hands the pieces over as
 *   they came and assembles nothing, so for that stream the reference input is the pieces'
 *   values set at their `jsonPath` (one level, `$.key`: all the recording uses).
 * - Finish: the last `finishReason`; usage: the last `usageMetadata` snapshot
 *   (`promptTokenCount` in, `candidatesTokenCount` out; Sluice keeps `thoughtsTokenCount` apart
 *   as `reasoningTokens`, compared too).
 */
import { type GenerateContentResponse, GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureText, listFixtures } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

const fixtures = listFixtures('gemini-sse')

interface PartialArg {
  jsonPath?: string
  stringValue?: string
  numberValue?: number
  boolValue?: boolean
}

/** The tool calls of the chunks, `partialArgs` pieces joined at their one-level `$.key` path. */
function toolCallsOf(chunks: readonly GenerateContentResponse[]): Reading['toolCalls'] {
  const calls: Array<Reading['toolCalls'][number] & { streamed: boolean }> = []
  for (const chunk of chunks) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      const call = part.functionCall as
        | (NonNullable<typeof part.functionCall> & { partialArgs?: PartialArg[]; willContinue?: boolean })
        | undefined
      if (call === undefined) continue
      const open = calls.at(-1)
      if (call.name === undefined && open?.streamed === true) {
        // A continuation (or the empty terminator) of the streamed call.
        const input = open.input as Record<string, unknown>
        for (const piece of call.partialArgs ?? []) {
          const key = piece.jsonPath?.replace(/^\$\./, '') ?? ''
          const value = piece.stringValue ?? piece.numberValue ?? piece.boolValue
          if (typeof value === 'string') input[key] = `${(input[key] as string | undefined) ?? ''}${value}`
          else if (value !== undefined) input[key] = value
        }
        if (call.willContinue !== true && (call.partialArgs ?? []).length === 0) open.streamed = false
        continue
      }
      calls.push({
        id: call.id ?? '',
        name: call.name ?? '',
        input: call.args ?? {},
        streamed: call.willContinue === true,
      })
    }
  }
  return calls.map(({ streamed: _, ...call }) => call)
}

/** Why the SDK rejected the last stream it read, if it did. */
let rejected: string | undefined

async function readWithGenAI(): Promise<Reading & { thoughtsTokens?: number | undefined }> {
  rejected = undefined
  const client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: server.url } })
  const chunks: GenerateContentResponse[] = []
  try {
    for await (const chunk of await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Hi',
    }))
      chunks.push(chunk)
  } catch (error) {
    // A body cut mid-event: the SDK throws there; what it yielded before is what it showed.
    rejected = error instanceof Error ? error.message : String(error)
  }
  const parts = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? [])
  const text = parts
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text)
    .join('')
  const reasoning = parts
    .filter((part) => part.thought === true)
    .map((part) => part.text ?? '')
    .join('')
  const usage = chunks.findLast((chunk) => chunk.usageMetadata !== undefined)?.usageMetadata
  return defined<{ thoughtsTokens?: number | undefined }>({
    text,
    reasoning: reasoning === '' ? undefined : reasoning,
    toolCalls: toolCallsOf(chunks),
    finishReason: chunks.findLast((chunk) => chunk.candidates?.[0]?.finishReason)?.candidates?.[0]
      ?.finishReason,
    inputTokens: usage?.promptTokenCount,
    outputTokens: usage?.candidatesTokenCount,
    thoughtsTokens: usage?.thoughtsTokenCount,
  })
}

describe('gemini fixtures: @google/genai and Sluice read the same answer', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6)
  })

  for (const path of fixtures) {
    it(path, async () => {
      for (const sizes of chunkings) {
        const where = `${path} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body: fixtureText(path), contentType: 'text/event-stream', sizes })
        const { thoughtsTokens, ...reference } = await readWithGenAI()
        expect(rejected, where).toBeUndefined()
        const message = await readWithSluice(
          server,
          '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
          'gemini',
        )
        expect(server.requests.at(-2), where).toContain(':streamGenerateContent?alt=sse')
        const reading = defined(readingOf(message))
        // Ids only where the wire has them (see the mapping above).
        reading.toolCalls = reading.toolCalls.map((call, index) =>
          reference.toolCalls[index]?.id === '' ? { ...call, id: '' } : call,
        )
        expect(message.status, where).toBe('complete')
        expect(reading, where).toEqual(reference)
        expect(message.usage?.reasoningTokens, where).toBe(thoughtsTokens)
      }
    })
  }
})

describe('gemini fixtures cut anywhere: Sluice keeps the text the SDK had shown', () => {
  const cuts = [0.25, 0.5, 0.75, 0.95]
  for (const path of fixtures) {
    it(path, async () => {
      const bytes = new TextEncoder().encode(fixtureText(path))
      let compared = 0
      for (const fraction of cuts) {
        const where = `${path} cut at ${Math.round(fraction * 100)}%`
        const cut = new TextDecoder().decode(bytes.subarray(0, Math.floor(bytes.length * fraction)))
        server.serve({ body: cut, contentType: 'text/event-stream', sizes: [61] })
        const shown = (await readWithGenAI()).text
        const message = await readWithSluice(
          server,
          '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
          'gemini',
        )
        // The SDK throws at an event cut mid-JSON, after yielding what came before: Sluice keeps that.
        if (rejected !== undefined) compared += 1
        expect(readingOf(message).text, where).toBe(shown)
        expect(['interrupted', 'complete'], where).toContain(message.status)
      }
      expect(compared, `${path}: cuts inside an event, where the SDK throws`).toBeGreaterThan(0)
    })
  }
})
