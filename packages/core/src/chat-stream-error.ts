import type { ProtocolId } from './protocol.ts'

/**
 * Why reading a stream failed without a message to report it on.
 * `decoder-error`: the protocol's decoder (or the inline-tag transform) threw on the stream.
 * `no-assistant-message`: the whole stream produced no assistant message (`collectMessage`).
 */
export type ChatStreamErrorCode = 'decoder-error' | 'no-assistant-message'

/**
 * Reading a stream failed before any message existed to carry the failure. Once a message
 * has begun, the same failures become a `message-error` on it instead (the partial answer is
 * kept), so this is what `collectMessage` rejects with when there is nothing to keep.
 *
 * @example
 * ```ts
 * try {
 *   await collectMessage(response.body!, 'anthropic')
 * } catch (error) {
 *   if (error instanceof ChatStreamError && error.code === 'no-assistant-message') showEmptyAnswer()
 * }
 * ```
 */
export class ChatStreamError extends Error {
  override readonly name = 'ChatStreamError'
  /** What went wrong, for programs. */
  readonly code: ChatStreamErrorCode
  /** The protocol the stream was read as. */
  readonly protocol: ProtocolId

  constructor(
    message: string,
    options: { code: ChatStreamErrorCode; protocol: ProtocolId; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.protocol = options.protocol
  }
}

/** The longest piece of a thrown error's message quoted in a message we build around it. */
const quotedErrorLength = 200

/**
 * The message of any thrown value, short and without throwing itself (a thrown object may have
 * no prototype, or a `toString` that throws).
 *
 * @example
 * ```ts
 * describeThrown(new RangeError('Maximum call stack size exceeded')) // 'RangeError: Maximum call stack size exceeded'
 * describeThrown(Object.create(null)) // 'a value that is not an Error'
 * ```
 */
export function describeThrown(thrown: unknown): string {
  let text: string
  try {
    text =
      thrown instanceof Error
        ? `${thrown.name}: ${thrown.message}`
        : typeof thrown === 'string'
          ? thrown
          : 'a value that is not an Error'
  } catch {
    text = 'an error that could not be described'
  }
  return text.length > quotedErrorLength ? `${text.slice(0, quotedErrorLength)}…` : text
}
