/**
 * Streaming flicker: while an answer streams character by character, a character on screen must
 * not change what it is shown as and then change back (bold, then italic, then bold again; a
 * paragraph, then a heading, then a paragraph). One change is expected (`1.` is text until the
 * item starts, `[docs](` is pending until its link is complete); a change back is a flicker.
 *
 * A character's kind is the chain of elements from the markdown root to its text node (with the
 * `data-math` and `data-markdown-link` states). Characters are followed by their place in the
 * rendered text while the text before them is already as it will finally be, so a shift of the
 * text (repair markers appearing and going) is never taken for a change of kind.
 */
import fc from 'fast-check'
import { flushSync } from 'react-dom'
import { describe, expect, test } from 'vitest'
import { Markdown } from '../../packages/react/src/markdown/index.ts'
import type { MathRenderer } from '../../packages/react/src/markdown/markdown-options.ts'
import { mount } from './mount-root.ts'

/** Formulas as their TeX, escaped: the kind of a formula is what matters here, not KaTeX's markup. */
const math: MathRenderer = {
  render: (tex) => tex.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
  load: async () => {},
}

interface Snapshot {
  text: string
  kinds: string[]
}

function kindOf(node: Node, root: Element): string {
  const path: string[] = []
  for (
    let element = node.parentElement;
    element !== null && element !== root;
    element = element.parentElement
  ) {
    const state = element.getAttribute('data-math') ?? element.getAttribute('data-markdown-link')
    path.push(state === null ? element.localName : `${element.localName}[${state}]`)
  }
  return path.reverse().join('>')
}

function snapshot(container: HTMLElement): Snapshot {
  const root = container.querySelector('[data-markdown]')!
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  let text = ''
  const kinds: string[] = []
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const value = node.nodeValue ?? ''
    const kind = kindOf(node, root)
    text += value
    for (let index = 0; index < value.length; index++) kinds.push(kind)
  }
  return { text, kinds }
}

/**
 * Streams `text` one character at a time into one `Markdown`; returns every A→B→A change of a
 * character's kind, and whether the final render equals a one-shot render of the text.
 */
function streamByCharacter(text: string, withMath: boolean): { flickers: string[]; finalMatches: boolean } {
  const { root, container } = mount()
  const props = withMath ? { math } : {}
  const snapshots: Snapshot[] = []
  for (let end = 1; end <= text.length; end++) {
    flushSync(() =>
      root.render(
        <Markdown {...props} streaming>
          {text.slice(0, end)}
        </Markdown>,
      ),
    )
    snapshots.push(snapshot(container))
  }
  flushSync(() => root.render(<Markdown {...props}>{text}</Markdown>))
  const final = snapshot(container)
  const streamedHtml = container.innerHTML
  const once = mount()
  flushSync(() => once.root.render(<Markdown {...props}>{text}</Markdown>))
  const finalMatches = once.container.innerHTML === streamedHtml

  const flickers: string[] = []
  // Text on screen that changes (not by growing) and later comes back: `See the docs`, then
  // `See [the docs]`, then `See the docs` again. (Markers shown once and then hidden for good,
  // `Say **` then `Say b`, are one change, not a flicker.)
  // The end of the stream is left out: a marker still open then (`**a`) shows as the text it is,
  // as in a one-shot render, after it was repaired while streaming (see docs/architecture.md).
  const shown = snapshots.map((shot) => shot.text.replaceAll('\u200b', '').trimEnd())
  for (let index = 1; index < shown.length; index++) {
    const before = shown[index - 1]!
    const after = shown[index]!
    if (after.startsWith(before)) continue
    const back = shown.findIndex((later, at) => at > index && later.startsWith(before))
    if (back !== -1)
      flickers.push(`${JSON.stringify(before)} → ${JSON.stringify(after)} → ${JSON.stringify(shown[back])}`)
  }
  for (let index = 0; index < final.text.length; index++) {
    const history: string[] = []
    const prefix = final.text.slice(0, index + 1)
    for (const shot of [...snapshots, final]) {
      if (shot.text.length <= index || shot.text.slice(0, index + 1) !== prefix) continue
      const kind = shot.kinds[index]!
      if (history[history.length - 1] !== kind) history.push(kind)
    }
    const seen = new Set<string>()
    for (const kind of history) {
      if (seen.has(kind)) {
        flickers.push(`${JSON.stringify(final.text[index])} at ${index}: ${history.join(' → ')}`)
        break
      }
      seen.add(kind)
    }
  }
  return { flickers, finalMatches }
}

/**
 * The shapes of partial markdown that can render one way, then another, while a line is being
 * written. Each is streamed character by character; `fixed` says whether it streams without
 * flicker now (the others are kept as `test.fails`, listed in docs/architecture.md).
 */
const SHAPES: { name: string; text: string; math?: boolean; fixed: boolean }[] = [
  { name: 'bold: **bold** (never italic on the way)', text: 'Say **bold** words.', fixed: true },
  { name: 'bold and italic: ***both***', text: 'Say ***both*** now.', fixed: true },
  { name: 'italic inside bold: **a *b* c**', text: 'Say **a *b* c** now.', fixed: true },
  {
    name: 'link: [docs](https://example.com/a) while the destination streams',
    text: 'See [the docs](https://example.com/a) now.',
    fixed: true,
  },
  { name: 'inline code: `npm i`', text: 'Run `npm install` now.', fixed: true },
  { name: 'a list item after a paragraph line: text\\n- item', text: 'Fruits\n- apple\n- pear', fixed: true },
  { name: 'a list marker alone: - / * / +', text: 'Intro.\n\n* one\n* two', fixed: true },
  { name: 'setext underline: text\\n= / text\\n---', text: 'Title\n=x and more', fixed: true },
  { name: 'heading marker without space: #tag', text: 'Intro.\n\n#hashtag and #1 fan', fixed: true },
  { name: 'strikethrough: ~~gone~~', text: 'It is ~~gone~~ now.', fixed: true },
  {
    name: 'underscores inside words: snake_case_name',
    text: 'Use snake_case_name and _italic_ here.',
    fixed: true,
  },
  {
    name: 'currency, then math: $5 and $x$',
    text: 'It costs $5 and $x^2$ is math.',
    math: true,
    fixed: true,
  },
  {
    name: 'autolink and a bare <: <https://…> and a<b',
    text: 'See <https://example.com> and a<b here.',
    fixed: true,
  },
  { name: 'numbered list: 1. after a paragraph line', text: 'Steps\n1. first\n2. second', fixed: true },
  { name: 'thematic break vs list: * * *', text: 'Above\n\n* * *\n\nBelow', fixed: true },
  { name: 'a number, then a list marker: 5) and 1.5', text: 'Totals\n\n5)a and 1.5 litres', fixed: true },
  { name: 'emphasis open before a line break: **a\n', text: 'Say **a\nb** now.', fixed: true },
  { name: 'emphasis open before trailing spaces: _#  a', text: '_#  a_ end', fixed: true },
  { name: 'empty link text: **a[]a', text: '**a[]a** end', fixed: true },
  { name: 'emphasis across a line, closed by the other marker: *a\n_a', text: '*a\n_a', fixed: true },
  { name: 'emphasis open around a code span: *a`a`a', text: '*a`a`a', fixed: true },
  { name: 'nested brackets: [[a]a', text: '[[a]a', fixed: true },
  {
    name: 'emphasis open across a line break, the next line starting with a marker: **a\n**a',
    text: '**a\n**a',
    fixed: true,
  },
  {
    name: 'emphasis open across a line break, the next line starting with a bracket: **a\n[a',
    text: '**a\n[a',
    fixed: true,
  },
  {
    name: 'a numbered item, then a held marker: 1. `1. (the item showed `1`, nothing, then `1`)',
    text: '1. `1. ',
    fixed: true,
  },
  {
    name: 'a marker left at the end by a held one: ` *a (`, then code, then ` again)',
    text: '` *a\n\nb',
    fixed: true,
  },
  {
    name: 'emphasis around a bare URL: a*https://x.io*a (italic, then `*` as text, then italic)',
    text: 'a*https://x.io*a',
    fixed: true,
  },
  {
    name: 'a bracket inside a bare URL: **https://x.io[**\na (the pending link showed as text)',
    text: '**https://x.io[**\na\n\nb',
    fixed: true,
  },
  {
    name: 'a bracket inside a bare URL: https://x.io([a',
    text: 'https://x.io([a',
    fixed: true,
  },
  {
    name: 'a paragraph over, then a marker: ~~a + blank line + ~~ (a paragraph ~~ came and went)',
    text: '~~a\n\n~~\n\nb',
    fixed: true,
  },
  {
    name: 'closers in the wrong order: **a~~b c (remend appends **~~; see the MarkdownDocument unit tests)',
    text: '**a~~b c',
    fixed: true,
  },
  {
    name: 'closers in the wrong order: **$~~)a (bold $, then **$)**, then $~~)a~~)',
    text: '**$~~)a',
    fixed: true,
  },
  {
    name: 'an opener that cannot open: a~~**https://x.io (its closer showed, then the URL as text)',
    text: 'a~~**https://x.io',
    fixed: true,
  },
  {
    name: 'a code span closed inside a bare URL: https://x.io`https://x.io (the closer joined the URL)',
    text: 'https://x.io`https://x.io',
    fixed: true,
  },
  {
    name: 'a code span closed inside a bare URL in link text: [https://x.io`https://x.io',
    text: '[https://x.io`https://x.io',
    fixed: true,
  },
  {
    name: 'an open code span in link text: [a`a`a (pending, then [a and code, then pending)',
    text: '[a`a`a',
    fixed: true,
  },
  {
    name: 'a list marker after a list marker: 1. 5)a (5, an empty nested item, 5)a)',
    text: '1. 5)a',
    fixed: true,
  },
  {
    name: 'list markers in a list item: - 1. 1. (1, an empty nested item, 1)',
    text: '- 1. 1. ',
    fixed: true,
  },
  {
    name: 'a lone ** line, then # and emphasis: **\n#**a',
    text: '**\n#**a\n\n',
    fixed: false,
  },
  // Found by the property below with other seeds (3,000 documents), not fixed yet.
  {
    name: 'a heading marker in a list item: 1. # 1. (1, an empty item, 1)',
    text: '1. # 1. ',
    fixed: false,
  },
  {
    name: 'an empty item, a blank line, an item: 1. + blank line + 1. (1, an empty item, 1)',
    text: '1. \n\n1. ',
    fixed: false,
  },
  {
    name: 'strikethrough around bold before a bare URL: ~~**~~a **https://x.io',
    text: '~~**~~a **https://x.io',
    fixed: false,
  },
  { name: 'a code span in nested link text: [`[a`a', text: '[`[a`a', fixed: false },
  {
    name: 'emphasis around a parenthesis and a bracket after a URL',
    text: 'https://x.io*([*1. a',
    fixed: false,
  },
  { name: 'strikethrough around a heading marker: ~~#~~a~~a', text: '~~#~~a~~a', fixed: false },
  {
    name: 'a formula opened, then a heading marker: $a + line break + #a',
    text: '$a\n#a',
    math: true,
    fixed: false,
  },
  { name: 'a numbered item, a blank line, a number: 5) + blank line + 5', text: '5)\n\n5', fixed: false },
  { name: 'numbered items in an item: 1. 51. 1. ', text: '1. 51. 1. ', fixed: false },
  {
    // The first closersHidden rule made it flicker (`*~~- *]` showed `~~- ]`, between `-` struck
    // and `- ]a` struck); a repair that extends what the tail showed before now wins.
    name: 'emphasis around a dash and a bracket: *~~- *]a',
    text: '*~~- *]a',
    fixed: true,
  },
  {
    name: 'a bare URL being written, then a bracket: https://x.io[',
    text: '[\n\n)https://x.io[\n',
    fixed: true,
  },
]

describe('streaming never flickers (A → B → A) and ends as a one-shot render', () => {
  for (const shape of SHAPES) {
    const run = shape.fixed ? test : test.fails
    run(shape.name, () => {
      const { flickers, finalMatches } = streamByCharacter(shape.text, shape.math === true)
      expect(flickers).toEqual([])
      expect(finalMatches).toBe(true)
    })
  }
})

/** Pieces of the shapes above, in any order: what the property below streams. */
const PIECES = [
  'a',
  'b c',
  ' ',
  '**',
  '*',
  '_',
  '~~',
  '`',
  '[',
  ']',
  '(',
  ')',
  'https://x.io',
  '\n',
  '\n\n',
  '- ',
  '1. ',
  '# ',
  '#',
  '<',
  '$',
  '5',
  '=',
] as const

describe('any document of the fixed shapes (fast-check)', () => {
  test('streamed character by character: no A → B → A, and the end equals a one-shot render', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }),
        fc.boolean(),
        (pieces, withMath) => {
          const { flickers, finalMatches } = streamByCharacter(pieces.join(''), withMath)
          expect(flickers).toEqual([])
          expect(finalMatches).toBe(true)
        },
      ),
      { numRuns: 300, seed: 15 },
    )
  }, 120_000)
})
