import { common } from 'lowlight'
import { describe, expect, test } from 'vitest'
import type { HighlightedToken } from '../markdown/markdown-options.ts'
import { createHighlighter, type LanguageGrammars } from './create-highlighter.ts'

type Lines = readonly (readonly HighlightedToken[])[]

/** The class of the first token whose text is `content`, or `undefined`. */
function classOf(lines: Lines, content: string): string | undefined {
  for (const line of lines) {
    for (const token of line) if (token.content === content) return token.className ?? '(none)'
  }
  return undefined
}

const hasClass = (lines: Lines) => lines.some((line) => line.some((token) => token.className !== undefined))

/** A `languages` loader that counts its calls and gives lowlight's common set. */
function countingLanguages(grammars: LanguageGrammars = common) {
  const counter = {
    calls: 0,
    load: async () => {
      counter.calls++
      return grammars
    },
  }
  return counter
}

describe('createHighlighter', () => {
  test('highlights by language name or alias, in any case', async () => {
    const highlighter = createHighlighter()
    for (const language of ['typescript', 'ts', 'TS', 'tsx']) {
      const lines = await highlighter('const a = 1', language)
      expect(classOf(lines, 'const'), language).toBe('hljs-keyword')
      expect(classOf(lines, '1'), language).toBe('hljs-number')
    }
    expect(classOf(await highlighter('def f():\n    pass', 'py'), 'def')).toBe('hljs-keyword')
    expect(classOf(await highlighter('echo "hi"', 'sh'), 'echo')).toBe('hljs-built_in')
    expect(classOf(await highlighter('let x = 1', 'js'), 'let')).toBe('hljs-keyword')
  })

  test('leaves an unknown language and a block without a language as plain lines', async () => {
    const highlighter = createHighlighter()
    const unknown = await highlighter('<template>\n  <div/>\n</template>', 'vue')
    expect(hasClass(unknown)).toBe(false)
    expect(unknown.map((line) => line.map((token) => token.content).join(''))).toEqual([
      '<template>',
      '  <div/>',
      '</template>',
    ])
    // No auto-detection: this is obviously JavaScript, but nothing was asked.
    expect(hasClass(await highlighter('function f() { return 1 }', ''))).toBe(false)
  })

  test('loads nothing for a block without a language, and the grammars once for all blocks', async () => {
    const languages = countingLanguages()
    const highlighter = createHighlighter({ languages: languages.load })
    await highlighter('plain', '')
    expect(languages.calls).toBe(0)
    await Promise.all([
      highlighter('a = 1', 'python'),
      highlighter('b = 2', 'python'),
      highlighter('{}', 'json'),
    ])
    await highlighter('c', 'unknown-language')
    expect(languages.calls).toBe(1)
  })

  test('highlights only the languages given, with extra aliases and another class prefix', async () => {
    const { python } = common
    if (python === undefined) throw new Error('lowlight common has no python grammar')
    const highlighter = createHighlighter({
      languages: () => ({ python }),
      aliases: { python: ['snake'] },
      classPrefix: 'token-',
    })
    expect(classOf(await highlighter('import os', 'snake'), 'import')).toBe('token-keyword')
    expect(hasClass(await highlighter('const a = 1', 'ts'))).toBe(false)
  })

  test('guesses the language only when asked to', async () => {
    const highlighter = createHighlighter({ detectLanguage: true })
    const lines = await highlighter('#!/bin/bash\necho "hello"\nexit 0', '')
    expect(classOf(lines, 'echo')).toBe('hljs-built_in')
  })

  test('rejects when the grammars cannot load, and tries again on the next block', async () => {
    let calls = 0
    const highlighter = createHighlighter({
      languages: async () => {
        calls++
        if (calls === 1) throw new Error('Failed to fetch dynamically imported module')
        return common
      },
    })
    await expect(highlighter('const a = 1', 'ts')).rejects.toThrow('Failed to fetch')
    expect(classOf(await highlighter('const a = 1', 'ts'), 'const')).toBe('hljs-keyword')
    expect(calls).toBe(2)
  })
})
