/**
 * The chat store: a zustand vanilla store holding one normalized conversation.
 *
 * Writes go through `apply(events)` (the reducer) and a few whole-message actions; reads go
 * through the selectors below, so a component that selects one message re-renders only when
 * that message object changes.
 *
 * @example
 * ```ts
 * import { createChatStore, selectMessage } from '@sluice/core'
 * const store = createChatStore()
 * store.getState().apply([{ type: 'message-start', messageId: 'm1' }])
 * selectMessage('m1')(store.getState())?.status // 'pending'
 * ```
 * @module
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ChatEvent } from './events.ts'
import type { Message } from './message.ts'
import { type ChatState, reduceChat } from './reducer.ts'
import { copyRecord, createRecord, hasOwnKey, ownValue, withEntry } from './safety/records.ts'

/** The chat's request status: `submitted` until the first byte, `streaming` until the end. */
export type ChatStatus = 'idle' | 'submitted' | 'streaming' | 'error'

/** What the store holds: the normalized messages, the request status and the write actions. */
export interface ChatStoreState extends ChatState {
  status: ChatStatus
  /** The last request error, while `status` is `error`. */
  error?: Error
  /** Fold events into the messages (one reducer pass for the whole batch). */
  apply(events: readonly ChatEvent[]): void
  setStatus(status: ChatStatus, error?: Error): void
  /** Replace the whole conversation (history loaded from a server, a conversation switch). */
  setMessages(messages: readonly Message[]): void
  /** Replace one message wholesale, or add it at the end. */
  upsertMessage(message: Message): void
  /** Change one message (metrics, edits). A no-op when the id is unknown. */
  updateMessage(id: string, update: (message: Message) => Message): void
  /** Remove the messages after `id` (regenerate, edit and resend). */
  removeMessagesAfter(id: string): void
  /** Remove one message. */
  removeMessage(id: string): void
}

/** A zustand vanilla store of one conversation. */
export type ChatStore = StoreApi<ChatStoreState>

/** Options for {@link createChatStore}. */
export interface ChatStoreOptions {
  /** Messages to start with (saved history). */
  messages?: readonly Message[]
}

/** Messages by id in a prototype-free record: saved history may hold any id, `__proto__` included. */
function normalize(messages: readonly Message[]): ChatState {
  const record = createRecord<Message>()
  const ids: string[] = []
  for (const message of messages) {
    if (!hasOwnKey(record, message.id)) ids.push(message.id)
    record[message.id] = message
  }
  return { messageIds: ids, messages: record }
}

/**
 * Create a chat store.
 *
 * @example
 * ```ts
 * const store = createChatStore({ messages: savedMessages })
 * const unsubscribe = store.subscribe((state) => console.log(state.status))
 * ```
 */
export function createChatStore(options: ChatStoreOptions = {}): ChatStore {
  return createStore<ChatStoreState>()((set, get) => ({
    ...normalize(options.messages ?? []),
    status: 'idle',
    apply(events) {
      if (events.length === 0) return
      const state = get()
      const next = reduceChat(state, events)
      if (next !== state) set({ messageIds: next.messageIds, messages: next.messages })
    },
    setStatus(status, error) {
      if (error === undefined) {
        set((state) => {
          const { error: _previous, ...rest } = state
          return { ...rest, status }
        }, true)
      } else {
        set({ status, error })
      }
    },
    setMessages(messages) {
      set(normalize(messages))
    },
    upsertMessage(message) {
      const { messageIds, messages } = get()
      set({
        messageIds: hasOwnKey(messages, message.id) ? messageIds : [...messageIds, message.id],
        messages: withEntry(messages, message.id, message),
      })
    },
    updateMessage(id, update) {
      const { messages } = get()
      const current = ownValue(messages, id)
      if (current === undefined) return
      const next = update(current)
      if (next !== current) set({ messages: withEntry(messages, id, next) })
    },
    removeMessagesAfter(id) {
      const { messageIds, messages } = get()
      const index = messageIds.indexOf(id)
      if (index === -1 || index === messageIds.length - 1) return
      const kept = messageIds.slice(0, index + 1)
      const record = createRecord<Message>()
      for (const keptId of kept) record[keptId] = ownValue(messages, keptId)!
      set({ messageIds: kept, messages: record })
    },
    removeMessage(id) {
      const { messageIds, messages } = get()
      if (!hasOwnKey(messages, id)) return
      const record = copyRecord(messages)
      delete record[id]
      set({ messageIds: messageIds.filter((other) => other !== id), messages: record })
    },
  }))
}

/**
 * Select one message by id (stable: the same object until that message changes).
 *
 * @example
 * ```ts
 * const message = selectMessage('m1')(store.getState())
 * ```
 */
export function selectMessage(id: string): (state: ChatState) => Message | undefined {
  return (state) => ownValue(state.messages, id)
}

/**
 * Select the ordered message ids (stable until a message is added or removed).
 *
 * @example
 * ```ts
 * selectMessageIds(store.getState()) // ['u1', 'a1']
 * ```
 */
export function selectMessageIds(state: ChatState): readonly string[] {
  return state.messageIds
}

/**
 * Select the chat status.
 *
 * @example
 * ```ts
 * selectChatStatus(store.getState()) // 'streaming'
 * ```
 */
export function selectChatStatus(state: ChatStoreState): ChatStatus {
  return state.status
}

/**
 * A selector of the messages as an array, memoized on the state's identity, so it returns the
 * same array until a message changes (safe for `useSyncExternalStore`).
 *
 * @example
 * ```ts
 * const selectMessages = createMessagesSelector()
 * selectMessages(store.getState()) === selectMessages(store.getState()) // true
 * ```
 */
export function createMessagesSelector(): (state: ChatState) => Message[] {
  let lastIds: readonly string[] | undefined
  let lastMessages: Readonly<Record<string, Message>> | undefined
  let result: Message[] = []
  return (state) => {
    if (state.messageIds !== lastIds || state.messages !== lastMessages) {
      lastIds = state.messageIds
      lastMessages = state.messages
      result = state.messageIds.map((id) => ownValue(state.messages, id)!)
    }
    return result
  }
}
