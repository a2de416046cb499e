/**
 * What a message keeps about its resumable stream (`metadata.streamId`) and the options of
 * `resume`: small and static, so the chat's first load holds them while the resumable transport
 * itself (`resume-stream.ts`) loads only when `resume` is on.
 *
 * @module
 */
import type { Message } from '../message.ts'

/** Options of `resume` in `createChat` / `useStreamingChat`. */
export interface ResumeOptions {
  /** Reconnections after drops, per answer, before it ends `interrupted`. Default 5. */
  attempts?: number
  /** Wait before the first reconnection, in ms; doubles each time, at most 5 s. Default 250. */
  delay?: number
}

/** The metadata key a message keeps its stream id under. */
export const streamIdMetadataKey = 'streamId'

/** The statuses a reload finds an answer in when it should follow it. */
const unfinishedStatuses: ReadonlySet<Message['status']> = new Set(['pending', 'streaming', 'interrupted'])

/**
 * The stream id a message carries (`metadata.streamId`), when it has one.
 *
 * @example
 * ```ts
 * messageStreamId(message) // '3f1c9a2e-…' for an answer sent with `resume`
 * ```
 */
export function messageStreamId(message: Message | undefined): string | undefined {
  const value = message?.metadata?.[streamIdMetadataKey]
  return typeof value === 'string' && value !== '' && value.length <= 128 ? value : undefined
}

/**
 * Whether a chat created on `message` (the conversation's last answer) should follow its stream:
 * it was sent with `resume` and had not finished when the conversation was saved.
 *
 * @example
 * ```ts
 * if (shouldFollowOnConnect(lastAnswer)) startFollowing()
 * ```
 */
export function shouldFollowOnConnect(message: Message | undefined): boolean {
  return (
    message?.role === 'assistant' &&
    unfinishedStatuses.has(message.status) &&
    messageStreamId(message) !== undefined
  )
}
