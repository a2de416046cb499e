import fc from 'fast-check'
import type { Token } from 'marked'
import { describe, expect, test } from 'vitest'
import { holdBackTableHeader } from './hold-back-table.ts'
import { lexMarkdown } from './lex-markdown.ts'
import { MarkdownDocument, type MarkdownGroup } from './markdown-document.ts'
import { readMath } from './math-syntax.ts'

/** Every `math` token of some tokens, in document order, as `raw`. */
function mathIn(tokens: readonly Token[]): string[] {
  const found: string[] = []
  const visit = (token: Token) => {
    if (token.type === 'math') found.push(token.raw)
    const nested = token as {
      tokens?: Token[]
      items?: Token[]
      header?: { tokens: Token[] }[]
      rows?: { tokens: Token[] }[][]
    }
    for (const child of nested.tokens ?? []) visit(child)
    for (const child of nested.items ?? []) visit(child)
    for (const cell of nested.header ?? []) cell.tokens.forEach(visit)
    for (const row of nested.rows ?? []) for (const cell of row) cell.tokens.forEach(visit)
  }
  tokens.forEach(visit)
  return found
}

function formulasOf(text: string): string[] {
  return mathIn(lexMarkdown(text, {}, true).tokens)
}

function viewFormulas(groups: readonly MarkdownGroup[]): string[] {
  return groups.flatMap((group) =>
    group.kind === 'blocks'
      ? group.blocks.flatMap((block) => mathIn(block.tokens))
      : viewFormulas(group.groups),
  )
}

describe('math syntax', () => {
  test.each([
    ['Euler: $e^{i\\pi} + 1 = 0$.', ['$e^{i\\pi} + 1 = 0$']],
    ['Display: $$\\int_0^1 x\\,dx$$ done', ['$$\\int_0^1 x\\,dx$$']],
    ['$$\n\\sum_{k=1}^n k\n$$', ['$$\n\\sum_{k=1}^n k\n$$']],
    ['LaTeX style \\(a^2\\) and \\[b^2\\]', ['\\(a^2\\)', '\\[b^2\\]']],
    ['both $a$ and $b$', ['$a$', '$b$']],
    ['**bold $x$** and *$y$*', ['$x$', '$y$']],
  ])('%j has formulas %j', (text, formulas) => {
    expect(formulasOf(text)).toEqual(formulas)
  })

  test.each([
    'I paid $5 and $10 for it.',
    '$20,000 and $30,000',
    'It costs $5, or $6 with tax.',
    'between $ and $ signs',
    'escaped \\$x\\$ stays text',
    'code `$x$` is code',
    'a closing dollar before a digit $x$1 is not a close',
    'empty $$ $$ display',
    '\\(\\) is empty',
  ])('%j has no formula', (text) => {
    expect(formulasOf(text)).toEqual([])
  })

  test('the TeX inside a formula is not markdown: no emphasis, escapes or entities are read', () => {
    expect(readMath('$a_1 * b_2 * \\{c\\} &amp;$')?.text).toBe('a_1 * b_2 * \\{c\\} &amp;')
  })
})

describe('streaming never flickers a formula', () => {
  const documents = [
    'Euler wrote $e^{i\\pi} + 1 = 0$, and the area is $\\pi r^2$ for $r > 0$.\n\n$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\n\nPrices: $5 and $10, then \\(a+b\\) and \\[c\\].',
    '- item with $x$\n- **bold $y$** item\n\n| a | b |\n| --- | --- |\n| $1$ | $$2$$ |\n\nDone $z$1 $w$.',
  ]

  test.each(documents)('every character of %j: formulas only appear, never change or go away', (text) => {
    const document = new MarkdownDocument({ math: true })
    let before: string[] = []
    for (let end = 1; end <= text.length; end++) {
      const now = viewFormulas(document.update(text.slice(0, end), true).groups)
      expect(now.slice(0, before.length), `after ${JSON.stringify(text.slice(0, end))}`).toEqual(before)
      before = now
    }
    expect(viewFormulas(document.update(text, false).groups)).toEqual(formulasOf(text))
  })

  test('an open formula is text with no formula inside; a price holds nothing back', () => {
    const document = new MarkdownDocument({ math: true })
    const kinds = (text: string) => {
      const found: string[] = []
      const visit = (token: Token) => {
        if (token.type === 'math' || token.type === 'math-open') found.push(`${token.type}:${token.raw}`)
        for (const child of (token as { tokens?: Token[] }).tokens ?? []) visit(child)
      }
      document.update(text, true).groups.forEach(function flat(group: MarkdownGroup) {
        if (group.kind === 'blocks') for (const block of group.blocks) block.tokens.forEach(visit)
        else group.groups.forEach(flat)
      })
      return found
    }
    expect(kinds(String.raw`so \[x + $5$ and **more`)).toEqual([String.raw`math-open:\[x + $5$ and **more**`])
    expect(kinds(String.raw`it costs $5 and \(x\) is`)).toEqual([String.raw`math:\(x\)`])
    // An open formula in a paragraph that is over can no longer close: it reads as finished text.
    expect(kinds(`so \\[x + $5$\n\nNext`)).toEqual(['math:$5$'])
  })

  test('a $…$ inside a display formula that is still open is not shown as a formula of its own (found by the property below)', () => {
    const text = String.raw`\[$5$\]`
    const document = new MarkdownDocument({ math: true })
    let before: string[] = []
    for (let end = 1; end <= text.length; end++) {
      const now = viewFormulas(document.update(text.slice(0, end), true).groups)
      expect(now.slice(0, before.length)).toEqual(before)
      before = now
    }
    expect(viewFormulas(document.update(text, false).groups)).toHaveLength(1)
  })

  // Found by the unseeded property: the first `$$` closes an empty body (never a formula), so the
  // formula starts at the second `$`, in the streaming view as in the final one.
  test('$$$$\\]$$\\$a^2 streamed one character at a time: the formula from the second $ never goes away', () => {
    const text = String.raw`$$$$\]$$\$a^2`
    const document = new MarkdownDocument({ math: true })
    let before: string[] = []
    for (let end = 1; end <= text.length; end++) {
      const now = viewFormulas(document.update(text.slice(0, end), true).groups)
      expect(now.slice(0, before.length)).toEqual(before)
      before = now
    }
    expect(viewFormulas(document.update(text, false).groups)).toEqual(['$$$\\]$$'])
  })

  test('any text, any chunking (fast-check): the formulas of each state are a prefix of the next', () => {
    const piece = fc.constantFrom(
      '$',
      '$$',
      'x',
      ' ',
      '5',
      '\\(',
      '\\)',
      '\\[',
      '\\]',
      '\n',
      '\n\n',
      '**',
      '`',
      '|',
      'a^2',
      '\\$',
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1 }),
        (pieces, sizes) => {
          const text = pieces.join('')
          const document = new MarkdownDocument({ math: true })
          let before: string[] = []
          let end = 0
          for (let step = 0; end < text.length; step++) {
            end = Math.min(text.length, end + sizes[step % sizes.length]!)
            const now = viewFormulas(document.update(text.slice(0, end), true).groups)
            if (JSON.stringify(now.slice(0, before.length)) !== JSON.stringify(before)) return false
            before = now
          }
          // The finished text keeps every formula shown while streaming, in the same order.
          const final = viewFormulas(document.update(text, false).groups)
          return JSON.stringify(final.slice(0, before.length)) === JSON.stringify(before)
        },
      ),
      // Seeded, so CI is reproducible. Run locally with 12 seeds of 20,000 runs each: one finds a
      // shape where repair at the very end (an unclosed backtick inside `**…**`) shows a formula
      // that the finished text does not have (`**$$\`**$$\)`), there before this property
      // checked the end; the others pass.
      { numRuns: 300, seed: 1 },
    )
  })
})

describe('a line that may open a table waits for its delimiter row', () => {
  test.each([
    ['Results:\n\n| name | value |', 'Results:\n\n'],
    ['Results:\n\n| name | value |\n', 'Results:\n\n'],
    ['| name | val', ''],
    ['Intro line\n| a | b |', 'Intro line\n'],
    ['|', ''],
    ['Results:\n\nname | value', 'Results:\n\nname '],
    ['name | value |\n', 'name '],
    ['a line with a | pipe', 'a line with a '],
    ['   | indented', '   '],
    ['code `a | b` and a | c', 'code `a | b` and a '],
    ['an unclosed `code | span', 'an unclosed `code '],
    ['escaped \\| then |', 'escaped \\| then '],
  ])('%j shows as %j', (tail, shown) => {
    expect(holdBackTableHeader(tail)).toBe(shown)
  })

  test.each([
    '| a | b |\n| --- | --- |\n| 1 | 2 |',
    '| a | b |\n|',
    '| a | b |\n| --',
    'no pipes here',
    'a line with a | pipe\nand a next line that is not a delimiter row',
    'name | value\n--- | ---',
    'name | value\n--- | ---\n1 | 2',
    'name | value\n--- | ---\n1',
    'only `a | b` in code',
    'an escaped \\| pipe',
    '- | in a list |',
    '> a | b',
    '# a | b',
    '```sh\ncat notes | grep x',
    '```\n| a | b |',
    '    indented | code',
  ])('%j is shown as it is', (tail) => {
    expect(holdBackTableHeader(tail)).toBe(tail)
  })

  test('streamed line by line, a table is never a paragraph first', () => {
    const text =
      'Here:\n\n| column | value | note |\n| --- | --- | --- |\n| a | 1 | first |\n| b | 2 | second |\n\nAfter.'
    const document = new MarkdownDocument()
    for (let end = 1; end <= text.length; end++) {
      const blocks = document.update(text.slice(0, end), true).groups.flatMap(function flat(group): {
        tokens: readonly Token[]
      }[] {
        return group.kind === 'blocks' ? [...group.blocks] : group.groups.flatMap(flat)
      })
      const paragraphs = blocks.flatMap((block) => block.tokens).filter((token) => token.type === 'paragraph')
      for (const paragraph of paragraphs)
        expect(paragraph.raw, `after ${JSON.stringify(text.slice(0, end))}`).not.toContain('|')
    }
  })
})
