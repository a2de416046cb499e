/**
 * Markdown texts that exercise every block boundary rule of the incremental `Markdown`: blank
 * lines inside fences and HTML comments, loose lists continuing across blank lines, indented
 * code, tables, setext headings, reference definitions that arrive after their references,
 * CRLF line ends and tabs. Used by the streaming tests (final DOM equals a one-shot render).
 */
export const markdownCorpus: readonly string[] = [
  '# Title\n\nA paragraph with **bold**, *italic*, ~~struck~~ and `code`.\n\nSecond paragraph\nwith a soft break and a hard one  \nhere.',
  'Setext heading\n==============\n\nAnother\n-------\n\ntext\n- list right after text\n- second',
  '- one\n- two\n  - nested a\n  - nested b\n- three\n\nAfter the list.',
  '- loose one\n\n- loose two\n\n  continued paragraph in item two\n\n- loose three\n\nParagraph.',
  '1. first\n2. second\n\n3. third after a blank line\n\n10. ten\n\nend',
  '3. starts at three\n4. four\n\n* star list\n* star two\n\n+ plus list\n\nx',
  '- [x] done task\n- [ ] open task\n\n1. [ ] ordered task',
  '```ts\nconst a = 1\n\n\nconst b = 2 // blank lines inside the fence\n```\n\nAfter the fence.\n\n~~~\ntilde fence\n\n~~~\n\nend',
  '````md\n```\nnested fence\n```\n````\n\ndone',
  'Intro\n\n    indented code\n\n    still indented code\n\nnot code',
  '\tcode with a tab\n\n\tmore tab code\n\npara\twith\ttabs',
  '> quote line one\n> quote line two\nlazy continuation\n\n> second quote\n>\n> > nested quote\n\nafter',
  '> - list in quote\n> - item two\n>\n> ```\n> code in quote\n> ```\n\nout',
  '| Name | Value | Note |\n|:-----|------:|:----:|\n| a | 1 | **x** |\n| b | 2 | `y` |\n| c |\n\nAfter table.',
  'a | b\n--|--\n1 | 2\n\n| single |\n|---|\n| row |',
  'Text with [inline link](https://example.com "Example") and <https://auto.example.com> and www.example.org and mail@example.com.',
  'See [the docs][docs] and [Docs] and [missing][nothere].\n\nMore text.\n\n[docs]: https://docs.example.com "Docs"\n\nFinal paragraph.',
  '[first][a]\n\n[a]: https://first.example.com\n\n[a]: https://second.example.com\n\n[second][a]',
  'Image ![alt text](https://images.example.com/a.png "title") inline.\n\n![](https://images.example.com/b.png)',
  '<!--\n\ncomment with blank lines\n\n-->\n\n<div>\n<b>html</b>\n</div>\n\ntext <span>inline html</span> end',
  'Entities: &amp; &copy; &#169; &#x263A; &nbsp;x &notanentity; & alone < > "quotes" \'single\'',
  'Escapes: \\*not emphasis\\* \\[not a link\\] \\`no code\\` 1\\. not a list',
  '***\n\n---\n\n___\n\nbetween rules',
  'line one\r\nline two\r\n\r\n- crlf list\r\n- item\r\n\r\ncrlf para',
  '# H1\n## H2\n### H3\n#### H4\n##### H5\n###### H6\n####### not a heading',
  'Paragraph\n```\nfence interrupting paragraph\n```\nafter fence without blank',
  '* a\n\n\n* b after two blank lines\n\n\n\nend',
  '1. item\n\n   ```js\n   code in item\n\n   more\n   ```\n\n2. item two\n\ntail',
  'Mixed **bold with `code` and [link](https://x.example.com)** and _under_ __strong__.',
  '- item\n\n      indented code in item\n\n- next\n\nz',
  'Unclosed fence at the end\n\n```python\ndef f():\n\n    return 1',
  'Trailing definition use [x][ref]\n\n[ref]: https://ref.example.com',
]

/** A long answer (prose, lists, code, tables) built by repeating varied sections. */
export function longMarkdownAnswer(targetLength: number): string {
  const sections: string[] = []
  let length = 0
  for (let index = 0; length < targetLength; index++) {
    const section = [
      `## Section ${index + 1}: streaming details`,
      '',
      `Paragraph ${index} explains **incremental rendering** with *emphasis*, \`inline code\`, and a [link](https://example.com/docs/${index}). It keeps going for a while so that the prose is realistic, with commas, numbers like ${index * 7}, and a second sentence.`,
      '',
      `- point one about section ${index}`,
      '- point two with **bold** text',
      '  - a nested point',
      '- point three',
      '',
      '```ts',
      `export function section${index}(input: string): number {`,
      '  const parts = input.split(",")',
      '',
      '  return parts.length',
      '}',
      '```',
      '',
      '| Metric | Value | Change |',
      '|:-------|------:|:------:|',
      `| chunks | ${index * 13} | +${index % 5}% |`,
      `| blocks | ${index * 3} | -${index % 3}% |`,
      '',
      `> A quote in section ${index}, with a [reference link][ref${index % 3}].`,
      '',
      `1. step one`,
      `2. step two`,
      '',
    ].join('\n')
    sections.push(section)
    length += section.length + 1
  }
  sections.push(
    '[ref0]: https://example.com/r0\n[ref1]: https://example.com/r1\n[ref2]: https://example.com/r2\n',
  )
  return sections.join('\n')
}

/** A deterministic pseudo-random generator (mulberry32), so failures can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits `text` into chunks of random size between 1 and `maximum`. */
export function randomChunks(text: string, random: () => number, maximum: number): string[] {
  const chunks: string[] = []
  for (let index = 0; index < text.length; ) {
    const size = 1 + Math.floor(random() * maximum)
    chunks.push(text.slice(index, index + size))
    index += size
  }
  return chunks
}
