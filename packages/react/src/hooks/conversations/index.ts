/**
 * Saved conversations with TanStack Query (`@tanstack/react-query` v5, an optional peer).
 *
 * @example
 * ```ts
 * import { useConversationChat, useConversations } from '@sluice/react/conversations'
 * ```
 * @module
 */
export {
  type Conversation,
  type ConversationEndpoints,
  conversationMessagesQuery,
  conversationQueryKeys,
  fetchConversationMessages,
  fetchConversations,
  parseConversations,
  parseMessages,
} from './conversation-queries.ts'
export {
  type ConversationChatOptions,
  type ConversationChatResult,
  useConversationChat,
} from './use-conversation-chat.ts'
export {
  type UseConversationsOptions,
  type UseConversationsResult,
  useConversations,
} from './use-conversations.ts'
