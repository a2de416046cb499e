/**
 * The React binding of the chat controller: `useStreamingChat`, the selector hooks and the
 * provider. Saved conversations (TanStack Query) are in `./conversations/`.
 *
 * @example
 * ```ts
 * import { ChatProvider, useMessage, useMessageIds, useStreamingChat } from '@sluice/react'
 * ```
 * @module
 */
export { ChatContext, ChatProvider, type ChatProviderProps, useChatContext } from './chat-context.tsx'
export { useBranchInfo, useStreamingBranches } from './use-branches.ts'
export {
  type BoundChatOptions,
  type StreamingChatOptions,
  type UseChatControllerOptions,
  useChatController,
} from './use-chat-controller.ts'
export {
  useChatError,
  useChatSelector,
  useChatStatus,
  useMessage,
  useMessageIds,
  useMessages,
} from './use-chat-selector.ts'
export {
  type UseStreamingChatOptions,
  type UseStreamingChatResult,
  useStreamingChat,
} from './use-streaming-chat.ts'
