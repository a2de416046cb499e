import { common, createLowlight } from 'lowlight'
import { describe, expect, test } from 'vitest'
import { hastToLines } from './hast-to-lines.ts'

const lowlight = createLowlight(common)

/** Each line as `text[class]` pieces, easier to read than token objects. */
function describeLines(lines: ReturnType<typeof hastToLines>): string[][] {
  return lines.map((line) =>
    line.map((token) =>
      token.className === undefined ? token.content : `${token.content}[${token.className}]`,
    ),
  )
}

describe('hastToLines', () => {
  test('gives one token per piece, with the class of every span around it, outermost first', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the code under test is a TypeScript template string.
    const lines = hastToLines(lowlight.highlight('ts', 'const greeting: string = `hi ${name}`'))
    expect(describeLines(lines)).toEqual([
      [
        'const[hljs-keyword]',
        ' ',
        'greeting[hljs-attr]',
        ': ',
        'string[hljs-built_in]',
        ' = ',
        '`hi [hljs-string]',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the interpolation is the token's text.
        '${name}[hljs-string hljs-subst]',
        '`[hljs-string]',
      ],
    ])
  })

  test('cuts a span that crosses line breaks into one token per line', () => {
    const lines = hastToLines(lowlight.highlight('ts', '/* a\nb */\nfunction f() {}'))
    expect(describeLines(lines)).toEqual([
      ['/* a[hljs-comment]'],
      ['b */[hljs-comment]'],
      ['function[hljs-keyword]', ' ', 'f[hljs-title function_]', '() {}'],
    ])
  })

  test('keeps empty lines, and the lines joined give back the code exactly', () => {
    const code = 'def add(a, b):\n\n    return a + b  # sum\n'
    const lines = hastToLines(lowlight.highlight('python', code))
    expect(lines).toHaveLength(4)
    expect(lines[1]).toEqual([])
    expect(lines[3]).toEqual([])
    expect(lines.map((line) => line.map((token) => token.content).join('')).join('\n')).toBe(code)
  })

  test('merges neighbours with the same classes', () => {
    // JSON gives `}` and `,` two punctuation spans in a row.
    const lines = hastToLines(lowlight.highlight('json', '[1],'))
    expect(describeLines(lines)).toEqual([['[[hljs-punctuation]', '1[hljs-number]', '],[hljs-punctuation]']])
  })

  test('reads a className given as a string, and ignores what is not a class', () => {
    const lines = hastToLines({
      type: 'root',
      children: [
        { type: 'element', properties: { className: 'a  b' }, children: [{ type: 'text', value: 'x' }] },
        { type: 'element', properties: { className: 42 }, children: [{ type: 'text', value: 'y' }] },
        { type: 'comment', value: 'ignored' },
      ],
    })
    expect(describeLines(lines)).toEqual([['x[a b]', 'y']])
  })
})
