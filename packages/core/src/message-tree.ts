/**
 * The branch tree of a conversation: every message has a parent (`null` for the first ones),
 * siblings are the versions of one turn (an edited question, a regenerated answer), and each
 * parent remembers which child is shown. The shown path, root to leaf, is the store's
 * `messageIds`.
 *
 * Immutable and keyed by `Map` (ids from saved data or the wire may be any string, `__proto__`
 * included); every operation returns a new tree and leaves its input untouched. Nothing here
 * recurses: a saved chain 100,000 messages deep is walked with loops, and a cycle in saved
 * `parentId`s is cut (its members become roots) rather than followed forever.
 *
 * @example
 * ```ts
 * let tree = treeFromPath(['u1', 'a1'])
 * tree = appendChild(tree, 'u1', 'a2') // a regenerated answer: a sibling of a1, now shown
 * activePath(tree) // ['u1', 'a2']
 * siblingsOf(tree, 'a1') // ['a1', 'a2']
 * ```
 * @module
 */

/** The branch tree: parents, ordered children, and the shown child of each parent. */
export interface MessageTree {
  /** Each message's parent; `null` for a first message (a root). */
  readonly parent: ReadonlyMap<string, string | null>
  /** The children of each message (and of `null`, the roots), oldest first. */
  readonly children: ReadonlyMap<string | null, readonly string[]>
  /** The shown child of each parent that has several; the newest when absent. */
  readonly active: ReadonlyMap<string | null, string>
}

/** A tree with no messages. */
export const emptyTree: MessageTree = Object.freeze({
  parent: new Map<string, string | null>(),
  children: new Map<string | null, readonly string[]>(),
  active: new Map<string | null, string>(),
})

/** A tree of one linear path (history without branches). */
export function treeFromPath(ids: readonly string[]): MessageTree {
  const parent = new Map<string, string | null>()
  const children = new Map<string | null, readonly string[]>()
  let previous: string | null = null
  for (const id of ids) {
    if (parent.has(id)) continue
    parent.set(id, previous)
    children.set(previous, [...(children.get(previous) ?? []), id])
    previous = id
  }
  return { parent, children, active: new Map() }
}

/**
 * Add `id` as the newest child of `parentId` (`null`: a root) and show it.
 * A no-op (the same tree) when `id` is already in the tree.
 */
export function appendChild(tree: MessageTree, parentId: string | null, id: string): MessageTree {
  if (tree.parent.has(id)) return tree
  const parent = new Map(tree.parent).set(id, parentId)
  const children = new Map(tree.children).set(parentId, [...(tree.children.get(parentId) ?? []), id])
  const active = new Map(tree.active).set(parentId, id)
  return { parent, children, active }
}

/** Append a chain: each id the child of the one before it, the first the child of `parentId`. */
export function appendPath(tree: MessageTree, parentId: string | null, ids: readonly string[]): MessageTree {
  let next = tree
  let previous = parentId
  for (const id of ids) {
    next = appendChild(next, previous, id)
    previous = id
  }
  return next
}

/** The shown child of `parentId`, if it has children. */
function shownChild(tree: MessageTree, parentId: string | null): string | undefined {
  const kids = tree.children.get(parentId)
  if (kids === undefined || kids.length === 0) return undefined
  const chosen = tree.active.get(parentId)
  return chosen !== undefined && kids.includes(chosen) ? chosen : kids[kids.length - 1]
}

/** The shown path below `from` (excluded), following each parent's shown child to a leaf. */
export function pathBelow(tree: MessageTree, from: string | null): string[] {
  const path: string[] = []
  const seen = new Set<string>()
  let next = shownChild(tree, from)
  while (next !== undefined && !seen.has(next)) {
    seen.add(next)
    path.push(next)
    next = shownChild(tree, next)
  }
  return path
}

/** The shown path, root to leaf. */
export function activePath(tree: MessageTree): string[] {
  return pathBelow(tree, null)
}

/** The path from the root to `id` (included); empty when `id` is not in the tree. */
export function pathTo(tree: MessageTree, id: string): string[] {
  if (!tree.parent.has(id)) return []
  const path: string[] = []
  const seen = new Set<string>()
  let current: string | null | undefined = id
  while (current !== null && current !== undefined && !seen.has(current)) {
    seen.add(current)
    path.push(current)
    current = tree.parent.get(current)
  }
  return path.reverse()
}

/** The versions of `id`'s turn: its parent's children, oldest first (`[id]` without siblings). */
export function siblingsOf(tree: MessageTree, id: string): readonly string[] {
  if (!tree.parent.has(id)) return [id]
  return tree.children.get(tree.parent.get(id) ?? null) ?? [id]
}

/** Show `id` (and its own shown continuation): it becomes the shown child of its parent. */
export function showBranch(tree: MessageTree, id: string): MessageTree {
  if (!tree.parent.has(id)) return tree
  const parentId = tree.parent.get(id) ?? null
  if (shownChild(tree, parentId) === id) return tree
  return { ...tree, active: new Map(tree.active).set(parentId, id) }
}

/**
 * `id` takes the name `newId` in its place: the same parent, the same place among its
 * siblings, shown where it was shown, with its children. The same tree when `id` is unknown or
 * `newId` is already taken. O(messages): it runs once per answer a socket server names.
 */
export function renameInTree(tree: MessageTree, id: string, newId: string): MessageTree {
  if (!tree.parent.has(id) || tree.parent.has(newId) || id === newId) return tree
  const swap = <Value extends string | null>(value: Value): Value | string => (value === id ? newId : value)
  const parent = new Map<string, string | null>()
  for (const [child, parentId] of tree.parent) parent.set(swap(child), swap(parentId))
  const children = new Map<string | null, readonly string[]>()
  for (const [parentId, kids] of tree.children)
    children.set(swap(parentId), kids.includes(id) ? kids.map(swap) : kids)
  const active = new Map<string | null, string>()
  for (const [parentId, chosen] of tree.active) active.set(swap(parentId), swap(chosen))
  return { parent, children, active }
}

/** Every id below `id` (excluded), any branch. */
export function descendantsOf(tree: MessageTree, id: string): string[] {
  const found: string[] = []
  const seen = new Set<string>([id])
  const stack = [...(tree.children.get(id) ?? [])]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    found.push(next)
    stack.push(...(tree.children.get(next) ?? []))
  }
  return found
}

/**
 * Remove `ids` from the tree. A removed message's children move up to its parent (removing a
 * whole subtree: pass its descendants too).
 */
export function removeFromTree(tree: MessageTree, ids: Iterable<string>): MessageTree {
  const removed = new Set<string>()
  for (const id of ids) if (tree.parent.has(id)) removed.add(id)
  if (removed.size === 0) return tree
  const parent = new Map<string, string | null>()
  const children = new Map<string | null, readonly string[]>()
  const active = new Map(tree.active)
  // A parent's new children: its kept children, and in a removed child's place the kept
  // children of that child (and so on down), in the old order.
  const keptChildren = (parentId: string | null): string[] => {
    const kept: string[] = []
    const stack = [...(tree.children.get(parentId) ?? [])].reverse()
    const seen = new Set<string>()
    while (stack.length > 0) {
      const next = stack.pop()!
      if (seen.has(next)) continue
      seen.add(next)
      if (!removed.has(next)) kept.push(next)
      else stack.push(...[...(tree.children.get(next) ?? [])].reverse())
    }
    return kept
  }
  for (const parentId of tree.children.keys()) {
    if (parentId !== null && removed.has(parentId)) continue
    const kept = keptChildren(parentId)
    if (kept.length === 0) continue
    children.set(parentId, kept)
    for (const kid of kept) parent.set(kid, parentId)
  }
  for (const id of removed) active.delete(id)
  for (const [parentId, chosen] of tree.active) {
    if (removed.has(chosen) && active.get(parentId) === chosen) active.delete(parentId)
  }
  return { parent, children, active }
}

/** How a saved message records its place in the tree (see `snapshotMessages`). */
export interface TreeFields {
  /** The message before it on its branch; `null` for a first message. */
  parentId?: string | null | undefined
  /** `true` on a version that is not the shown one among its siblings. */
  inactiveBranch?: boolean | undefined
}

/**
 * Build the tree of saved messages. A message without `parentId` follows the message before
 * it in the list (so a history saved without branches is one path); a `parentId` that names no
 * message, or that would close a cycle, makes the message a root. Of a parent's children the
 * shown one is the last that is not marked `inactiveBranch`.
 */
export function treeFromSaved(messages: readonly (TreeFields & { id: string })[]): MessageTree {
  const known = new Set(messages.map((message) => message.id))
  const parent = new Map<string, string | null>()
  const children = new Map<string | null, string[]>()
  const active = new Map<string | null, string>()
  let previous: string | null = null
  for (const message of messages) {
    if (parent.has(message.id)) continue
    const wanted: string | null =
      message.parentId === undefined
        ? previous
        : typeof message.parentId === 'string'
          ? message.parentId
          : null
    const parentId = wanted !== null && known.has(wanted) && wanted !== message.id ? wanted : null
    parent.set(message.id, parentId)
    previous = message.id
  }
  // Cut cycles: walk up from each message until a message already settled; a walk that meets
  // itself has found a cycle, and the message where it closed becomes a root. O(messages).
  const settled = new Set<string>()
  for (const start of parent.keys()) {
    const walk = new Set<string>()
    let current: string | null = start
    while (current !== null && !settled.has(current)) {
      if (walk.has(current)) {
        parent.set(current, null)
        break
      }
      walk.add(current)
      current = parent.get(current) ?? null
    }
    for (const id of walk) settled.add(id)
  }
  for (const [id, parentId] of parent) {
    const kids = children.get(parentId)
    if (kids === undefined) children.set(parentId, [id])
    else kids.push(id)
  }
  for (const message of messages) {
    if (message.inactiveBranch === true || !parent.has(message.id)) continue
    active.set(parent.get(message.id) ?? null, message.id)
  }
  return { parent, children, active }
}
