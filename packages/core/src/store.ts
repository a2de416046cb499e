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
import type { FilePart, Message } from './message.ts'
import {
  activePath,
  appendChild,
  appendPath,
  descendantsOf,
  emptyTree,
  type MessageTree,
  pathTo,
  removeFromTree,
  renameInTree,
  showBranch,
  treeFromSaved,
} from './message-tree.ts'
import { type ChatState, reduceChat } from './reducer.ts'
import { copyRecord, createRecord, hasOwnKey, ownValue, withEntry } from './safety/records.ts'

/** The chat's request status: `submitted` until the first byte, `streaming` until the end. */
export type ChatStatus = 'idle' | 'submitted' | 'streaming' | 'error'

/** What the store holds: the normalized messages, the request status and the write actions. */
export interface ChatStoreState extends ChatState {
  /**
   * Every version of the conversation (see `message-tree.ts`): `messages` holds the messages of
   * every branch, `messageIds` the shown path through this tree.
   */
  tree: MessageTree
  /** Messages sent while an answer streamed (`queue: true`), oldest first: sent when it ends. */
  queue: readonly QueuedMessage[]
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
  /** Remove one message (its children, if any, move up to its parent). */
  removeMessage(id: string): void
  /**
   * Give message `id` the id `newId` in its place (a socket server named the answer): the same
   * version of the same turn, shown where it was. A no-op when `id` is unknown or `newId` taken.
   */
  renameMessage(id: string, newId: string): void
  /**
   * Make room for a new version of `id`: the shown path ends at `id`'s parent, so the next
   * message added becomes `id`'s sibling (and the shown one). Every message is kept.
   */
  openBranchBeside(id: string): void
  /** Show the version `id` and its continuation. A no-op when `id` is unknown. */
  showBranch(id: string): void
  /** Replace the queue of messages waiting to be sent. */
  setQueue(queue: readonly QueuedMessage[]): void
}

/** A message waiting to be sent (see `ChatOptions.queue`). */
export interface QueuedMessage {
  id: string
  text: string
  /** Files attached to it (as `SendOptions.files`). */
  files?: readonly FilePart[]
}

/** A zustand vanilla store of one conversation. */
export type ChatStore = StoreApi<ChatStoreState>

/** Options for {@link createChatStore}. */
export interface ChatStoreOptions {
  /** Messages to start with (saved history). */
  messages?: readonly Message[]
}

/** Saved messages carry their place in the tree (`parentId`, `inactiveBranch`); the store does not. */
function withoutTreeFields(message: Message): Message {
  if (!('parentId' in message) && !('inactiveBranch' in message)) return message
  const { parentId: _parentId, inactiveBranch: _inactive, ...rest } = message
  return rest
}

/** Messages by id in a prototype-free record: saved history may hold any id, `__proto__` included. */
function normalize(messages: readonly Message[]): Pick<ChatStoreState, 'messageIds' | 'messages' | 'tree'> {
  const record = createRecord<Message>()
  for (const message of messages) record[message.id] = withoutTreeFields(message)
  const tree = messages.length === 0 ? emptyTree : treeFromSaved(messages)
  return { messageIds: activePath(tree), messages: record, tree }
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
    queue: Object.freeze([]),
    setQueue(queue) {
      set({ queue: Object.freeze([...queue]) })
    },
    apply(events) {
      if (events.length === 0) return
      const state = get()
      const next = reduceChat(state, events)
      if (next === state) return
      if (next.messageIds === state.messageIds) {
        set({ messages: next.messages })
        return
      }
      // New messages are appended to the shown path: they continue its last message.
      const added = next.messageIds.slice(state.messageIds.length)
      const tree = appendPath(state.tree, state.messageIds.at(-1) ?? null, added)
      set({ messageIds: next.messageIds, messages: next.messages, tree })
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
      const { messageIds, messages, tree } = get()
      if (hasOwnKey(messages, message.id)) {
        set({ messages: withEntry(messages, message.id, message) })
        return
      }
      set({
        messageIds: [...messageIds, message.id],
        messages: withEntry(messages, message.id, message),
        tree: appendChild(tree, messageIds.at(-1) ?? null, message.id),
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
      const { messageIds, messages, tree } = get()
      const index = messageIds.indexOf(id)
      if (index === -1 || index === messageIds.length - 1) return
      // The shown messages after `id`, and every version hanging from them.
      const gone = new Set<string>()
      for (const after of messageIds.slice(index + 1)) {
        gone.add(after)
        for (const below of descendantsOf(tree, after)) gone.add(below)
      }
      const record = copyRecord(messages)
      for (const goneId of gone) delete record[goneId]
      const nextTree = removeFromTree(tree, gone)
      set({ messageIds: activePath(nextTree), messages: record, tree: nextTree })
    },
    removeMessage(id) {
      const { messages, tree } = get()
      if (!hasOwnKey(messages, id)) return
      const record = copyRecord(messages)
      delete record[id]
      const nextTree = removeFromTree(tree, [id])
      set({ messageIds: activePath(nextTree), messages: record, tree: nextTree })
    },
    renameMessage(id, newId) {
      const { messageIds, messages, tree } = get()
      const current = ownValue(messages, id)
      if (current === undefined || hasOwnKey(messages, newId)) return
      const record = copyRecord(messages)
      delete record[id]
      record[newId] = { ...current, id: newId }
      set({
        messageIds: messageIds.map((shown) => (shown === id ? newId : shown)),
        messages: record,
        tree: renameInTree(tree, id, newId),
      })
    },
    openBranchBeside(id) {
      const { tree } = get()
      if (!tree.parent.has(id)) return
      const parentId = tree.parent.get(id) ?? null
      set({ messageIds: parentId === null ? [] : pathTo(tree, parentId) })
    },
    showBranch(id) {
      const { tree, messageIds } = get()
      const nextTree = showBranch(tree, id)
      const path = activePath(nextTree)
      if (nextTree === tree && path.length === messageIds.length && path.every((p, i) => p === messageIds[i]))
        return
      set({ tree: nextTree, messageIds: path })
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
 * Select the messages waiting to be sent (the same array until the queue changes).
 *
 * @example
 * ```ts
 * selectQueue(chat.getState()).map((queued) => queued.text) // ['And Porto?']
 * ```
 */
export function selectQueue(state: ChatStoreState): readonly QueuedMessage[] {
  return state.queue
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
