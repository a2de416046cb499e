/**
 * The mocked REST backend for saved conversations, served by the MSW service worker:
 *
 * - `GET    /api/conversations`              → `[{ id, title, updatedAt }]`, newest first
 * - `GET    /api/conversations/:id/messages` → `Message[]` (empty for a conversation never saved)
 * - `PUT    /api/conversations/:id/messages` → `{ messages }` saves them (creates the conversation)
 * - `DELETE /api/conversations/:id`          → 204
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { HttpResponse, http } from 'msw'
import { deleteConversation, listConversations, loadMessages, saveMessages } from './conversation-store.ts'

function isMessageList(value: unknown): value is Message[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as Message).id === 'string' &&
        typeof (item as Message).role === 'string' &&
        Array.isArray((item as Message).parts),
    )
  )
}

/** The handlers; they match any origin, like every Sluice mock. */
export const conversationHandlers = [
  http.get('*/api/conversations', () => HttpResponse.json(listConversations())),
  http.get('*/api/conversations/:id/messages', ({ params }) => {
    // A conversation never saved is a new, empty one (an empty list rather than a 404, which
    // `useConversationChat` also accepts, keeps the console quiet).
    return HttpResponse.json(loadMessages(String(params.id)) ?? [])
  }),
  http.put('*/api/conversations/:id/messages', async ({ params, request }) => {
    const body: unknown = await request.json().catch(() => undefined)
    const messages =
      typeof body === 'object' && body !== null ? (body as { messages?: unknown }).messages : undefined
    if (!isMessageList(messages)) {
      return HttpResponse.json(
        {
          error:
            'PUT /api/conversations/:id/messages expects { messages: Message[] } (each with id, role, parts).',
        },
        { status: 400 },
      )
    }
    const saved = saveMessages(String(params.id), messages, Date.now())
    return HttpResponse.json({ id: saved.id, title: saved.title, updatedAt: saved.updatedAt })
  }),
  http.delete('*/api/conversations/:id', ({ params }) =>
    deleteConversation(String(params.id))
      ? new HttpResponse(null, { status: 204 })
      : HttpResponse.json({ error: `No conversation "${String(params.id)}".` }, { status: 404 }),
  ),
]
