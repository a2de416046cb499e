import type { Token } from 'marked'
import { describe, expect, test } from 'vitest'
import { MarkdownDocument, type MarkdownGroup, type MarkdownView } from './markdown-document.ts'

interface Placed {
  group: MarkdownGroup
  /** Index of the first block after the group. */
  end: number
}

/** Every group of the tree with the range of blocks it holds. */
function allGroups(view: MarkdownView): Placed[] {
  const placed: Placed[] = []
  const visit = (group: MarkdownGroup): number => {
    const end =
      group.kind === 'blocks'
        ? group.offset + group.blocks.length
        : group.groups.reduce((_, child) => visit(child), group.offset)
    placed.push({ group, end })
    return end
  }
  for (const group of view.groups) visit(group)
  return placed
}

/** The offsets of the groups from the top down to block `index`. */
function pathTo(view: MarkdownView, index: number): number[] {
  return allGroups(view)
    .filter(({ group, end }) => group.offset <= index && index < end)
    .map(({ group }) => group.offset)
    .sort((first, second) => first - second)
}

const paragraphs = (count: number) =>
  Array.from({ length: count }, (_, index) => `P${index} is finished.`).join('\n\n')

describe('MarkdownDocument block tree', () => {
  test('an append re-creates only the groups on the path to the tail; every other group is reused', () => {
    const document = new MarkdownDocument()
    const text = `${paragraphs(300)}\n\nTail grows`
    const before = document.update(text, true)
    const after = document.update(`${text} more`, true)

    const reused = new Set(allGroups(before).map(({ group }) => group))
    const placedAfter = allGroups(after)
    const created = placedAfter.filter(({ group }) => !reused.has(group))
    // 301 blocks (0–299 final, 300 the tail) fit one tree of 1,024 blocks, five groups high: the
    // tail's path is the groups of 1,024, 256, 64, 16 and 4 blocks holding it.
    expect(after.groups.map((group) => group.offset)).toEqual([0])
    expect(pathTo(after, 300)).toEqual([0, 256, 256, 288, 300])
    expect(created.map(({ group }) => group.offset).sort((first, second) => first - second)).toEqual(
      pathTo(after, 300),
    )
    expect(created).toHaveLength(5)
    for (const { group, end } of placedAfter) {
      if (end <= 300) expect(reused.has(group)).toBe(true)
    }
  })

  test('a block keeps its place in the tree when the tail it was becomes final', () => {
    const document = new MarkdownDocument()
    const asTail = pathTo(document.update(`${paragraphs(19)}\n\nP19 grows`, true), 19)
    const asFinal = pathTo(document.update(`${paragraphs(19)}\n\nP19 grows\n\n${paragraphs(30)}`, true), 19)
    expect(asTail).toEqual([0, 0, 0, 16, 16])
    expect(asFinal).toEqual(asTail)
  })

  test('the path to the tail is as long in a short answer as in a long one', () => {
    const depthOfTail = (finished: number) => {
      const view = new MarkdownDocument().update(`${paragraphs(finished)}\n\nTail grows`, true)
      return { tops: view.groups.length, depth: pathTo(view, finished).length }
    }
    // Layers growing with the answer put the tail 3 groups deep at block 60 and 5 deep at 600.
    expect(depthOfTail(60)).toEqual({ tops: 1, depth: 5 })
    expect(depthOfTail(600)).toEqual({ tops: 1, depth: 5 })
    expect(depthOfTail(1023)).toEqual({ tops: 1, depth: 5 })
    // Past one tree (1,024 blocks) the root gets a second tree of the same height.
    expect(depthOfTail(1024)).toEqual({ tops: 2, depth: 5 })
  })

  test('a definition that arrives later renews only the groups holding references to it', () => {
    const document = new MarkdownDocument()
    const start = `P0\n\nP1\n\nSee [the docs][d].\n\n${paragraphs(10)}\n\n[d]: https://docs.example.com`
    const before = document.update(start, true)
    const after = document.update(`${start}\n\nnext`, true)

    const leafBefore = (view: MarkdownView, offset: number) =>
      allGroups(view).find(({ group }) => group.kind === 'blocks' && group.offset === offset)?.group
    // Blocks 0–3 (with the reference in block 2) are re-lexed into a new group with a link.
    const firstLeaf = leafBefore(after, 0)
    expect(firstLeaf).not.toBe(leafBefore(before, 0))
    const tokens = firstLeaf?.kind === 'blocks' ? firstLeaf.blocks[2]?.tokens : undefined
    const link = (tokens?.[0] as { tokens?: Token[] } | undefined)?.tokens?.find(
      (token) => token.type === 'link',
    )
    expect(link).toMatchObject({ href: 'https://docs.example.com' })
    // Blocks 4–7 have no reference: their group is the same object.
    expect(leafBefore(after, 4)).toBe(leafBefore(before, 4))
  })
})

describe('MarkdownDocument: a text that does not extend the previous one starts over', () => {
  const finishedText = (words: string) => paragraphs(400).replace('P200 is finished.', `P200 is ${words}.`)
  const paragraphText = (view: MarkdownView, index: number): string => {
    const placed = allGroups(view).find(
      ({ group, end }) => group.kind === 'blocks' && group.offset <= index && index < end,
    )
    const block =
      placed?.group.kind === 'blocks' ? placed.group.blocks[index - placed.group.offset] : undefined
    return (block?.tokens[0] as { text?: string } | undefined)?.text ?? ''
  }

  test('a different start or a shorter text is seen at once while streaming', () => {
    const document = new MarkdownDocument()
    document.update(`${finishedText('finished')}\n\nTail`, true)
    const other = `Another answer.\n\n${finishedText('finished')}\n\nTail and more`
    expect(paragraphText(document.update(other, true), 0)).toBe('Another answer.')
    expect(paragraphText(document.update('Short.', true), 0)).toBe('Short.')
  })

  test('a change in the middle of the finished text is found within length / 256 streaming updates, and always when streaming ends', () => {
    const original = `${finishedText('finished')}\n\nTail`
    const changed = `${finishedText('CHANGED!')}\n\nTail`
    expect(changed.length).toBe(original.length)
    const document = new MarkdownDocument()
    document.update(original, true)
    expect(paragraphText(document.update(original, false), 200)).toBe('P200 is finished.')
    document.update(original, true)
    const updates = Math.ceil(original.length / 256) + 1
    let seen = false
    for (let update = 0; update < updates && !seen; update++) {
      seen =
        paragraphText(document.update(`${changed}${' x'.repeat(update + 1)}`, true), 200) ===
        'P200 is CHANGED!.'
    }
    expect(seen).toBe(true)

    const late = new MarkdownDocument()
    late.update(original, true)
    expect(paragraphText(late.update(`${changed} x`, false), 200)).toBe('P200 is CHANGED!.')
  })
})

describe('MarkdownDocument: the streaming tail', () => {
  const texts = (tokens: readonly Token[]): string[] =>
    tokens.flatMap((token) => [
      ...(token.type === 'text' && !('tokens' in token && token.tokens) ? [token.raw] : []),
      ...('tokens' in token && token.tokens ? texts(token.tokens) : []),
    ])
  const tailTokens = (view: MarkdownView): readonly Token[] => {
    const placed = allGroups(view).filter(({ group }) => group.kind === 'blocks')
    const last = placed.at(-1)?.group
    return last?.kind === 'blocks' ? (last.blocks.at(-1)?.tokens ?? []) : []
  }

  test('a pending link that marked does not read as a link (a `[` inside a bare URL) is left out', () => {
    const document = new MarkdownDocument()
    const tokens = tailTokens(document.update('**https://x.io[**\na', true))
    expect(texts(tokens).join('')).not.toContain('streamdown')
    expect(tokens[0]?.type === 'paragraph' && tokens[0].tokens?.[0]?.type).toBe('strong')
  })

  test('a pending link marked reads as a link stays', () => {
    const document = new MarkdownDocument()
    const tokens = tailTokens(document.update('See **[the docs', true))
    expect(JSON.stringify(tokens)).toContain('"href":"streamdown:incomplete-link"')
  })

  /** The tail's tokens as `type(children)`, text as its raw text in quotes. */
  const shape = (tokens: readonly Token[]): string =>
    tokens
      .map((token) =>
        token.type === 'text' || token.type === 'codespan'
          ? JSON.stringify(token.raw)
          : `${token.type}(${'tokens' in token && token.tokens ? shape(token.tokens) : ''})`,
      )
      .join(' ')
  const streamed = (text: string): string => shape(tailTokens(new MarkdownDocument().update(text, true)))

  test("closers remend appends in the wrong order are put in marked's order", () => {
    // remend gives `**a~~b**~~`: bold `a~~b`, then `~~` as text.
    expect(streamed('**a~~b')).toBe('paragraph(strong("a" del("b")))')
    expect(streamed('**$~~)')).toBe('paragraph(strong("$" del(")")))')
  })

  test("in a long paragraph only the whole closers are tried, in marked's order", () => {
    const long = `${'word '.repeat(500)}**a~~b`
    expect(streamed(long)).toMatch(/strong\("a" del\("b"\)\)\)$/)
  })

  test('a closer for an opener that cannot open is left out', () => {
    // `~~` before `*` after a letter cannot open; remend's `~~` showed as text after the bold.
    expect(streamed('a~~**h')).toBe('paragraph("a~~" strong("h"))')
  })

  test('a code span closer that would join a bare URL is left out', () => {
    const tokens = tailTokens(new MarkdownDocument().update('https://x.io`h', true))
    expect(JSON.stringify(tokens)).toContain('"href":"https://x.io`h"')
    expect(JSON.stringify(tokens)).not.toContain('x.io`h`')
  })

  test('an open code span in link text is closed before the link', () => {
    expect(JSON.stringify(tailTokens(new MarkdownDocument().update('[a`a', true)))).toContain(
      '"href":"streamdown:incomplete-link"',
    )
  })

  test('no closer is appended for an opener in a paragraph a blank line ended', () => {
    expect(streamed('~~a\n\n')).toBe('paragraph("~~a") space()')
  })

  test("remend's zero-width space under a setext line is kept (no heading while it is written)", () => {
    expect(streamed('a_\n=')).not.toContain('heading')
  })
})
