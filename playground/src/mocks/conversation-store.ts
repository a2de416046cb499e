/**
 * The mocked conversation backend's storage: `localStorage`, so saved conversations survive a
 * reload (and a rebuild) exactly as they would with a real server.
 *
 * @module
 */
import { type Message, messageText } from '@sluice/core'

/** One saved conversation. */
export interface StoredConversation {
  id: string
  title: string
  /** Epoch ms of the last save; the list is newest first. */
  updatedAt: number
  messages: Message[]
}

/** The `localStorage` key that holds every saved conversation. */
export const conversationStorageKey = 'sluice-playground:conversations'

const titleLength = 48

function readAll(): Record<string, StoredConversation> {
  try {
    const raw = localStorage.getItem(conversationStorageKey)
    const parsed: unknown = raw === null ? {} : JSON.parse(raw)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, StoredConversation>) : {}
  } catch {
    // Corrupt storage (edited by hand, another version): start empty rather than break the page.
    return {}
  }
}

function writeAll(conversations: Record<string, StoredConversation>): void {
  localStorage.setItem(conversationStorageKey, JSON.stringify(conversations))
}

/**
 * The title a conversation gets from its first user message.
 *
 * @example
 * ```ts
 * titleFor([{ id: 'u1', role: 'user', status: 'complete', parts: [{ type: 'text', id: 't', text: 'Hello there', state: 'done' }] }]) // 'Hello there'
 * ```
 */
export function titleFor(messages: readonly Message[]): string {
  const first = messages.find((message) => message.role === 'user')
  const text = first ? messageText(first).replace(/\s+/g, ' ').trim() : ''
  if (text === '') return 'New conversation'
  return text.length > titleLength ? `${text.slice(0, titleLength - 1)}…` : text
}

/**
 * Every saved conversation, newest first, without its messages.
 *
 * @example
 * ```ts
 * listConversations()[0]?.title
 * ```
 */
export function listConversations(): Omit<StoredConversation, 'messages'>[] {
  return Object.values(readAll())
    .sort((left, right) => right.updatedAt - left.updatedAt)
    .map(({ id, title, updatedAt }) => ({ id, title, updatedAt }))
}

/**
 * One conversation's messages, or `undefined` when it was never saved.
 *
 * @example
 * ```ts
 * loadMessages('c-1') ?? []
 * ```
 */
export function loadMessages(id: string): Message[] | undefined {
  return readAll()[id]?.messages
}

/**
 * Save a conversation's messages (creating it when new). Messages still streaming are saved as
 * `interrupted`: after a reload nothing will finish them.
 *
 * @example
 * ```ts
 * saveMessages('c-1', chat.getState().messageIds.map((id) => chat.getState().messages[id]!))
 * ```
 */
export function saveMessages(id: string, messages: readonly Message[], now: number): StoredConversation {
  const all = readAll()
  const settled = messages.map((message) =>
    message.status === 'pending' || message.status === 'streaming'
      ? { ...message, status: 'interrupted' as const }
      : message,
  )
  const conversation: StoredConversation = {
    id,
    title: all[id]?.title ?? titleFor(settled),
    updatedAt: now,
    messages: settled,
  }
  if (conversation.title === 'New conversation') conversation.title = titleFor(settled)
  all[id] = conversation
  writeAll(all)
  return conversation
}

/**
 * Delete a conversation; `false` when there was none.
 *
 * @example
 * ```ts
 * deleteConversation('c-1')
 * ```
 */
export function deleteConversation(id: string): boolean {
  const all = readAll()
  if (all[id] === undefined) return false
  delete all[id]
  writeAll(all)
  return true
}
