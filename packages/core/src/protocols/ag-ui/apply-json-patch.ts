/**
 * RFC 6902 JSON Patch, applied immutably, for AG-UI `STATE_DELTA` events.
 *
 * Only the containers on a patched path are copied, so an untouched branch of the state keeps
 * its identity (a component that selects it does not re-render).
 *
 * @module
 */
import { isForbiddenKey, stringifyWireValue } from '../shared/wire-value.ts'

/** A patch operation failed to apply (bad pointer, missing path, failed `test`). */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError'
}

/** RFC 6901: "" is the whole document; every token is prefixed by "/", with ~1 → "/" and ~0 → "~". */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`"${pointer}" is not a JSON Pointer: it must be "" or start with "/".`)
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
  // `parent[token] = value` with these would rewrite a prototype instead of adding a key.
  const forbidden = tokens.find((token) => isForbiddenKey(token))
  if (forbidden !== undefined)
    throw new JsonPatchError(
      `"${pointer}" goes through "${forbidden}", which Sluice refuses in a patch path because writing it changes an object's prototype.`,
    )
  return tokens
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null
}

function arrayIndex(array: readonly unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new JsonPatchError(`"${token}" is not an array index.`)
  const index = Number(token)
  if (index > array.length || (!forInsert && index === array.length)) {
    throw new JsonPatchError(`Array index ${index} is out of bounds (length ${array.length}).`)
  }
  return index
}

function getAt(document: unknown, tokens: readonly string[]): unknown {
  let current = document
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false)]
    else if (isContainer(current) && Object.hasOwn(current, token))
      current = (current as Record<string, unknown>)[token]
    else throw new JsonPatchError(`The path "/${tokens.join('/')}" does not exist.`)
  }
  return current
}

/** Returns a copy of `document` with `change` applied to the container at `tokens` (minus the last). */
function updateAt(
  document: unknown,
  tokens: readonly string[],
  change: (parent: Record<string, unknown> | unknown[], last: string) => void,
): unknown {
  if (tokens.length === 0) throw new JsonPatchError('Cannot change the parent of the whole document.')
  const copy = (value: unknown): Record<string, unknown> | unknown[] => {
    if (Array.isArray(value)) return value.slice()
    if (isContainer(value)) return { ...value }
    throw new JsonPatchError(
      `The path "/${tokens.join('/')}" goes through a value that is not an object or array.`,
    )
  }
  const root = copy(document)
  let parent = root
  for (const token of tokens.slice(0, -1)) {
    const key = Array.isArray(parent) ? arrayIndex(parent, token, false) : token
    const child = (parent as Record<string | number, unknown>)[key]
    if (!Array.isArray(parent) && !Object.hasOwn(parent, token)) {
      throw new JsonPatchError(`The path "/${tokens.join('/')}" does not exist.`)
    }
    const next = copy(child)
    ;(parent as Record<string | number, unknown>)[key] = next
    parent = next
  }
  change(parent, tokens[tokens.length - 1]!)
  return root
}

function add(document: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value
  return updateAt(document, tokens, (parent, last) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value)
    else parent[last] = value
  })
}

function remove(document: unknown, tokens: readonly string[]): unknown {
  if (tokens.length === 0) throw new JsonPatchError('Cannot remove the whole document.')
  return updateAt(document, tokens, (parent, last) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1)
    else if (Object.hasOwn(parent, last)) delete parent[last]
    else throw new JsonPatchError(`The path "/${tokens.join('/')}" does not exist.`)
  })
}

/**
 * Apply a JSON Patch (RFC 6902) to a JSON document without changing it. Throws
 * {@link JsonPatchError} when an operation cannot apply; the document is then unchanged.
 *
 * @example
 * ```ts
 * applyJsonPatch({ count: 1 }, [{ op: 'replace', path: '/count', value: 2 }]) // { count: 2 }
 * ```
 */
export function applyJsonPatch(document: unknown, patch: readonly unknown[]): unknown {
  let result = document
  for (const operation of patch) {
    if (!isContainer(operation) || Array.isArray(operation))
      throw new JsonPatchError('A patch operation must be an object.')
    const { op, path, from, value } = operation as Record<string, unknown>
    if (typeof path !== 'string') throw new JsonPatchError(`Operation "${String(op)}" has no "path".`)
    const tokens = parsePointer(path)
    switch (op) {
      case 'add':
        result = add(result, tokens, value)
        break
      case 'remove':
        result = remove(result, tokens)
        break
      case 'replace':
        getAt(result, tokens)
        result =
          tokens.length === 0
            ? value
            : updateAt(result, tokens, (parent, last) => {
                if (Array.isArray(parent)) parent[arrayIndex(parent, last, false)] = value
                else parent[last] = value
              })
        break
      case 'move':
      case 'copy': {
        if (typeof from !== 'string') throw new JsonPatchError(`Operation "${op}" has no "from".`)
        const fromTokens = parsePointer(from)
        const moved = getAt(result, fromTokens)
        if (op === 'move') {
          if (path.startsWith(`${from}/`))
            throw new JsonPatchError(`Cannot move "${from}" into its own child "${path}".`)
          result = remove(result, fromTokens)
        }
        result = add(result, tokens, moved)
        break
      }
      case 'test':
        if (
          stringifyWireValue(getAt(result, tokens), 'ag-ui', 'a patched state value') !==
          stringifyWireValue(value, 'ag-ui', 'a JSON Patch test value')
        ) {
          throw new JsonPatchError(`Test failed: the value at "${path}" is not the value the patch expects.`)
        }
        break
      default:
        throw new JsonPatchError(`Unknown patch operation "${String(op)}".`)
    }
  }
  return result
}
