/**
 * Saved conversations, listed with `useConversations` (TanStack Query over the mocked REST
 * backend, stored in `localStorage`).
 *
 * @module
 */
import { conversationQueryKeys, useConversations } from '@sluice/react/conversations'
import { useQueryClient } from '@tanstack/react-query'
import { conversationEndpoints, deleteSavedConversation } from '../chat/conversation-api.ts'
import { readUrlState, serializeUrlState } from '../settings/url-state.ts'

/** Props of {@link ConversationSidebar}. */
export interface ConversationSidebarProps {
  openId: string
  onOpen(id: string): void
  onNew(): void
}

/** The conversation list. */
export function ConversationSidebar({ openId, onOpen, onNew }: ConversationSidebarProps) {
  const queryClient = useQueryClient()
  const { conversations, query, prefetchMessages } = useConversations(conversationEndpoints)
  return (
    <nav className="playground-sidebar" aria-label="Conversations">
      <button type="button" className="sidebar-new" onClick={onNew}>
        New conversation
      </button>
      {query.isPending ? <p className="sidebar-note">Loading…</p> : null}
      {query.error ? (
        <p className="sidebar-note" role="alert">
          {query.error.message}
        </p>
      ) : null}
      {!query.isPending && conversations.length === 0 ? (
        <p className="sidebar-note">No saved conversations yet.</p>
      ) : null}
      <ul>
        {conversations.map((conversation) => {
          const title = typeof conversation.title === 'string' ? conversation.title : conversation.id
          const href = serializeUrlState({ ...readUrlState(), conversation: conversation.id })
          return (
            <li key={conversation.id}>
              <a
                href={href}
                aria-current={conversation.id === openId ? 'page' : undefined}
                onMouseEnter={() => void prefetchMessages(conversation.id)}
                onFocus={() => void prefetchMessages(conversation.id)}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
                  event.preventDefault()
                  onOpen(conversation.id)
                }}
              >
                {title}
              </a>
              <button
                type="button"
                className="sidebar-delete"
                aria-label={`Delete conversation "${title}"`}
                title="Delete"
                onClick={async () => {
                  await deleteSavedConversation(conversation.id)
                  queryClient.removeQueries({ queryKey: conversationQueryKeys().messages(conversation.id) })
                  await queryClient.invalidateQueries({ queryKey: conversationQueryKeys().list })
                  if (conversation.id === openId) onNew()
                }}
              >
                ×
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
