import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { readFixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { FinishReason, Message } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { ollamaProtocol } from './decode.ts'
import { ollamaCodec } from './encode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

function collect(body: string, sizes: readonly number[] = []): Promise<Message> {
  return collectBody(body, sizes, ollamaProtocol, 'm1')
}

function decodeAll(body: string): ChatEvent[] {
  const decoder = ollamaProtocol.createDecoder({ messageId: 'm1' })
  const framer = createFramer('ndjson')
  return [...framer.push(body), ...framer.end()]
    .flatMap((frame) => decoder.decode(frame))
    .concat(decoder.end())
}

function encode(
  events: readonly ChatEvent[],
  options = { model: 'qwen3:14b', created: 1_750_000_000 },
): string {
  const encoder = ollamaCodec.createEncoder(options)
  return serializeFrames([...events.flatMap((event) => encoder.encode(event)), ...encoder.end()], 'ndjson')
}

/** What a user sees of a message, without ids the wire cannot carry and without part states. */
function visible(message: Message) {
  return {
    status: message.status,
    finishReason: message.status === 'complete' ? message.finishReason : undefined,
    usage: message.status === 'complete' ? message.usage : undefined,
    error: message.status === 'error' ? message.error?.message : undefined,
    parts: message.parts.map((part) => {
      if (part.type === 'text' || part.type === 'reasoning') return { type: part.type, text: part.text }
      if (part.type === 'tool-call') {
        const { toolCallId, toolName, state, input, inputText } = part
        return { type: part.type, toolCallId, toolName, state, input, inputText }
      }
      return part
    }),
  }
}

type Block =
  | { kind: 'text' | 'reasoning'; deltas: string[] }
  | { kind: 'tool'; name: string; input: Record<string, unknown> }
type Terminal =
  | { kind: 'end'; finishReason: FinishReason; inputTokens: number; outputTokens: number }
  | { kind: 'error'; message: string }
  | { kind: 'interrupt' }

const textArbitrary = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
const deltasArbitrary = fc.array(textArbitrary, { minLength: 1, maxLength: 4 })
// Through JSON once, so the input is exactly what a JSON wire can carry (no -0, no undefined).
const inputArbitrary = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((input) => JSON.parse(JSON.stringify(input)) as Record<string, unknown>)
const blockArbitrary: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constantFrom('text' as const, 'reasoning' as const), deltas: deltasArbitrary }),
  fc.record({
    kind: fc.constant('tool' as const),
    name: fc.stringMatching(/^[a-z_]{1,12}$/),
    input: inputArbitrary,
  }),
)
// Two text (or two reasoning) blocks in a row are one block on a wire without block boundaries.
const blocksArbitrary = fc
  .array(blockArbitrary, { maxLength: 6 })
  .filter((blocks) =>
    blocks.every(
      (block, index) => index === 0 || block.kind === 'tool' || blocks[index - 1]!.kind !== block.kind,
    ),
  )

function terminalArbitrary(hasTools: boolean): fc.Arbitrary<Terminal> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('end' as const),
      // Ollama only says stop or length; a stop after tool calls reads as tool-calls.
      finishReason: fc.constantFrom<FinishReason>(hasTools ? 'tool-calls' : 'stop', 'length'),
      inputTokens: fc.nat(100_000),
      outputTokens: fc.nat(100_000),
    }),
    fc.record({ kind: fc.constant('error' as const), message: textArbitrary }),
    fc.constant({ kind: 'interrupt' as const }),
  )
}

const scenarioArbitrary = blocksArbitrary.chain((blocks) =>
  fc.record({
    blocks: fc.constant(blocks),
    terminal: terminalArbitrary(blocks.some((block) => block.kind === 'tool')),
    sizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }),
  }),
)

function toEvents(blocks: readonly Block[], terminal: Terminal): ChatEvent[] {
  const messageId = 'm1'
  const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
  let toolIndex = 0
  blocks.forEach((block, index) => {
    if (block.kind === 'tool') {
      // The ids Ollama's decoder gives calls the wire does not name.
      const toolCallId = `call_${toolIndex++}`
      const inputText = JSON.stringify(block.input)
      events.push(
        { type: 'tool-call-start', messageId, toolCallId, toolName: block.name },
        { type: 'tool-call-delta', messageId, toolCallId, delta: inputText },
        { type: 'tool-call-end', messageId, toolCallId, input: block.input },
      )
      return
    }
    const id = `${block.kind}-${index}`
    events.push({ type: block.kind === 'text' ? 'text-start' : 'reasoning-start', messageId, id })
    for (const delta of block.deltas) {
      events.push({ type: block.kind === 'text' ? 'text-delta' : 'reasoning-delta', messageId, id, delta })
    }
    events.push({ type: block.kind === 'text' ? 'text-end' : 'reasoning-end', messageId, id })
  })
  if (terminal.kind === 'end') {
    const { inputTokens, outputTokens } = terminal
    events.push({
      type: 'message-end',
      messageId,
      finishReason: terminal.finishReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    })
  } else if (terminal.kind === 'error') {
    events.push({ type: 'message-error', messageId, error: { message: terminal.message } })
  } else {
    events.push({ type: 'message-interrupt', messageId })
  }
  return events
}

describe('Ollama encoder', () => {
  it('round-trips any event sequence through the wire, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ blocks, terminal, sizes }) => {
        const events = toEvents(blocks, terminal)
        const direct = reduceChat(initialChatState, events).messages.m1!
        const decoded = await collect(encode(events), sizes)
        expect(visible(decoded)).toEqual(visible(direct))
      }),
      { numRuns: 200 },
    )
  })

  it.each([
    ['ollama-chat/text-granite3-dense-final-stats.ndjson', 'granite3-dense:8b'],
    ['ollama-chat/thinking-gpt-oss.ndjson', 'gpt-oss'],
    ['ollama-chat/two-tool-calls-qwen3-14b.ndjson', 'qwen3:14b'],
  ])('re-encodes the decoded %s line for line (all but created_at)', (path, model) => {
    const original = readFixtureText(path).split('\n').filter(Boolean)
    const encoded = encode(decodeAll(readFixtureText(path)), { model, created: 1_742_495_557 })
      .split('\n')
      .filter(Boolean)
    const withoutTime = (line: string) => {
      const { created_at, ...rest } = JSON.parse(line) as Record<string, unknown>
      expect(created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
      return rest
    }
    expect(encoded.map(withoutTime)).toEqual(original.map(withoutTime))
  })

  it('writes the lines Ollama writes', () => {
    const lines = encode([
      { type: 'message-start', messageId: 'm1' },
      { type: 'reasoning-delta', messageId: 'm1', id: 'r', delta: 'Hmm.' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' },
      { type: 'tool-call-start', messageId: 'm1', toolCallId: 'a', toolName: 'weather' },
      { type: 'tool-call-delta', messageId: 'm1', toolCallId: 'a', delta: '{"city":' },
      { type: 'tool-call-delta', messageId: 'm1', toolCallId: 'a', delta: '"Oslo"}' },
      { type: 'tool-call-end', messageId: 'm1', toolCallId: 'a' },
      {
        type: 'message-end',
        messageId: 'm1',
        finishReason: 'tool-calls',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
    ]).split('\n')
    const head = { model: 'qwen3:14b', created_at: '2025-06-15T15:06:40.000Z' }
    expect(lines.map((line) => (line === '' ? '' : JSON.parse(line)))).toEqual([
      { ...head, message: { role: 'assistant', content: '', thinking: 'Hmm.' }, done: false },
      { ...head, message: { role: 'assistant', content: 'Hi' }, done: false },
      {
        ...head,
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }],
        },
        done: false,
      },
      {
        ...head,
        message: { role: 'assistant', content: '' },
        done_reason: 'stop',
        done: true,
        total_duration: 0,
        load_duration: 0,
        prompt_eval_count: 3,
        prompt_eval_duration: 0,
        eval_count: 4,
        eval_duration: 0,
      },
      '',
    ])
  })

  it('writes a mid-stream error as one {"error"} line with nothing after it', () => {
    const lines = encode([
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' },
      { type: 'message-error', messageId: 'm1', error: { message: 'model runner crashed' } },
      { type: 'message-end', messageId: 'm1' },
    ])
      .split('\n')
      .filter(Boolean)
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1]!)).toEqual({ error: 'model runner crashed' })
  })

  it('writes the stream: false body that decodes to the same message', () => {
    const events = toEvents(
      [
        { kind: 'reasoning', deltas: ['Let me ', 'think.'] },
        { kind: 'text', deltas: ['Sunny ', 'today.'] },
        { kind: 'tool', name: 'weather', input: { city: 'Oslo' } },
      ],
      { kind: 'end', finishReason: 'tool-calls', inputTokens: 12, outputTokens: 8 },
    )
    const body = ollamaCodec.encodeResponse!(events, { model: 'qwen3:14b', created: 0 })
    expect(body).toEqual({
      model: 'qwen3:14b',
      created_at: '1970-01-01T00:00:00.000Z',
      message: {
        role: 'assistant',
        content: 'Sunny today.',
        thinking: 'Let me think.',
        tool_calls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }],
      },
      done_reason: 'stop',
      done: true,
      total_duration: 0,
      load_duration: 0,
      prompt_eval_count: 12,
      prompt_eval_duration: 0,
      eval_count: 8,
      eval_duration: 0,
    })
    const decoded = reduceChat(initialChatState, ollamaProtocol.decodeResponse!(body, { messageId: 'm1' }))
      .messages.m1!
    expect(visible(decoded)).toEqual(visible(reduceChat(initialChatState, events).messages.m1!))
  })

  it('writes Ollama error bodies', () => {
    const body = ollamaCodec.encodeError!(404, 'model "llama9" not found, try pulling it first')
    expect(body).toEqual({ error: 'model "llama9" not found, try pulling it first' })
    expect(ollamaProtocol.decodeError!(body, 404)).toEqual({
      message: 'model "llama9" not found, try pulling it first',
      status: 404,
    })
  })
})
