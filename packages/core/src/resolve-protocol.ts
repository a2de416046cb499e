/**
 * Turning a protocol id into its `Protocol` without bundling every decoder at first load.
 *
 * A `Protocol` object is used as given, so an app that passes `openaiChatProtocol` ships that
 * decoder only. An id is checked against the list of ids at once (a typo fails where it was
 * written), and its decoder comes from the registry, which is loaded with a dynamic `import()`
 * on first use: bundlers that split code (Vite, Rollup, webpack, esbuild with `splitting`) put
 * the twelve decoders in a chunk loaded when the first stream starts.
 *
 * @example
 * ```ts
 * import { anthropicProtocol, readChatEvents } from '@sluice/core'
 * for await (const event of readChatEvents(response.body!, anthropicProtocol)) console.log(event.type)
 * ```
 * @module
 */
import type { Protocol, ProtocolId } from './protocol.ts'

/** Every id, in the registry's order; kept here so checking an id does not load the decoders. */
const knownProtocolIds = Object.freeze([
  'openai-chat',
  'openai-responses',
  'anthropic',
  'ollama',
  'gemini',
  'ai-sdk',
  'ag-ui',
  'stream-chunk',
  'stream-delta',
  'agent-events',
  'message-events',
  'text',
] as const satisfies readonly ProtocolId[])

// A compile error here means a `ProtocolId` is missing from the list above.
const everyIdListed: Exclude<ProtocolId, (typeof knownProtocolIds)[number]> extends never ? true : never =
  true
void everyIdListed

/**
 * Every protocol id, in a stable order (the order of the `protocols` registry).
 *
 * @example
 * ```ts
 * protocolIds.includes('anthropic') // true
 * ```
 */
export const protocolIds: ProtocolId[] = [...knownProtocolIds]

/**
 * Whether `value` is the id of a protocol Sluice decodes.
 *
 * @example
 * ```ts
 * isProtocolId('ollama') // true
 * isProtocolId('openai') // false: the ids are 'openai-chat' and 'openai-responses'
 * ```
 */
export function isProtocolId(value: unknown): value is ProtocolId {
  return typeof value === 'string' && (knownProtocolIds as readonly string[]).includes(value)
}

/**
 * The error for an id that names no protocol: what was given, every valid id, and the other way
 * (a `Protocol` object).
 *
 * @example
 * ```ts
 * throw unknownProtocolError('openai', 'createChat')
 * // TypeError: createChat: unknown protocol "openai". Pass one of "openai-chat", …, or a Protocol object.
 * ```
 */
export function unknownProtocolError(id: string, caller?: string): TypeError {
  const known = knownProtocolIds.map((known) => `"${known}"`).join(', ')
  const subject = caller === undefined ? 'Unknown protocol' : `${caller}: unknown protocol`
  return new TypeError(`${subject} "${id}". Pass one of ${known}, or a Protocol object.`)
}

/**
 * Throw the {@link unknownProtocolError} when `protocol` is a string that is no protocol id.
 * Loads nothing: call it where the protocol is given, so a typo fails there.
 *
 * @example
 * ```ts
 * assertProtocol(options.protocol, 'createChat')
 * ```
 */
export function assertProtocol(protocol: Protocol | ProtocolId, caller?: string): void {
  if (typeof protocol === 'string' && !isProtocolId(protocol)) throw unknownProtocolError(protocol, caller)
}

type Registry = Readonly<Record<ProtocolId, Protocol>>

/** The registry once loaded: later lookups are synchronous (no extra microtask per stream). */
let loadedRegistry: Registry | undefined
let loadingRegistry: Promise<Registry> | undefined

/**
 * The protocol for `protocol` if it is available without loading anything: the object itself,
 * or the registry's entry once the registry has been loaded. `undefined` means
 * {@link loadProtocol} must be awaited. Throws for an unknown id.
 *
 * @example
 * ```ts
 * const protocol = loadedProtocol(options.protocol) ?? (await loadProtocol(options.protocol))
 * ```
 */
export function loadedProtocol(protocol: Protocol | ProtocolId, caller?: string): Protocol | undefined {
  if (typeof protocol !== 'string') return protocol
  assertProtocol(protocol, caller)
  return loadedRegistry?.[protocol]
}

/**
 * The protocol for `protocol`: the object itself, or the registry's entry for an id, loading
 * the registry (every decoder) on first use with a dynamic `import()`. Rejects with the
 * {@link unknownProtocolError} for an unknown id, before loading anything.
 *
 * @example
 * ```ts
 * const protocol = await loadProtocol('anthropic')
 * protocol.framing // 'sse'
 * ```
 */
export async function loadProtocol(protocol: Protocol | ProtocolId, caller?: string): Promise<Protocol> {
  const available = loadedProtocol(protocol, caller)
  if (available !== undefined) return available
  const id = protocol as ProtocolId
  loadingRegistry ??= import('./protocols/index.ts').then(
    (module) => {
      loadedRegistry = module.protocols
      return module.protocols
    },
    (error: unknown) => {
      // A chunk that failed to load (a network blip) may load on the next try.
      loadingRegistry = undefined
      throw error
    },
  )
  const registry = await loadingRegistry
  return registry[id]
}
