/**
 * The mutations of the hostile property, as fast-check values: flipped bytes, a cut anywhere,
 * invalid UTF-8, NUL bytes, duplicated / deleted / reordered frames, empty events, ids named
 * after `Object.prototype` members, prototype keys and paths, deep nesting and huge numbers.
 * `hostile-streams.ts` applies them.
 *
 * @module
 */
import fc from 'fast-check'

export const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const

/**
 * Frames that carry prototype keys and paths in the shapes decoders walk: AG-UI state patches,
 * Gemini (Vertex) streamed `partialArgs` paths, AI SDK metadata, and generic own `__proto__` /
 * `constructor.prototype` keys. Injected into every protocol's streams: hostile data need not
 * match the protocol.
 */
export const prototypePayloads: readonly string[] = [
  '{"type":"STATE_SNAPSHOT","snapshot":{"a":{}}}',
  '{"type":"STATE_DELTA","delta":[{"op":"add","path":"/__proto__/polluted","value":"yes"}]}',
  '{"type":"STATE_DELTA","delta":[{"op":"add","path":"/__proto__","value":{"polluted":"yes"}}]}',
  '{"type":"STATE_DELTA","delta":[{"op":"replace","path":"/constructor/prototype/polluted","value":"yes"}]}',
  '{"type":"STATE_DELTA","delta":[{"op":"copy","from":"/a","path":"/a/__proto__/polluted"}]}',
  '{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","willContinue":true}}]}}]}',
  '{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"partialArgs":[{"jsonPath":"$.__proto__.polluted","stringValue":"yes","willContinue":true}],"willContinue":true}}]}}]}',
  '{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"partialArgs":[{"jsonPath":"$.constructor.prototype.polluted","stringValue":"yes"}],"willContinue":true}}]}}]}',
  '{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"partialArgs":[{"jsonPath":"$[\\"__proto__\\"].polluted","numberValue":1}],"willContinue":true}}]}}]}',
  '{"type":"message-metadata","messageMetadata":{"__proto__":{"polluted":"yes"},"nested":{"__proto__":{"polluted":"yes"}}}}',
  '{"type":"start","messageId":"__proto__","messageMetadata":{"constructor":{"prototype":{"polluted":"yes"}}}}',
  '{"type":"data-__proto__","id":"__proto__","data":{"__proto__":{"polluted":"yes"}}}',
  '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
]

const emptyPayloads: readonly string[] = ['', ' ', '{}', '[]', 'null', '""', '0', '{"type":""}', '[DONE]']

const invalidUtf8: readonly (readonly number[])[] = [
  [0xff],
  [0xc3], // a lead byte with no continuation
  [0xe2, 0x82], // a three-byte character cut short
  [0xc0, 0xaf], // an overlong encoding of "/"
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate written as UTF-8
  [0xf8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
  [0x80, 0x80, 0x80], // stray continuation bytes
]

const hugeNumbers: readonly string[] = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '1e-400',
  '9007199254740993',
  '-0',
  '1.7976931348623157e308',
]

/** A mutation of a stream. Positions are fractions of the frame list or the byte length. */
export type Mutation =
  | { kind: 'flip-byte'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'invalid-utf8'; at: number; bytes: readonly number[] }
  | { kind: 'nul-byte'; at: number }
  | { kind: 'duplicate-frame'; at: number }
  | { kind: 'delete-frame'; at: number }
  | { kind: 'swap-frames'; at: number }
  | { kind: 'move-frame'; at: number; to: number }
  | { kind: 'empty-event'; at: number; data: string }
  | { kind: 'prototype-ids'; at: number; name: (typeof prototypeNames)[number] }
  | { kind: 'prototype-keys'; at: number }
  | { kind: 'prototype-payload'; at: number; data: string }
  | { kind: 'deep-nesting'; at: number; depth: number; shape: 'array' | 'object' }
  | { kind: 'huge-numbers'; at: number; literal: string }
  | { kind: 'nul-in-strings'; at: number }

const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

/** Any one mutation. */
export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-byte' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('invalid-utf8' as const), at, bytes: fc.constantFrom(...invalidUtf8) }),
  fc.record({ kind: fc.constant('nul-byte' as const), at }),
  fc.record({ kind: fc.constant('duplicate-frame' as const), at }),
  fc.record({ kind: fc.constant('delete-frame' as const), at }),
  fc.record({ kind: fc.constant('swap-frames' as const), at }),
  fc.record({ kind: fc.constant('move-frame' as const), at, to: at }),
  fc.record({ kind: fc.constant('empty-event' as const), at, data: fc.constantFrom(...emptyPayloads) }),
  fc.record({ kind: fc.constant('prototype-ids' as const), at, name: fc.constantFrom(...prototypeNames) }),
  fc.record({ kind: fc.constant('prototype-keys' as const), at }),
  fc.record({
    kind: fc.constant('prototype-payload' as const),
    at,
    data: fc.constantFrom(...prototypePayloads),
  }),
  fc.record({
    kind: fc.constant('deep-nesting' as const),
    at,
    depth: fc.integer({ min: 2_000, max: 20_000 }),
    shape: fc.constantFrom('array' as const, 'object' as const),
  }),
  fc.record({ kind: fc.constant('huge-numbers' as const), at, literal: fc.constantFrom(...hugeNumbers) }),
  fc.record({ kind: fc.constant('nul-in-strings' as const), at }),
)
