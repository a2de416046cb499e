/**
 * Reading the branch tree: the versions of a message (for a picker) and the whole tree in its
 * saved form (for `setMessages` after a reload).
 *
 * @example
 * ```ts
 * import { selectBranchInfo, snapshotMessages } from '@sluice/core'
 * selectBranchInfo('a2')(chat.getState()) // { messageId: 'a2', index: 1, count: 2, siblingIds: ['a1', 'a2'] }
 * await save(snapshotMessages(chat.getState())) // every version, restorable with setMessages
 * ```
 * @module
 */
import type { Message } from './message.ts'
import { type MessageTree, siblingsOf } from './message-tree.ts'
import { ownValue } from './safety/records.ts'
import type { ChatStoreState } from './store.ts'

/** The versions of one turn, as a branch picker shows them. */
export interface BranchInfo {
  /** The message asked about. */
  messageId: string
  /** Which version is shown, 0-based (the position of the shown sibling). */
  index: number
  /** How many versions there are (1 without siblings). */
  count: number
  /** Every version's id, oldest first. */
  siblingIds: readonly string[]
}

/** The shown sibling among `siblings`: the one on the shown path. */
function shownIndex(
  state: Pick<ChatStoreState, 'messageIds'>,
  siblings: readonly string[],
  id: string,
): number {
  // A picker sits on a shown message: it is usually the one asked about.
  const own = siblings.indexOf(id)
  if (own !== -1 && state.messageIds.includes(id)) return own
  const index = siblings.findIndex((sibling) => state.messageIds.includes(sibling))
  return index === -1 ? Math.max(own, 0) : index
}

/**
 * Select the versions of `messageId`'s turn. Memoized: the same object until they change
 * (safe for `useSyncExternalStore`; a token re-renders no picker).
 *
 * @example
 * ```ts
 * const info = selectBranchInfo(message.id)(chat.getState())
 * info.count > 1 // show "‹ index + 1 / count ›"
 * ```
 */
export function selectBranchInfo(messageId: string): (state: ChatStoreState) => BranchInfo {
  let lastTree: MessageTree | undefined
  let lastIds: readonly string[] | undefined
  let result: BranchInfo = { messageId, index: 0, count: 1, siblingIds: [messageId] }
  return (state) => {
    if (state.tree === lastTree && state.messageIds === lastIds) return result
    lastTree = state.tree
    lastIds = state.messageIds
    const siblings = siblingsOf(state.tree, messageId)
    const index = shownIndex(state, siblings, messageId)
    const same =
      result.index === index &&
      result.count === siblings.length &&
      result.siblingIds.every((sibling, position) => sibling === siblings[position])
    if (!same) result = { messageId, index, count: siblings.length, siblingIds: siblings }
    return result
  }
}

/** Whether a message is still being written (its answer streams, maybe in a hidden branch). */
function isLive(message: Message | undefined): boolean {
  return message !== undefined && (message.status === 'pending' || message.status === 'streaming')
}

/** The live messages of a messages record, found once per record (every picker shares it). */
const liveByMessages = new WeakMap<object, readonly string[]>()

function liveIds(messages: ChatStoreState['messages']): readonly string[] {
  let ids = liveByMessages.get(messages)
  if (ids === undefined) {
    ids = Object.keys(messages).filter((id) => isLive(ownValue(messages, id)))
    liveByMessages.set(messages, ids)
  }
  return ids
}

/** The ancestors of a message (itself included), found once per tree and message. */
const ancestorsByTree = new WeakMap<MessageTree, Map<string, ReadonlySet<string>>>()

function lineOf(tree: MessageTree, id: string): ReadonlySet<string> {
  let byId = ancestorsByTree.get(tree)
  if (byId === undefined) {
    byId = new Map()
    ancestorsByTree.set(tree, byId)
  }
  let line = byId.get(id)
  if (line === undefined) {
    const found = new Set<string>()
    // The tree is built by the store (no cycles), but a parent seen twice ends the walk anyway.
    for (
      let at: string | null | undefined = id;
      typeof at === 'string' && !found.has(at);
      at = tree.parent.get(at)
    )
      found.add(at)
    line = found
    byId.set(id, line)
  }
  return line
}

/**
 * The versions (0-based) of `messageId`'s turn, other than the shown one, that have a message
 * being written in them: the version itself, or any message under it (the answer to an edited
 * question, or a later turn of that version, however deep). Memoized: the same array until it
 * changes. Each call costs the number of versions times the live messages (one, while an answer
 * streams); the live messages are found once per store update and the line of each once per
 * tree, for all pickers.
 *
 * @example
 * ```ts
 * selectStreamingBranches('a1')(chat.getState()) // [1]: the regenerated answer streams
 * ```
 */
export function selectStreamingBranches(messageId: string): (state: ChatStoreState) => readonly number[] {
  let result: readonly number[] = []
  return (state) => {
    const { tree } = state
    const siblings = siblingsOf(tree, messageId)
    const live: number[] = []
    if (siblings.length < 2) {
      result = result.length === 0 ? result : live
      return result
    }
    const lines = liveIds(state.messages).map((id) => lineOf(tree, id))
    // The shown version is left out (its own row shows it streaming), so an answer streaming at
    // the end of the conversation changes no picker above it: one row re-renders per token.
    const chosen = tree.active.get(tree.parent.get(messageId) ?? null)
    const shown = chosen !== undefined && siblings.includes(chosen) ? chosen : siblings[siblings.length - 1]
    siblings.forEach((sibling, index) => {
      if (sibling !== shown && lines.some((line) => line.has(sibling))) live.push(index)
    })
    if (live.length !== result.length || live.some((index, position) => index !== result[position]))
      result = live
    return result
  }
}

/**
 * Every message of every branch in its saved form: each with `parentId`, and `inactiveBranch`
 * on versions not shown. `setMessages(snapshot)` (or `createChat({ messages })`) restores the
 * same tree and the same shown path; a list without these fields loads as one path. Parents
 * come before their children.
 *
 * @example
 * ```ts
 * localStorage.setItem('chat', JSON.stringify(snapshotMessages(chat.getState())))
 * chat.setMessages(JSON.parse(localStorage.getItem('chat') ?? '[]'))
 * ```
 */
export function snapshotMessages(state: Pick<ChatStoreState, 'tree' | 'messages' | 'messageIds'>): Message[] {
  const { tree } = state
  const shown = (parentId: string | null, id: string): boolean => {
    const kids = tree.children.get(parentId) ?? []
    const chosen = tree.active.get(parentId)
    return (chosen !== undefined && kids.includes(chosen) ? chosen : kids[kids.length - 1]) === id
  }
  const result: Message[] = []
  const seen = new Set<string>()
  const stack = [...(tree.children.get(null) ?? [])].reverse()
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    const message = ownValue(state.messages, id)
    if (message !== undefined) {
      const parentId = tree.parent.get(id) ?? null
      const saved: Message = { ...message, parentId }
      if (!shown(parentId, id)) saved.inactiveBranch = true
      result.push(saved)
    }
    stack.push(...[...(tree.children.get(id) ?? [])].reverse())
  }
  return result
}
