/**
 * Differential for AG-UI. There is no recorded AG-UI stream in `test/fixtures`, so the streams
 * are runs written by the official encoder (`@ag-ui/encoder`'s `EventEncoder`, the bytes an
 * AG-UI server sends), served over real HTTP under several chunkings, read by the official
 * client (`@ag-ui/client`'s `HttpAgent.runAgent`, which verifies and applies the events) and by
 * Sluice: both must read the same answer.
 *
 * Mapping where the client models things differently:
 * - The client keeps a list of messages: the assistant messages' `content` is Sluice's text,
 *   the `reasoning` messages' its reasoning, the assistant `toolCalls` its tool calls
 *   (`function.arguments` parsed is the input) and a `tool` message's `content` the output of
 *   its call.
 * - `agent.state` (snapshots and JSON Patch deltas applied) is Sluice's `state` data part.
 * - `RUN_ERROR`: the client reports it to `onRunErrorEvent`; Sluice ends `error` with its message.
 * - A second run in one stream (`RUN_FINISHED`, then `RUN_STARTED`): the client applies both
 *   runs' messages; Sluice continues its one message with the second run's parts.
 * - AG-UI has no finish reason or per-message usage in the client: not compared.
 */
import { HttpAgent } from '@ag-ui/client'
import { EventEncoder } from '@ag-ui/encoder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

const started = { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-1' }
const finished = { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-1' }

/** Runs in the shapes AG-UI agents (LangGraph, CrewAI, Mastra adapters) send. */
const runs: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  'text, reasoning, a backend tool with its result, more text': [
    started,
    { type: 'REASONING_START', messageId: 'r-1' },
    { type: 'REASONING_MESSAGE_START', messageId: 'r-1', role: 'reasoning' },
    { type: 'REASONING_MESSAGE_CONTENT', messageId: 'r-1', delta: 'The user wants the weather.' },
    { type: 'REASONING_MESSAGE_END', messageId: 'r-1' },
    { type: 'REASONING_END', messageId: 'r-1' },
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-1', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'Let me check ' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'the weather in Zürich 🌤️.' },
    { type: 'TEXT_MESSAGE_END', messageId: 'msg-1' },
    { type: 'TOOL_CALL_START', toolCallId: 'call-1', toolCallName: 'get_weather', parentMessageId: 'msg-1' },
    { type: 'TOOL_CALL_ARGS', toolCallId: 'call-1', delta: '{"city":' },
    { type: 'TOOL_CALL_ARGS', toolCallId: 'call-1', delta: '"Zürich","days":[1,2]}' },
    { type: 'TOOL_CALL_END', toolCallId: 'call-1' },
    {
      type: 'TOOL_CALL_RESULT',
      messageId: 'tool-1',
      toolCallId: 'call-1',
      content: '{"temperature":21}',
      role: 'tool',
    },
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-2', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-2', delta: ' It is 21 °C.' },
    { type: 'TEXT_MESSAGE_END', messageId: 'msg-2' },
    finished,
  ],
  'a frontend tool left for the client, in chunk shorthands': [
    started,
    { type: 'TEXT_MESSAGE_CHUNK', messageId: 'msg-1', role: 'assistant', delta: 'Opening ' },
    { type: 'TEXT_MESSAGE_CHUNK', messageId: 'msg-1', delta: 'the map.' },
    {
      type: 'TOOL_CALL_CHUNK',
      toolCallId: 'call-9',
      toolCallName: 'open_map',
      parentMessageId: 'msg-1',
      delta: '{"zoom":',
    },
    { type: 'TOOL_CALL_CHUNK', toolCallId: 'call-9', delta: '12}' },
    finished,
  ],
  'agent state from a snapshot and deltas': [
    started,
    { type: 'STATE_SNAPSHOT', snapshot: { steps: ['search'], done: false } },
    { type: 'STATE_DELTA', delta: [{ op: 'add', path: '/steps/-', value: 'answer' }] },
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-1', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'Done.' },
    { type: 'TEXT_MESSAGE_END', messageId: 'msg-1' },
    { type: 'STATE_DELTA', delta: [{ op: 'replace', path: '/done', value: true }] },
    finished,
  ],
  'a second run in the same stream': [
    started,
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-1', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'First run.' },
    { type: 'TEXT_MESSAGE_END', messageId: 'msg-1' },
    finished,
    { type: 'RUN_STARTED', threadId: 'thread-1', runId: 'run-2' },
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-2', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-2', delta: ' Second run.' },
    { type: 'TEXT_MESSAGE_END', messageId: 'msg-2' },
    { type: 'RUN_FINISHED', threadId: 'thread-1', runId: 'run-2' },
  ],
  'RUN_ERROR after some text': [
    started,
    { type: 'TEXT_MESSAGE_START', messageId: 'msg-1', role: 'assistant' },
    { type: 'TEXT_MESSAGE_CONTENT', messageId: 'msg-1', delta: 'Partial answer' },
    { type: 'RUN_ERROR', message: 'Model overloaded', code: 'overloaded' },
  ],
}

function encode(events: readonly Record<string, unknown>[]): string {
  const encoder = new EventEncoder()
  return events.map((event) => encoder.encodeSSE(event as Parameters<EventEncoder['encodeSSE']>[0])).join('')
}

async function readWithAgUi(): Promise<Reading & { state: unknown }> {
  const agent = new HttpAgent({ url: `${server.url}/agent`, threadId: 'thread-1' })
  let error: string | undefined
  try {
    await agent.runAgent(
      { runId: 'run-1' },
      {
        onRunErrorEvent: ({ event }) => {
          error = event.message
        },
      },
    )
  } catch (cause) {
    error ??= cause instanceof Error ? cause.message : String(cause)
  }
  const reading: Reading = { text: '', toolCalls: [] }
  let reasoning = ''
  for (const message of agent.messages) {
    if (message.role === 'assistant') {
      if (typeof message.content === 'string') reading.text += message.content
      for (const call of message.toolCalls ?? [])
        reading.toolCalls.push({
          id: call.id,
          name: call.function.name,
          input: JSON.parse(call.function.arguments || '{}'),
        })
    } else if (message.role === 'reasoning') reasoning += message.content
    else if (message.role === 'tool') {
      const call = reading.toolCalls.find((candidate) => candidate.id === message.toolCallId)
      if (call !== undefined) call.output = message.content
    }
  }
  if (reasoning !== '') reading.reasoning = reasoning
  if (error !== undefined) reading.error = error
  return { ...reading, state: agent.state }
}

describe('ag-ui runs written by @ag-ui/encoder: @ag-ui/client and Sluice read the same answer', () => {
  for (const [name, events] of Object.entries(runs)) {
    it(name, async () => {
      for (const sizes of chunkings) {
        const where = `${name} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body: encode(events), contentType: 'text/event-stream', sizes })
        const { state, ...reference } = await readWithAgUi()
        const message = await readWithSluice(server, '/agent', 'ag-ui')
        const {
          finishReason: _,
          inputTokens: __,
          outputTokens: ___,
          ...reading
        } = defined(readingOf(message))
        // The client read something: the comparison below is not of two empty answers.
        expect(reference.text, where).not.toBe('')
        expect(message.status, `${where}: ${message.error?.message ?? 'no error'}`).toBe(
          reference.error === undefined ? 'complete' : 'error',
        )
        expect(reading, where).toEqual(reference)
        const statePart = message.parts.find((part) => part.type === 'data' && part.name === 'state')
        expect(statePart?.type === 'data' ? statePart.data : {}, where).toEqual(state)
      }
    })
  }
})
