/**
 * The playground's conversation endpoints (served by the mock REST backend in
 * `mocks/conversation-handlers.ts`, whatever chat backend is selected).
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { pageUrl } from './request-config.ts'

/** The endpoints `useConversations` and `useConversationChat` read. */
export const conversationEndpoints = {
  listUrl: pageUrl('api/conversations'),
  messagesUrl: (conversationId: string) =>
    pageUrl(`api/conversations/${encodeURIComponent(conversationId)}/messages`),
}

/**
 * Save a conversation's messages (`PUT`), so it is listed and survives a reload.
 *
 * @example
 * ```ts
 * await saveConversation('c-1', messages)
 * ```
 */
export async function saveConversation(conversationId: string, messages: readonly Message[]): Promise<void> {
  const url = conversationEndpoints.messagesUrl(conversationId)
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  })
  if (!response.ok) {
    throw new Error(`Saving conversation "${conversationId}" failed: PUT ${url} answered ${response.status}.`)
  }
}

/**
 * Delete a saved conversation.
 *
 * @example
 * ```ts
 * await deleteSavedConversation('c-1')
 * ```
 */
export async function deleteSavedConversation(conversationId: string): Promise<void> {
  const url = pageUrl(`api/conversations/${encodeURIComponent(conversationId)}`)
  const response = await fetch(url, { method: 'DELETE' })
  if (!response.ok && response.status !== 404) {
    throw new Error(
      `Deleting conversation "${conversationId}" failed: DELETE ${url} answered ${response.status}.`,
    )
  }
}
