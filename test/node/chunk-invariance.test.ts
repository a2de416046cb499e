/**
 * Any chunking of the same bytes gives the same final message (STYLE.md, property tests): the
 * whole body, byte by byte, random splits, splits inside multi-byte characters, and for SSE the
 * same body with CRLF and CR line ends. Runs over every recorded fixture whose protocol exists.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../packages/core/src/collect-message.ts'
import type { Message } from '../../packages/core/src/message.ts'
import type { Framing, Protocol, ProtocolId } from '../../packages/core/src/protocol.ts'
import { protocols } from '../../packages/core/src/protocols/index.ts'
import { fixtureText, fromChunks, listFixtures, readFixtureText } from '../helpers/fixtures.ts'

vi.mock('react', () => ({}))

const folderProtocols: Record<string, ProtocolId> = {
  'openai-chat': 'openai-chat',
  'openai-compatible': 'openai-chat',
  'openai-responses': 'openai-responses',
  'anthropic-messages': 'anthropic',
  'ollama-chat': 'ollama',
  'gemini-sse': 'gemini',
  'ai-sdk-ui-message-stream': 'ai-sdk',
}

const encoder = new TextEncoder()

type Outcome = { message: Message } | { error: string }

/** The final message, or the error collectMessage rejected with (compared by message). */
async function outcome(
  chunks: readonly (Uint8Array | string)[],
  protocol: ProtocolId,
  framing?: Framing,
): Promise<Outcome> {
  try {
    return { message: await collectMessage(fromChunks(chunks), protocol, framing ? { framing } : {}) }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

/** Cut bytes at the given positions (sorted, unique, inside the body). */
function cutAt(bytes: Uint8Array, positions: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = []
  let start = 0
  for (const position of [...positions].sort((a, b) => a - b)) {
    if (position <= start || position >= bytes.length) continue
    chunks.push(bytes.subarray(start, position))
    start = position
  }
  chunks.push(bytes.subarray(start))
  return chunks
}

/** Positions that fall inside a multi-byte UTF-8 character (before a continuation byte). */
function insideCharacters(bytes: Uint8Array): number[] {
  const positions: number[] = []
  for (let index = 1; index < bytes.length; index += 1) {
    if (((bytes[index] ?? 0) & 0xc0) === 0x80) positions.push(index)
  }
  return positions
}

interface FixtureCase {
  path: string
  protocol: ProtocolId
  body: string
  /** For JSON-array fixtures: the items, to read once more as WebSocket-style frames. */
  items?: string[]
}

function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = []
  for (const path of listFixtures()) {
    const protocol = folderProtocols[path.split('/')[0] ?? '']
    if (!protocol) continue
    if (path.endsWith('.json')) {
      // The AI SDK LangChain snapshot is an array of UI message chunks: the SSE body the AI SDK
      // would send for it is one `data:` event per chunk.
      const parsed: unknown = JSON.parse(readFixtureText(path))
      if (protocol !== 'ai-sdk' || !Array.isArray(parsed)) continue
      const items = parsed.map((item) => JSON.stringify(item))
      cases.push({ path, protocol, body: items.map((item) => `data: ${item}\n\n`).join(''), items })
      continue
    }
    cases.push({ path, protocol, body: fixtureText(path) })
  }
  return cases
}

const cases = fixtureCases()
// Decoders land one by one: a fixture runs once its protocol is registered.
const registry: Partial<Record<ProtocolId, Protocol>> = protocols

describe('chunk invariance over every fixture', () => {
  it('covers every fixture folder', () => {
    expect(new Set(cases.map((fixture) => fixture.path.split('/')[0]))).toEqual(
      new Set(Object.keys(folderProtocols)),
    )
  })

  for (const fixture of cases) {
    const protocol = registry[fixture.protocol]
    it.skipIf(!protocol)(`${fixture.path} (${fixture.protocol})`, { timeout: 60_000 }, async () => {
      const bytes = encoder.encode(fixture.body)
      const reference = await outcome([bytes], fixture.protocol)
      // The whole body must decode to an assistant message: a fixture giving nothing proves nothing.
      expect(reference).toHaveProperty('message')

      expect(await outcome([fixture.body], fixture.protocol), 'as one string').toEqual(reference)
      expect(
        await outcome(
          Array.from(bytes, (byte) => new Uint8Array([byte])),
          fixture.protocol,
        ),
        'byte by byte',
      ).toEqual(reference)

      const inside = insideCharacters(bytes)
      if (inside.length > 0) {
        expect(await outcome(cutAt(bytes, inside), fixture.protocol), 'split inside every character').toEqual(
          reference,
        )
      }

      const framing = protocol?.framing
      if (framing === 'sse' || framing === 'ndjson') {
        const crlf = fixture.body.replace(/\r?\n/g, '\r\n')
        expect(await outcome([encoder.encode(crlf)], fixture.protocol), 'CRLF line ends').toEqual(reference)
        expect(
          await outcome(
            Array.from(encoder.encode(crlf), (byte) => new Uint8Array([byte])),
            fixture.protocol,
          ),
          'CRLF line ends, byte by byte',
        ).toEqual(reference)
      }
      if (framing === 'sse') {
        const cr = fixture.body.replace(/\r?\n/g, '\r')
        expect(
          await outcome(cutAt(encoder.encode(cr), insideCharacters(encoder.encode(cr))), fixture.protocol),
          'CR line ends',
        ).toEqual(reference)
      }

      if (fixture.items) {
        expect(await outcome(fixture.items, fixture.protocol, 'frames'), 'as WebSocket-style frames').toEqual(
          reference,
        )
      }

      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 80 }),
          fc.subarray(inside),
          async (cuts, characterCuts) => {
            expect(await outcome(cutAt(bytes, [...cuts, ...characterCuts]), fixture.protocol)).toEqual(
              reference,
            )
          },
        ),
        { numRuns: 15 },
      )
    })
  }
})
