/**
 * Differential: every recorded AI SDK UI message stream (`ai-sdk-ui-message-stream/`; the
 * LangChain adapter's `.json` snapshot is an array of chunks, served as one SSE event each),
 * served over real HTTP under several chunkings, read by the AI SDK's own reader
 * (`parseJsonEventStream` with `uiMessageChunkSchema`, then `readUIMessageStream`, as
 * `DefaultChatTransport` and `useChat` read it) and by Sluice: both must read the same answer.
 *
 * Mapping where the SDK models things differently:
 * - Parts: `text` parts are Sluice's text, `reasoning` parts its reasoning, `tool-<name>` and
 *   `dynamic-tool` parts its tool calls (`toolCallId`, name, `input`, `output`); tool states are
 *   compared too, with the SDK's `input-available` / `output-available` / `output-error` being
 *   Sluice's states of the same name.
 * - Finish: the UI message keeps no finish reason; the reference is the `finish` chunk's
 *   `finishReason` as the SDK's reader parsed it, compared with Sluice's `finishReason` (the AI
 *   SDK's values are Sluice's own, so there is no raw one). Usage is not part of the UI stream.
 * - Chunk types this SDK version does not know: the reader refuses them ("Type validation
 *   failed"), Sluice skips them as the wire rules say for unknown types. The Anthropic recording
 *   has `custom` chunks (`anthropic.message_start`, from the provider); the reference skips
 *   exactly those, and the test asserts there were some.
 * - An `error` chunk: the reader calls `onError` with an `Error` whose message is `errorText`;
 *   Sluice ends `error` with that message, keeping the parts before it.
 */
import {
  parseJsonEventStream,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
  uiMessageChunkSchema,
} from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageToolCalls } from '../../../packages/core/src/message.ts'
import { listFixtures, readFixtureText } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

const fixtures = listFixtures('ai-sdk-ui-message-stream')

/** The bytes of a fixture: the `.sse` as recorded, the `.json` chunk array as SSE events. */
function bodyOf(path: string): string {
  const text = readFixtureText(path)
  if (!path.endsWith('.json')) return text
  return `${(JSON.parse(text) as unknown[]).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`
}

interface SdkReading extends Reading {
  states: string[]
  /** `custom` chunks the reader's schema refused and the reference skipped. */
  skippedCustom: number
}

async function readWithAiSdk(): Promise<SdkReading> {
  const response = await fetch(`${server.url}/api/chat`, { method: 'POST', body: '{}' })
  let finishReason: string | undefined
  let error: string | undefined
  let skippedCustom = 0
  const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream<{ success: boolean; value?: unknown; error?: unknown }, UIMessageChunk>({
      transform(result, controller) {
        if (!result.success) {
          const raw = (result as { rawValue?: { type?: unknown } }).rawValue
          if (raw?.type !== 'custom') throw result.error
          skippedCustom += 1
          return
        }
        const chunk = result.value as UIMessageChunk
        if (chunk.type === 'finish' && 'finishReason' in chunk && typeof chunk.finishReason === 'string')
          finishReason = chunk.finishReason
        controller.enqueue(chunk)
      },
    }),
  )
  let last: UIMessage | undefined
  for await (const message of readUIMessageStream({
    stream: chunks,
    onError: (cause) => {
      error = cause instanceof Error ? cause.message : String(cause)
    },
  }))
    last = message
  const reading: SdkReading = { text: '', toolCalls: [], states: [], skippedCustom }
  let reasoning = ''
  for (const part of last?.parts ?? []) {
    if (part.type === 'text') reading.text += part.text
    else if (part.type === 'reasoning') reasoning += part.text
    else if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
      const tool = part as {
        type: string
        toolCallId: string
        toolName?: string
        input?: unknown
        output?: unknown
        state: string
      }
      const call: Reading['toolCalls'][number] = {
        id: tool.toolCallId,
        name: tool.toolName ?? tool.type.slice('tool-'.length),
        input: tool.input,
      }
      if (tool.output !== undefined) call.output = tool.output
      reading.toolCalls.push(call)
      reading.states.push(tool.state)
    }
  }
  if (reasoning !== '') reading.reasoning = reasoning
  if (finishReason !== undefined) reading.finishReason = finishReason
  if (error !== undefined) reading.error = error
  return reading
}

describe('ai-sdk UI message stream fixtures: the AI SDK reader and Sluice read the same answer', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7)
  })

  for (const path of fixtures) {
    it(path, async () => {
      for (const sizes of chunkings) {
        const where = `${path} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body: bodyOf(path), contentType: 'text/event-stream', sizes })
        const { states, skippedCustom, ...reference } = await readWithAiSdk()
        expect(skippedCustom > 0, where).toBe(path.includes('generated-from-anthropic'))
        const message = await readWithSluice(server, '/api/chat', 'ai-sdk')
        const {
          inputTokens: _,
          outputTokens: __,
          ...reading
        } = defined({
          ...readingOf(message),
          // An error without a finish chunk: Sluice's finish reason `error` is only its status.
          finishReason:
            reference.finishReason === undefined && message.status === 'error'
              ? undefined
              : message.finishReason,
        })
        expect(message.status, `${where}: ${reference.error}`).toBe(
          reference.error === undefined ? 'complete' : 'error',
        )
        expect(reading, where).toEqual(reference)
        expect(
          messageToolCalls(message).map((call) => call.state),
          where,
        ).toEqual(states)
      }
    })
  }
})
