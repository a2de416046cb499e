import { Lexer } from 'marked'
import { describe, expect, test } from 'vitest'
import { closersFor, openersLeftAsText } from './complete-emphasis.ts'
import { holdBackTrailingMarkers } from './hold-back-markers.ts'
import { MARKED_OPTIONS } from './lex-markdown.ts'
import { repairMarkdown } from './repair-markdown.ts'

describe('holdBackTrailingMarkers', () => {
  test.each([
    ['Say ***both*', 'Say ***both'],
    // The spaces before a held marker go too (remend trims them anyway).
    ['Say **a *', 'Say **a'],
    ['Run `', 'Run'],
    ['It is ~~a[', 'It is ~~a'],
    ['Costs\n1.', 'Costs\n1'],
    ['Totals\n\n5)', 'Totals\n\n5'],
    ['Fruits\n-', 'Fruits'],
    ['Intro\n\n* ', 'Intro\n\n'],
    ['Say **a\n', 'Say **a'],
    ['_#  ', '_#'],
    // The line break before a held marker goes too: remend closed `**a\n` as `**a\n**`.
    ['Say **a\n*', 'Say **a'],
    ['Say *a\n_', 'Say *a'],
    ['Say **a \n[', 'Say **a'],
    ['Say **a\n- ', 'Say **a'],
    // Markers left at the end once a held marker and the space before it go wait too: a lone
    // `` ` `` showed as text, then opened code with `` ` *a ``.
    ['Run ` *', 'Run'],
    ['Run ` [', 'Run'],
    ['Say ** *\n_', 'Say'],
    // The last of several list markers on the line waits too: `1. 5)` made an empty nested item.
    ['1. 5)', '1. 5'],
    ['Steps\n- 1.', 'Steps\n- 1'],
    ['1. -', '1'],
    ['- - -', ''],
    // A blank line before it stays: it ends the paragraph.
    ['Say **a\n\n*', 'Say **a\n\n'],
    ['Intro\n \n-', 'Intro\n \n'],
  ])('%j is shown as %j', (tail, shown) => {
    expect(holdBackTrailingMarkers(tail)).toBe(shown)
  })

  test.each([
    ['a blank line ends the block', 'Say **a\n\n'],
    ['inside an open code fence', '```js\nconst a = b *'],
    ['the closing fence being written', '```\ncode\n``'],
    ['a delimiter row under a header line', 'Name | Score\n-'],
    ['plain text', 'Say hello'],
  ])('kept as it is: %s', (_, tail) => {
    expect(holdBackTrailingMarkers(tail)).toBe(tail)
  })
})

describe('repairMarkdown: link text and the last block', () => {
  test('`[text]` at the very end stays a pending link; a task box and `[]` do not', () => {
    expect(repairMarkdown('See [the docs]')).toBe('See [the docs](streamdown:incomplete-link)')
    expect(repairMarkdown('- [ ]')).toBe('- [ ]')
    expect(repairMarkdown('a[]')).toBe('a[]')
  })

  test('a pending link whose text holds a bracket stays text until its destination is complete', () => {
    // The innermost open bracket still makes a pending link.
    expect(repairMarkdown('[[a')).toBe('[[a](streamdown:incomplete-link)')
    expect(repairMarkdown('[[a]a')).toBe('[[a]a')
    expect(repairMarkdown('[a [b](x) c')).toBe('[a [b](x) c')
    expect(repairMarkdown('[[a]a](https://x')).toBe('[[a]a](https://x')
    // Emphasis is still closed; an escaped bracket is no bracket.
    expect(repairMarkdown('**[[a]a')).toBe('**[[a]a**')
    expect(repairMarkdown('[a \\] b')).toBe('[a \\] b](streamdown:incomplete-link)')
  })

  test('`links: false` leaves a half link as text and still closes emphasis', () => {
    expect(repairMarkdown('**https://x.io[**\na')).toBe('**https://x.io[**\na](streamdown:incomplete-link)')
    expect(repairMarkdown('**https://x.io[**\na', { links: false })).toBe('**https://x.io[**\na')
    expect(repairMarkdown('**a [b', { links: false })).toBe('**a [b**')
  })

  test('a paragraph already over is not repaired; inside an open code fence the whole text is read', () => {
    expect(repairMarkdown('_\n\na')).toBe('_\n\na')
    // Split after the blank line, `**a` would get its closer; in the fence it is code.
    expect(repairMarkdown('```\ncode\n\n**a')).toBe('```\ncode\n\n**a')
  })
})

describe('closersFor', () => {
  const lex = (text: string) => new Lexer(MARKED_OPTIONS).lex(text)
  test('closes the openers marked left as text, innermost first', () => {
    expect(closersFor(lex('Say **a *b* c'))).toBe('**')
    expect(openersLeftAsText(lex('Say **a *b* c**'))).toEqual([])
  })
  test('an opener at the end of a text token, before a bare URL, is an opener', () => {
    expect(closersFor(lex('a*https://x'))).toBe('*')
    expect(openersLeftAsText(lex('a*https://x*'))).toEqual([])
    expect(closersFor(lex('a* https://x'))).toBe('')
  })
  test('a marker that cannot open (a space after it, `_` inside a word) is no opener', () => {
    expect(closersFor(lex('5 ** 2 and snake_case'))).toBe('')
  })
})
