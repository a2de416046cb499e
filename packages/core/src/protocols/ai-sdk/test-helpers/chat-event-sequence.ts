/**
 * Test helper: a fast-check arbitrary of valid {@link ChatEvent} sequences for one message, in
 * the shapes a wire can carry: every block is started, streamed and ended in one go (a stream
 * never interleaves a block's deltas with another block of the same kind), ids are unique, and
 * the sequence ends with a terminal event.
 *
 * `flavor` limits the sequence to what the protocol can say: the AI SDK stream carries sources,
 * files, metadata, usage, tool errors, data ids and finish reasons; AG-UI carries none of those
 * except state snapshots (a `state` data part), string tool results, step names and run usage.
 *
 * @module
 */
import fc from 'fast-check'
import type { ChatEvent } from '../../../events.ts'
import type { FinishReason, Usage } from '../../../message.ts'

/** How the generated sequence ends. */
export type SequenceEnding = 'end' | 'error' | 'abort' | 'interrupt'

/** Which protocol's vocabulary the sequence keeps to. */
export type SequenceFlavor = 'ai-sdk' | 'ag-ui'

/** JSON values that survive a JSON round trip unchanged (no -0, no undefined). */
const jsonValue = fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown)
const jsonObject = fc
  .dictionary(fc.constantFrom('city', 'query', 'units', 'count', 'tags'), jsonValue, { maxKeys: 3 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>)
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
const deltas = fc.array(text, { minLength: 1, maxLength: 4 })
const usage: fc.Arbitrary<Usage> = fc.record(
  { inputTokens: fc.nat(5000), outputTokens: fc.nat(5000), totalTokens: fc.nat(10000) },
  { requiredKeys: ['inputTokens'] },
)

type Block =
  | { kind: 'text'; deltas: string[] }
  | { kind: 'reasoning'; deltas: string[]; signature?: string }
  | {
      kind: 'tool'
      toolName: string
      input: Record<string, unknown>
      /** Where to cut the input text into deltas (fractions); `undefined` sends it whole. */
      cuts: number[] | undefined
      providerExecuted?: boolean
      result: { kind: 'output'; output: unknown } | { kind: 'error'; errorText: string } | { kind: 'none' }
    }
  | { kind: 'step-start' }
  | { kind: 'step-end' }
  | { kind: 'data'; name: string; data: unknown; id?: string }
  | { kind: 'source'; url: string; title?: string }
  | { kind: 'file'; url: string; mediaType: string }
  | { kind: 'usage'; usage: Usage }
  | { kind: 'metadata'; tag: string }

function blockArbitrary(flavor: SequenceFlavor): fc.Arbitrary<Block> {
  const aiSdk = flavor === 'ai-sdk'
  const tool = fc
    .record(
      {
        kind: fc.constant('tool' as const),
        toolName: fc.constantFrom('weather', 'search', 'get_time'),
        input: jsonObject,
        cuts: fc.option(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }), {
          nil: undefined,
        }),
        providerExecuted: fc.boolean(),
        result: fc.oneof(
          aiSdk
            ? fc.record({ kind: fc.constant('output' as const), output: jsonValue })
            : fc.record({ kind: fc.constant('output' as const), output: text as fc.Arbitrary<unknown> }),
          aiSdk
            ? fc.record({ kind: fc.constant('error' as const), errorText: text })
            : fc.constant({ kind: 'none' as const }),
          fc.constant({ kind: 'none' as const }),
        ),
      },
      { requiredKeys: ['kind', 'toolName', 'input', 'cuts', 'result'] },
    )
    .map((block) => {
      if (!aiSdk) {
        const { providerExecuted: _dropped, ...rest } = block
        return rest
      }
      return block
    })
  const common: fc.Arbitrary<Block>[] = [
    fc.record({ kind: fc.constant('text' as const), deltas }),
    fc.record(
      {
        kind: fc.constant('reasoning' as const),
        deltas,
        signature: fc.string({ minLength: 1, maxLength: 12 }),
      },
      { requiredKeys: ['kind', 'deltas'] },
    ),
    tool,
    fc.constant({ kind: 'step-start' as const }),
    fc.constant({ kind: 'step-end' as const }),
  ]
  if (aiSdk) {
    common.push(
      fc.record(
        {
          kind: fc.constant('data' as const),
          name: fc.constantFrom('weather', 'progress', 'chart-1'),
          data: jsonValue,
          id: fc.constantFrom('d1', 'd2'),
        },
        { requiredKeys: ['kind', 'name', 'data'] },
      ),
      fc.record(
        { kind: fc.constant('source' as const), url: fc.webUrl(), title: text },
        { requiredKeys: ['kind', 'url'] },
      ),
      fc.record({
        kind: fc.constant('file' as const),
        url: fc.webUrl(),
        mediaType: fc.constantFrom('image/png', 'application/pdf'),
      }),
      fc.record({ kind: fc.constant('usage' as const), usage }),
      fc.record({ kind: fc.constant('metadata' as const), tag: text }),
    )
  } else {
    common.push(
      fc.record({
        kind: fc.constant('data' as const),
        name: fc.constant('state'),
        data: jsonValue,
        id: fc.constant('state'),
      }),
      fc.record({
        kind: fc.constant('data' as const),
        name: fc.constantFrom('progress', 'notice'),
        data: jsonValue,
      }),
    )
  }
  return fc.oneof(...common)
}

/** Cut `text` at the given fractions of its length (whole code points only). */
function cutText(value: string, cuts: readonly number[]): string[] {
  const characters = Array.from(value)
  const points = [...new Set(cuts.map((cut) => Math.round(cut * characters.length)))]
    .filter((point) => point > 0 && point < characters.length)
    .sort((a, b) => a - b)
  const pieces: string[] = []
  let from = 0
  for (const point of [...points, characters.length]) {
    pieces.push(characters.slice(from, point).join(''))
    from = point
  }
  return pieces
}

function eventsOf(messageId: string, flavor: SequenceFlavor, blocks: readonly Block[]): ChatEvent[] {
  const events: ChatEvent[] = []
  let sourceCount = 0
  let stepCount = 0
  let openStep: string | undefined
  for (const [index, block] of blocks.entries()) {
    switch (block.kind) {
      case 'text': {
        const id = `text-${index}`
        events.push({ type: 'text-start', messageId, id })
        for (const delta of block.deltas) events.push({ type: 'text-delta', messageId, id, delta })
        events.push({ type: 'text-end', messageId, id })
        break
      }
      case 'reasoning': {
        const id = `reasoning-${index}`
        events.push({ type: 'reasoning-start', messageId, id })
        for (const delta of block.deltas) events.push({ type: 'reasoning-delta', messageId, id, delta })
        events.push(
          block.signature === undefined
            ? { type: 'reasoning-end', messageId, id }
            : { type: 'reasoning-end', messageId, id, signature: block.signature },
        )
        break
      }
      case 'tool': {
        const toolCallId = `call-${index}`
        const inputText = JSON.stringify(block.input)
        if (block.cuts === undefined) {
          // The whole call at once, as wires without input streaming send it.
          const end: ChatEvent = {
            type: 'tool-call-end',
            messageId,
            toolCallId,
            toolName: block.toolName,
            inputText,
          }
          if (flavor === 'ai-sdk') end.input = block.input
          if (block.providerExecuted !== undefined) end.providerExecuted = block.providerExecuted
          events.push(end)
        } else {
          const start: ChatEvent = {
            type: 'tool-call-start',
            messageId,
            toolCallId,
            toolName: block.toolName,
          }
          if (block.providerExecuted !== undefined) start.providerExecuted = block.providerExecuted
          events.push(start)
          for (const delta of cutText(inputText, block.cuts))
            events.push({ type: 'tool-call-delta', messageId, toolCallId, delta })
          events.push(
            flavor === 'ai-sdk'
              ? { type: 'tool-call-end', messageId, toolCallId, input: block.input }
              : { type: 'tool-call-end', messageId, toolCallId },
          )
        }
        if (block.result.kind === 'output') {
          events.push({ type: 'tool-result', messageId, toolCallId, output: block.result.output })
        } else if (block.result.kind === 'error') {
          events.push({ type: 'tool-error', messageId, toolCallId, errorText: block.result.errorText })
        }
        break
      }
      case 'step-start': {
        if (flavor === 'ag-ui') {
          // AG-UI steps are named; the decoder uses the name as the step id.
          if (openStep !== undefined) events.push({ type: 'step-end', messageId, stepId: openStep })
          stepCount++
          openStep = `step-${stepCount}`
          events.push({ type: 'step-start', messageId, stepId: openStep })
        } else {
          events.push({ type: 'step-start', messageId })
        }
        break
      }
      case 'step-end': {
        if (flavor === 'ag-ui') {
          if (openStep === undefined) break
          events.push({ type: 'step-end', messageId, stepId: openStep })
          openStep = undefined
        } else {
          events.push({ type: 'step-end', messageId })
        }
        break
      }
      case 'data': {
        const event: ChatEvent = { type: 'data', messageId, name: block.name, data: block.data }
        if (block.id !== undefined) event.id = block.id
        events.push(event)
        break
      }
      case 'source': {
        sourceCount++
        const event: ChatEvent = {
          type: 'source',
          messageId,
          url: block.url,
          sourceId: `source-${sourceCount}`,
        }
        if (block.title !== undefined) event.title = block.title
        events.push(event)
        break
      }
      case 'file':
        events.push({ type: 'file', messageId, url: block.url, mediaType: block.mediaType })
        break
      case 'usage':
        events.push({ type: 'usage', messageId, usage: block.usage })
        break
      case 'metadata':
        events.push({ type: 'metadata', messageId, metadata: { tag: block.tag } })
        break
    }
  }
  return events
}

const finishReasons: FinishReason[] = ['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']

/**
 * A message's whole event sequence: `message-start`, content blocks, a terminal event.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(chatEventSequence('m1', 'ai-sdk'), ({ events }) => events.length > 1))
 * ```
 */
export function chatEventSequence(
  messageId: string,
  flavor: SequenceFlavor,
): fc.Arbitrary<{ events: ChatEvent[]; ending: SequenceEnding }> {
  const endings: SequenceEnding[] =
    flavor === 'ai-sdk' ? ['end', 'error', 'abort', 'interrupt'] : ['end', 'error', 'interrupt']
  return fc
    .record({
      model: fc.option(text, { nil: undefined }),
      blocks: fc.array(blockArbitrary(flavor), { maxLength: 8 }),
      ending: fc.constantFrom(...endings),
      finishReason: fc.option(fc.constantFrom(...finishReasons), { nil: undefined }),
      usage: fc.option(usage, { nil: undefined }),
      errorMessage: text,
      errorCode: fc.option(fc.constantFrom('rate_limited', 'server_error'), { nil: undefined }),
    })
    .map(({ model, blocks, ending, finishReason, usage: endUsage, errorMessage, errorCode }) => {
      const events: ChatEvent[] = []
      if (flavor === 'ag-ui') {
        events.push({
          type: 'message-start',
          messageId,
          role: 'assistant',
          metadata: { threadId: 'thread-1', runId: 'run-1' },
        })
      } else {
        events.push(
          model === undefined
            ? { type: 'message-start', messageId, role: 'assistant' }
            : { type: 'message-start', messageId, role: 'assistant', metadata: { model } },
        )
      }
      events.push(...eventsOf(messageId, flavor, blocks))
      switch (ending) {
        case 'end': {
          const end: ChatEvent = { type: 'message-end', messageId }
          if (flavor === 'ag-ui') {
            // AG-UI has no finish reason: a run that leaves tool calls unanswered asks the client to run them.
            const unanswered = blocks.some((block) => block.kind === 'tool' && block.result.kind === 'none')
            end.finishReason = unanswered ? 'tool-calls' : 'stop'
          } else if (finishReason !== undefined) {
            end.finishReason = finishReason
          }
          if (endUsage !== undefined) end.usage = endUsage
          events.push(end)
          break
        }
        case 'error': {
          const error =
            flavor === 'ag-ui' && errorCode !== undefined
              ? { message: errorMessage, code: errorCode }
              : { message: errorMessage }
          events.push({ type: 'message-error', messageId, error })
          break
        }
        case 'abort':
          events.push({ type: 'message-abort', messageId })
          break
        case 'interrupt':
          events.push({ type: 'message-interrupt', messageId })
          break
      }
      return { events, ending }
    })
}
