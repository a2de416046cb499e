/**
 * Releases a chat when the last component using it unmounts: the stream is stopped (or left to
 * finish into the store) and the chat's connections are closed.
 *
 * @module
 */
import type { Chat } from '@sluice/core'
import { useEffect, useInsertionEffect, useRef } from 'react'

/** How many mounted effects hold each chat (several hooks may bind the same chat). */
const holders = new WeakMap<Chat, number>()

/**
 * Dispose `chat` when no mounted component holds it any more. `keepStreaming(chat)` is asked at
 * that moment whether the answer in progress may finish into the store in the background.
 *
 * StrictMode runs an effect's cleanup and the effect again within one commit; releasing a
 * microtask later lets that remount keep the chat (and its requests) alive, so the double
 * mount neither disposes the chat nor sends anything twice.
 *
 * @example
 * ```ts
 * useReleaseOnUnmount(chat, () => options.keepStreamingOnUnmount === true)
 * ```
 */
export function useReleaseOnUnmount(chat: Chat | undefined, keepStreaming: (chat: Chat) => boolean): void {
  const keepStreamingRef = useRef(keepStreaming)
  useInsertionEffect(() => {
    keepStreamingRef.current = keepStreaming
  })
  useEffect(() => {
    if (chat === undefined) return
    // Subscribe to server-pushed messages only once mounted (see useChatController); idempotent.
    chat.connect()
    holders.set(chat, (holders.get(chat) ?? 0) + 1)
    return () => {
      holders.set(chat, (holders.get(chat) ?? 1) - 1)
      queueMicrotask(() => {
        if ((holders.get(chat) ?? 0) > 0) return
        chat.dispose(keepStreamingRef.current(chat) ? { keepStreaming: true } : undefined)
      })
    }
  }, [chat])
}
