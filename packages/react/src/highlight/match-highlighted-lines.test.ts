import { describe, expect, test } from 'vitest'
import type { HighlightedToken } from '../markdown/markdown-options.ts'
import { matchHighlightedLines } from './match-highlighted-lines.ts'

const line = (...pieces: string[]): HighlightedToken[] =>
  pieces.map((content) => ({ content, className: 'k' }))

describe('matchHighlightedLines', () => {
  test('uses every line of a result for the same code', () => {
    expect(matchHighlightedLines([line('const', ' a'), line('b')], 'const a\nb')).toEqual({
      lineCount: 2,
      rest: '',
    })
  })

  test('uses the lines of an older, shorter text and leaves the new text plain', () => {
    expect(matchHighlightedLines([line('a'), line('b')], 'a\nb\nc')).toEqual({ lineCount: 2, rest: '\nc' })
    // The finished lines while streaming: the current last line is still being written.
    expect(matchHighlightedLines([line('a')], 'a\nbc')).toEqual({ lineCount: 1, rest: '\nbc' })
  })

  test('stops at the first line whose text differs, so stale text is never shown', () => {
    expect(matchHighlightedLines([line('a'), line('old'), line('c')], 'a\nnew\nc')).toEqual({
      lineCount: 1,
      rest: '\nnew\nc',
    })
    expect(matchHighlightedLines([line('different')], 'a\nb')).toEqual({ lineCount: 0, rest: 'a\nb' })
  })

  test('does not use a line that is only the start of a longer line', () => {
    expect(matchHighlightedLines([line('ab')], 'abc')).toEqual({ lineCount: 0, rest: 'abc' })
    expect(matchHighlightedLines([line('a'), line('b')], 'a\nbc')).toEqual({ lineCount: 1, rest: '\nbc' })
  })

  test('keeps the lines when the closing fence takes back a half-written line', () => {
    // While streaming the code was `x\n}\n``` (the fence not yet complete); the lines `x`, `}` were
    // highlighted; then the third backtick made `` ` `` the fence and the code lost its last line.
    expect(matchHighlightedLines([line('x'), line('}')], 'x\n}')).toEqual({ lineCount: 2, rest: '' })
    expect(matchHighlightedLines([line('x'), line('}'), line('``')], 'x\n}')).toEqual({
      lineCount: 2,
      rest: '',
    })
  })

  test('matches empty lines and an empty result', () => {
    expect(matchHighlightedLines([line('a'), [], line('b')], 'a\n\nb')).toEqual({ lineCount: 3, rest: '' })
    expect(matchHighlightedLines([], 'a')).toEqual({ lineCount: 0, rest: 'a' })
  })
})
