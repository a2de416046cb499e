/**
 * Hostile input, over every protocol (issue 11): recorded fixtures and encoder-generated streams
 * of all twelve protocols, damaged by `hostile-streams.ts` and cut into random network chunks.
 *
 * Whatever the bytes, `collectMessage`:
 * - resolves, or rejects only with a typed Sluice error (never a `TypeError` or `RangeError`
 *   escaping a decoder or the reducer), and never hangs;
 * - returns a message in a terminal status;
 * - leaves the built-in prototypes exactly as they were, and every object in the message has a
 *   plain prototype (`Object.prototype`, `Array.prototype` or none: a wire `__proto__` never
 *   replaced one);
 * - keeps the text that arrived before the first damaged frame.
 *
 * Seeded and bounded so CI time stays flat; `HOSTILE_RUNS` raises the number of runs and
 * `HOSTILE_SEED` changes the seed locally (`HOSTILE_RUNS=2000 HOSTILE_SEED=7 npx vitest run …`).
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { ChatStreamError } from '../../../packages/core/src/chat-stream-error.ts'
import { collectMessage } from '../../../packages/core/src/collect-message.ts'
import type { ChatEvent } from '../../../packages/core/src/events.ts'
import { StreamFramingError } from '../../../packages/core/src/framing/stream-framing-error.ts'
import { type Message, terminalMessageStatuses } from '../../../packages/core/src/message.ts'
import type { ProtocolId } from '../../../packages/core/src/protocol.ts'
import { readChatEventBatches } from '../../../packages/core/src/read-chat-events.ts'
import { initialChatState, reduceChat } from '../../../packages/core/src/reducer.ts'
import { fromChunks } from '../../helpers/fixtures.ts'
import { chunk, intactPrefix, mutate } from './hostile-streams.ts'
import { type Mutation, mutationArbitrary, prototypePayloads } from './mutations.ts'
import { fixtureCases, generatedCases, type StreamCase } from './stream-cases.ts'

vi.mock('react', () => ({}))

const runs = Number(process.env.HOSTILE_RUNS ?? 0) || undefined
const seed = Number(process.env.HOSTILE_SEED ?? 11)
const hangLimit = 10_000

const builtInPrototypes: readonly object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Promise.prototype,
  Map.prototype,
  Set.prototype,
  RegExp.prototype,
  Error.prototype,
]

/** Every own key of every built-in prototype with the value (or accessor) it holds. */
function prototypeSnapshot(): unknown[][] {
  return builtInPrototypes.map((prototype) => [
    Object.getPrototypeOf(prototype),
    ...Reflect.ownKeys(prototype).flatMap((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!
      return [key, descriptor.value, descriptor.get, descriptor.set]
    }),
  ])
}
const pristine = prototypeSnapshot()

const plainPrototypes: ReadonlySet<unknown> = new Set([Object.prototype, Array.prototype, null])

/**
 * The path to the first object in `value` whose prototype is not a plain one, or whose reads
 * see an inherited `polluted`. Walks with an explicit stack (wire values may be deep).
 */
function foreignPrototypePath(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: 'message' }]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!
    if (typeof current !== 'object' || current === null || seen.has(current)) continue
    seen.add(current)
    if (!plainPrototypes.has(Object.getPrototypeOf(current))) return path
    if (!Object.hasOwn(current, 'polluted') && (current as { polluted?: unknown }).polluted !== undefined)
      return path
    for (const key of Reflect.ownKeys(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, key)
      stack.push({ value: descriptor?.value, path: `${path}.${String(key)}` })
    }
  }
  return undefined
}

/** What a user sees of a message's answer: its text parts, in order. */
function textOf(message: Message | undefined): string {
  let text = ''
  for (const part of message?.parts ?? []) if (part.type === 'text') text += part.text
  return text
}

function withinTime<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not settle within ${hangLimit} ms: it hangs`)),
      hangLimit,
    )
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}

/** The errors `collectMessage` may reject with: typed, with a code that says what happened. */
function isTypedError(error: unknown): boolean {
  return error instanceof ChatStreamError || error instanceof StreamFramingError
}

/**
 * The answer as the chat controller shows it: every event mapped onto one placeholder message
 * (transports that do not keep wire ids), so a stream that switches ids mid-way still shows
 * the text that came before the switch.
 */
async function placeholderAnswer(
  chunks: readonly Uint8Array[],
  protocol: ProtocolId,
): Promise<Message | undefined> {
  let state = initialChatState
  try {
    for await (const batch of readChatEventBatches(fromChunks(chunks), protocol, {
      messageId: 'placeholder',
    })) {
      state = reduceChat(
        state,
        batch.map((event): ChatEvent => ({ ...event, messageId: 'placeholder' })),
      )
    }
  } catch (error) {
    if (!isTypedError(error)) throw error
  }
  return state.messages.placeholder
}

interface Outcome {
  message?: Message
  rejection?: unknown
  placeholder?: Message
}

async function read(chunks: readonly Uint8Array[], protocol: ProtocolId): Promise<Outcome> {
  const outcome: Outcome = {}
  try {
    outcome.message = await withinTime(collectMessage(fromChunks(chunks), protocol), 'collectMessage')
  } catch (error) {
    outcome.rejection = error
  }
  const placeholder = await withinTime(placeholderAnswer(chunks, protocol), 'readChatEventBatches')
  if (placeholder !== undefined) outcome.placeholder = placeholder
  return outcome
}

/**
 * Protocols whose final frame restates the whole answer text (agent-events `Done.content`,
 * message-events `message_update`): the text they end with replaces what the deltas built.
 */
const snapshotProtocols: ReadonlySet<ProtocolId> = new Set(['agent-events', 'message-events'])

function describeRejection(rejection: unknown): string {
  return rejection instanceof Error
    ? `${rejection.name}: ${rejection.message}\n${rejection.stack}`
    : String(rejection)
}

async function checkHostile(
  streamCase: StreamCase,
  mutations: readonly Mutation[],
  sizes: readonly number[],
) {
  const damaged = mutate(streamCase, mutations)
  const outcome = await read(chunk(damaged.items, streamCase.framing, sizes), streamCase.protocol)

  if (outcome.rejection !== undefined) {
    expect(
      isTypedError(outcome.rejection),
      `untyped rejection: ${describeRejection(outcome.rejection)}`,
    ).toBe(true)
  } else {
    expect(terminalMessageStatuses.has(outcome.message!.status), `status ${outcome.message!.status}`).toBe(
      true,
    )
  }
  if (outcome.placeholder !== undefined) {
    expect(
      terminalMessageStatuses.has(outcome.placeholder.status),
      `placeholder status ${outcome.placeholder.status}`,
    ).toBe(true)
  }
  expect(prototypeSnapshot(), 'a built-in prototype changed').toEqual(pristine)
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype.polluted').toBeUndefined()
  expect(
    foreignPrototypePath(outcome.message),
    'an object of the message has a wire prototype',
  ).toBeUndefined()
  expect(
    foreignPrototypePath(outcome.placeholder),
    'an object of the answer has a wire prototype',
  ).toBeUndefined()

  // What the frames before the damage said must still be there. A complete answer of a protocol
  // whose final frame restates the whole text may legitimately differ: that frame is the server's
  // last word on the text, and a mutation may have changed it into another valid answer.
  if (
    snapshotProtocols.has(streamCase.protocol) &&
    outcome.placeholder?.status === 'complete' &&
    outcome.message?.status === 'complete'
  )
    return
  const intact = await read(intactPrefix(streamCase, damaged.intactFrames), streamCase.protocol)
  const before = textOf(intact.placeholder)
  // The NULs that `nul-byte` / `nul-in-strings` put into strings are content, not loss.
  const after = textOf(outcome.placeholder).replaceAll('\u0000', '')
  expect(
    after.startsWith(before),
    `text before the damage (frames 0–${damaged.intactFrames - 1}) was lost:\n  before: ${JSON.stringify(before.slice(0, 200))}\n  after:  ${JSON.stringify(after.slice(0, 200))}`,
  ).toBe(true)
}

const cases = [...fixtureCases(), ...generatedCases()]
const byProtocol = new Map<ProtocolId, StreamCase[]>()
for (const streamCase of cases)
  byProtocol.set(streamCase.protocol, [...(byProtocol.get(streamCase.protocol) ?? []), streamCase])

const sizesArbitrary = fc.oneof(
  fc.constant([] as number[]),
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 16 }),
)

describe('hostile streams over every protocol', () => {
  it('covers all twelve protocols', () => {
    expect([...byProtocol.keys()].sort()).toEqual(
      [
        'ag-ui',
        'agent-events',
        'ai-sdk',
        'anthropic',
        'gemini',
        'message-events',
        'ollama',
        'openai-chat',
        'openai-responses',
        'stream-chunk',
        'stream-delta',
        'text',
      ].sort(),
    )
  })

  // Rarely drawn at random, so swept in full: every prototype payload after each of the first
  // frames and at the end of every generated stream, read whole and in 1-byte chunks.
  it('refuses every prototype key and path, wherever it comes, in every protocol', async () => {
    for (const streamCase of generatedCases()) {
      const positions = [1, 2, Math.floor(streamCase.frames.length / 2), streamCase.frames.length]
      for (const data of prototypePayloads) {
        for (const position of new Set(positions)) {
          const at = Math.min(position, streamCase.frames.length) / (streamCase.frames.length + 1)
          for (const sizes of [[], [1]]) {
            await checkHostile(streamCase, [{ kind: 'prototype-payload', at, data }], sizes)
          }
        }
      }
    }
  })

  for (const [protocol, protocolCases] of byProtocol) {
    it(`${protocol}: never rejects untyped, never hangs, always ends, never pollutes, keeps the text before the damage`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...protocolCases),
          fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
          sizesArbitrary,
          async (streamCase, mutations, sizes) => {
            await checkHostile(streamCase, mutations, sizes)
          },
        ),
        { seed, numRuns: runs ?? 60, endOnFailure: true },
      )
    })
  }
})
