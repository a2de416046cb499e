'use client'

/**
 * `useConversations`: the saved conversations, from a REST endpoint, through TanStack Query.
 *
 * @module
 */
import { type QueryClient, type UseQueryResult, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import {
  type Conversation,
  type ConversationEndpoints,
  conversationMessagesQuery,
  conversationQueryKeys,
  fetchConversations,
} from './conversation-queries.ts'

/** Options of {@link useConversations}. */
export interface UseConversationsOptions extends ConversationEndpoints {
  /** `GET` returns the conversations: `Conversation[]` or `{ conversations: Conversation[] }`. */
  listUrl: string
  /** The query client; the one from `QueryClientProvider` by default. */
  queryClient?: QueryClient
}

/** What {@link useConversations} returns. */
export interface UseConversationsResult {
  /** The conversations, in the server's order; empty until loaded. */
  conversations: readonly Conversation[]
  /** The list query: `isPending`, `error`, `refetch`, … */
  query: UseQueryResult<Conversation[], Error>
  /** Load a conversation's messages into the cache ahead of time (on hover, say). */
  prefetchMessages(conversationId: string): Promise<void>
}

const noConversations: readonly Conversation[] = []

/**
 * List the saved conversations. Pair it with `useConversationChat` (same endpoints) to open
 * one: its saved messages show first, new answers stream after them, and the cache follows.
 * A finished answer refetches this list (titles and order may change on the server).
 *
 * Needs `@tanstack/react-query` v5 and a `QueryClientProvider`.
 *
 * @example
 * ```tsx
 * const endpoints = {
 *   listUrl: '/api/conversations',
 *   messagesUrl: (id: string) => `/api/conversations/${id}/messages`,
 * }
 * function Sidebar({ onOpen }: { onOpen: (id: string) => void }) {
 *   const { conversations, query, prefetchMessages } = useConversations(endpoints)
 *   if (query.isPending) return <p>Loading…</p>
 *   return (
 *     <ul>
 *       {conversations.map((conversation) => (
 *         <li key={conversation.id}>
 *           <button type="button" onMouseEnter={() => prefetchMessages(conversation.id)} onClick={() => onOpen(conversation.id)}>
 *             {conversation.title ?? conversation.id}
 *           </button>
 *         </li>
 *       ))}
 *     </ul>
 *   )
 * }
 * ```
 */
export function useConversations(options: UseConversationsOptions): UseConversationsResult {
  const contextClient = useQueryClient(options.queryClient)
  const query = useQuery(
    {
      queryKey: conversationQueryKeys(options.queryKey).list,
      queryFn: ({ signal }) => fetchConversations(options, signal),
    },
    contextClient,
  )
  const { listUrl, messagesUrl, fetch, queryKey } = options
  const prefetchMessages = useCallback(
    (conversationId: string) =>
      contextClient.prefetchQuery(
        conversationMessagesQuery(
          { listUrl, messagesUrl, ...(fetch ? { fetch } : {}), ...(queryKey ? { queryKey } : {}) },
          conversationId,
        ),
      ),
    [contextClient, listUrl, messagesUrl, fetch, queryKey],
  )
  return { conversations: query.data ?? noConversations, query, prefetchMessages }
}
