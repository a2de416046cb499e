/**
 * Selector hooks for the versions of a message (edited questions, regenerated answers).
 *
 * @module
 */
import { type BranchInfo, type Chat, selectBranchInfo, selectStreamingBranches } from '@sluice/core'
import { useMemo } from 'react'
import { useOptionalChat, useOptionalChatSelector } from '../components/use-optional-chat.ts'

const noStreaming: readonly number[] = []

/**
 * The versions of a message: `{ index, count, siblingIds }`, the same object until that
 * message's siblings or the shown one change (never per token). Without a chat (prop or
 * `ChatProvider`), one version.
 *
 * @example
 * ```tsx
 * const { index, count } = useBranchInfo(message.id)
 * return count > 1 ? <span>{index + 1} / {count}</span> : null
 * ```
 */
export function useBranchInfo(messageId: string, chat?: Chat): BranchInfo {
  const resolved = useOptionalChat(chat)
  // biome-ignore lint/correctness/useExhaustiveDependencies: one memoized selector per chat and message.
  const selector = useMemo(() => selectBranchInfo(messageId), [messageId, resolved])
  const single = useMemo<BranchInfo>(
    () => ({ messageId, index: 0, count: 1, siblingIds: [messageId] }),
    [messageId],
  )
  return useOptionalChatSelector(resolved, selector, single)
}

/**
 * The versions (0-based) of a message whose continuation is streaming right now: an answer
 * can keep streaming in a version the user switched away from. The same array until it changes.
 *
 * @example
 * ```tsx
 * const streaming = useStreamingBranches(message.id)
 * ```
 */
export function useStreamingBranches(messageId: string, chat?: Chat): readonly number[] {
  const resolved = useOptionalChat(chat)
  // biome-ignore lint/correctness/useExhaustiveDependencies: one memoized selector per chat and message.
  const selector = useMemo(() => selectStreamingBranches(messageId), [messageId, resolved])
  return useOptionalChatSelector(resolved, selector, noStreaming)
}
