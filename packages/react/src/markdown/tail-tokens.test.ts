import { Lexer } from 'marked'
import { describe, expect, test } from 'vitest'
import { INCOMPLETE_LINK_URL } from './repair-markdown.ts'
import { hasPendingLink, visibleText } from './tail-tokens.ts'

const lex = (text: string) => new Lexer({ gfm: true }).lex(text)

describe('tail tokens', () => {
  test('visibleText is the text the tokens show, markers left out, lists and table cells too', () => {
    expect(visibleText(lex('**a _b_** `c` ~~d~~'))).toBe('a b c d')
    expect(visibleText(lex('- **a**\n- b'))).toBe('ab')
    expect(visibleText(lex('| a | b |\n| - | - |\n| **c** | d |'))).toBe('abcd')
  })

  test('hasPendingLink finds a pending link at any depth the walk allows', () => {
    expect(hasPendingLink(lex(`> - **[a](${INCOMPLETE_LINK_URL})**`))).toBe(true)
    expect(hasPendingLink(lex('[a](https://x.io)'))).toBe(false)
  })

  test('model output nested past the depth limit stops the walk instead of recursing on', () => {
    const deep = `${'>'.repeat(200)} [a](${INCOMPLETE_LINK_URL})`
    expect(hasPendingLink(lex(deep))).toBe(false)
    expect(visibleText(lex(deep))).toBe('')
    expect(visibleText(lex(`${'>'.repeat(10)} a`))).toBe('a')
  })
})
