import { describe, expect, it, vi } from 'vitest'
import { applyJsonPatch, JsonPatchError } from './apply-json-patch.ts'

vi.mock('react', () => ({}))

describe('applyJsonPatch', () => {
  it('applies the RFC 6902 operations without changing the input', () => {
    const document = { a: { b: [1, 2] }, keep: { x: 1 }, 'c/d': 1, 'e~f': 2 }
    const result = applyJsonPatch(document, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'remove', path: '/c~1d' },
      { op: 'replace', path: '/e~0f', value: 'two' },
      { op: 'copy', from: '/a/b/0', path: '/first' },
      { op: 'move', from: '/first', path: '/moved' },
      { op: 'test', path: '/moved', value: 1 },
    ])
    expect(result).toEqual({ a: { b: [1, 9, 2, 3] }, keep: { x: 1 }, 'e~f': 'two', moved: 1 })
    expect(document).toEqual({ a: { b: [1, 2] }, keep: { x: 1 }, 'c/d': 1, 'e~f': 2 })
    // Untouched branches keep their identity.
    expect((result as { keep: unknown }).keep).toBe(document.keep)
  })

  it('replaces the whole document at the empty pointer', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }])).toEqual([1])
  })

  it('throws on a path that does not exist, a failed test and an unknown op', () => {
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/a', value: 1 }])).toThrow(JsonPatchError)
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow('Test failed')
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'add', path: '/a/5', value: 1 }])).toThrow('out of bounds')
    expect(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).toThrow('Unknown patch operation')
  })

  it('refuses a path or from through __proto__, constructor or prototype, leaving every prototype alone', () => {
    const document = { a: {} }
    for (const operation of [
      { op: 'add', path: '/__proto__/polluted', value: 'yes' },
      { op: 'add', path: '/__proto__', value: { polluted: 'yes' } },
      { op: 'replace', path: '/constructor/prototype/polluted', value: 'yes' },
      { op: 'add', path: '/a/prototype', value: 1 },
      { op: 'copy', from: '/__proto__', path: '/copied' },
      { op: 'move', from: '/a/constructor', path: '/moved' },
    ]) {
      expect(() => applyJsonPatch(document, [operation]), JSON.stringify(operation)).toThrow(JsonPatchError)
    }
    expect(() => applyJsonPatch(document, [{ op: 'add', path: '/a/__proto__/x', value: 1 }])).toThrow(
      '"/a/__proto__/x" goes through "__proto__"',
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(document)).toBe(Object.prototype)
    expect(document).toEqual({ a: {} })
  })
})
