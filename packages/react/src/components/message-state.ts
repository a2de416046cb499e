import type { Message } from '@sluice/core'

/**
 * Whether the answer is on its way but nothing is showing progress: the placeholder before the
 * first token, or a streaming message between agent steps (after a step separator, a finished
 * text block or a tool result, before the next content). The typing indicator shows exactly then.
 *
 * @example
 * ```ts
 * isWaitingForContent({ id: 'a', role: 'assistant', status: 'pending', parts: [] }) // true
 * ```
 */
export function isWaitingForContent(message: Message): boolean {
  if (message.status === 'pending') return true
  if (message.status !== 'streaming') return false
  const last = message.parts[message.parts.length - 1]
  if (last === undefined) return true
  switch (last.type) {
    case 'step-start':
      return true
    case 'tool-call':
      // The model continues once it has the result; until then nothing moves.
      return last.state === 'output-available' || last.state === 'output-error'
    case 'text':
    case 'reasoning':
      return last.state === 'done'
    case 'source':
    case 'file':
    case 'data':
      return false
    default: {
      const unknownPart: never = last
      return Boolean(unknownPart)
    }
  }
}

/**
 * Whether text is arriving at the end of the message right now (the caret shows then).
 *
 * @example
 * ```ts
 * isStreamingText(message) // true while the last part is text that is still streaming
 * ```
 */
export function isStreamingText(message: Message): boolean {
  if (message.status !== 'streaming') return false
  const last = message.parts[message.parts.length - 1]
  return last?.type === 'text' && last.state !== 'done'
}

/**
 * Whether a message is still being written (`pending` or `streaming`).
 *
 * @example
 * ```ts
 * isMessageActive(message) // false once complete, cancelled, errored or interrupted
 * ```
 */
export function isMessageActive(message: Pick<Message, 'status'>): boolean {
  return message.status === 'pending' || message.status === 'streaming'
}
