import { describe, expect, it, vi } from 'vitest'
import { splitIntoTokens } from './split-into-tokens.ts'

vi.mock('react', () => ({}))

describe('splitIntoTokens', () => {
  it('cuts words with their leading space and punctuation runs', () => {
    expect(splitIntoTokens('Hello, world!')).toEqual(['Hello', ',', ' world', '!'])
    expect(splitIntoTokens('{"city":"Paris"}')).toEqual(['{"', 'city', '":"', 'Paris', '"}'])
  })

  it('always joins back to the text, whitespace and non-Latin scripts included', () => {
    for (const text of ['  two  spaces\n\nnew paragraph ', 'Grüße, 世界! 🎉 done', '', '\t']) {
      expect(splitIntoTokens(text).join('')).toBe(text)
    }
  })
})
