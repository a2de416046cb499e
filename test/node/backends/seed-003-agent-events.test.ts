/**
 * Seed 003's reference backend emits exactly aof-runtime's `StreamEvent` variants with their
 * documented fields, in all three serde taggings, and `Error { message: "Execution cancelled by
 * user" }` when the generator is cancelled over a WebSocket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  cancelledMessage,
  maximumIterations,
  seed003ToolCalls,
  startSeed003Server,
} from '../../../backends/seed-003-agent-events.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { RunningBackend } from '../../../backends/shared/reference-server.ts'
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
  backend = await startSeed003Server({ behaviour: { delay: 2 } })
})
afterAll(() => backend.close())
beforeEach(() => backend.log.clear())

/** The fields of each variant, as the document's `StreamEvent` enum lists them. */
const documentedFields: Record<string, string[]> = {
  TextDelta: ['delta', 'timestamp'],
  ToolCallStart: ['arguments', 'tool_id', 'tool_name'],
  ToolCallComplete: ['error', 'execution_time_ms', 'success', 'tool_id', 'tool_name'],
  Thinking: ['content'],
  IterationStart: ['iteration', 'max_iterations'],
  IterationComplete: ['iteration', 'stop_reason'],
  Done: ['content', 'execution_time_ms', 'input_tokens', 'output_tokens', 'total_iterations'],
  Error: ['message'],
}

type Event = { variant: string; fields: Record<string, unknown> }

/** Read an internally tagged event. */
function internal(frame: unknown): Event {
  const { type, ...fields } = frame as { type: string }
  return { variant: type, fields }
}

function checkDocumented(events: Event[]): void {
  for (const event of events) {
    expect(Object.keys(documentedFields)).toContain(event.variant)
    expect(keys(event.fields)).toEqual(documentedFields[event.variant])
  }
}

describe('seed 003', () => {
  test('text: IterationStart, TextDelta per token, IterationComplete, Done with the whole content and tokens', async () => {
    const events = (
      await sseJson(await post(`${backend.httpUrl}/stream?words=5`, userMessage('Say something nice')))
    ).map(internal)
    checkDocumented(events)
    expect(events.map((event) => event.variant)).toEqual([
      'IterationStart',
      ...Array(5).fill('TextDelta'),
      'IterationComplete',
      'Done',
    ])
    const text = answerText({ ...defaultBehaviour, words: 5 })
    expect(
      events
        .filter((event) => event.variant === 'TextDelta')
        .map((event) => event.fields.delta)
        .join(''),
    ).toBe(text)
    for (const delta of events.filter((event) => event.variant === 'TextDelta'))
      expect(typeof delta.fields.timestamp).toBe('number')
    const done = events.at(-1)!.fields
    expect(done).toMatchObject({ content: text, total_iterations: 1, input_tokens: 3, output_tokens: 5 })
    expect(typeof done.execution_time_ms).toBe('number')
    expect(events[0]!.fields).toEqual({ iteration: 1, max_iterations: maximumIterations })
  })

  test('tools: Thinking, ToolCallStart with arguments, ToolCallComplete success and failure, two iterations', async () => {
    const events = (
      await sseJson(await post(`${backend.httpUrl}/stream?scenario=tools&words=3`, userMessage('Weather?')))
    ).map(internal)
    checkDocumented(events)
    expect(events.slice(0, 7).map((event) => event.variant)).toEqual([
      'IterationStart',
      'Thinking',
      'ToolCallStart',
      'ToolCallComplete',
      'ToolCallStart',
      'ToolCallComplete',
      'IterationComplete',
    ])
    const [weather, search] = seed003ToolCalls
    expect(events[2]!.fields).toEqual({
      tool_name: weather.tool_name,
      tool_id: weather.tool_id,
      arguments: weather.arguments,
    })
    expect(events[3]!.fields).toMatchObject({ tool_id: weather.tool_id, success: true, error: null })
    expect(events[5]!.fields).toMatchObject({ tool_id: search.tool_id, success: false, error: search.error })
    expect(events[6]!.fields).toEqual({ iteration: 1, stop_reason: 'tool_use' })
    expect(events.at(-1)!.fields).toMatchObject({
      total_iterations: 2,
      content: answerText({ ...defaultBehaviour, words: 3 }),
    })
  })

  test('externally tagged and snake_case variants carry the same fields', async () => {
    const external = (await ndjson(
      await post(`${backend.httpUrl}/stream?words=2&tagging=external&framing=ndjson`, userMessage('Hi')),
    )) as Record<string, Record<string, unknown>>[]
    for (const frame of external) expect(Object.keys(frame)).toHaveLength(1)
    checkDocumented(
      external.map((frame) => ({ variant: Object.keys(frame)[0]!, fields: Object.values(frame)[0]! })),
    )
    const snake = (
      await sseJson(await post(`${backend.httpUrl}/stream?words=2&tagging=snake`, userMessage('Hi')))
    ).map(internal)
    expect(snake.map((event) => event.variant)).toEqual([
      'iteration_start',
      'text_delta',
      'text_delta',
      'iteration_complete',
      'done',
    ])
  })

  test('fail_after ends with Error { message }', async () => {
    const events = (
      await sseJson(await post(`${backend.httpUrl}/stream?fail_after=3`, userMessage('Hi')))
    ).map(internal)
    expect(events).toHaveLength(4)
    expect(events[3]!.variant).toBe('Error')
    expect(keys(events[3]!.fields)).toEqual(['message'])
  })

  test('a cancel on the socket: Error "Execution cancelled by user", and the next answer on the same socket is whole', async () => {
    const client = await openSocket(`${backend.websocketUrl}/ws?delay=40&words=100`)
    client.send(userMessage('long'))
    await client.waitFor((frame) => internal(frame).variant === 'TextDelta')
    client.send({ type: 'cancel' })
    const error = await client.waitFor((frame) => internal(frame).variant === 'Error')
    expect(error).toEqual({ type: 'Error', message: cancelledMessage })
    expect(eventsOfRequest(backend.log.entries())).toContain('generator-cancelled')
    expect(eventsOfRequest(backend.log.entries())).not.toContain('chunk-after-stop')
    const before = client.frames.length
    client.send({ ...userMessage('short'), sluice: { delay: 1, words: 3 } })
    await client.waitFor((frame) => internal(frame).variant === 'Done')
    expect(client.frames.slice(before).map((frame) => internal(frame).variant)).toEqual([
      'IterationStart',
      'TextDelta',
      'TextDelta',
      'TextDelta',
      'IterationComplete',
      'Done',
    ])
    client.close()
  })

  test('closing the connection cancels the generator (logged), over HTTP and WebSocket', async () => {
    const client = await openSocket(`${backend.websocketUrl}/ws?delay=40&words=100`)
    client.send(userMessage('long'))
    await client.waitFor((frame) => internal(frame).variant === 'TextDelta')
    client.close()
    await eventually(() => expect(eventsOfRequest(backend.log.entries())).toContain('generator-cancelled'))
    const cancel = backend.log.entries().find((entry) => entry.event === 'cancel-received')
    expect(cancel?.how).toBe('connection-closed')
  })
})
