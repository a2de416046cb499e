import fc from 'fast-check'
import { type ComponentProps, Profiler } from 'react'
import { flushSync } from 'react-dom'
import { describe, expect, test } from 'vitest'
import { Markdown } from '../../packages/react/src/markdown/index.ts'
import { lexMarkdown } from '../../packages/react/src/markdown/lex-markdown.ts'
import {
  DEFAULT_RENDER_OPTIONS,
  MarkdownOptionsContext,
} from '../../packages/react/src/markdown/markdown-options.ts'
import { renderBlocks } from '../../packages/react/src/markdown/render-tokens.tsx'
import { longMarkdownAnswer, markdownCorpus, randomChunks, seededRandom } from './markdown-corpus.ts'
import { mount } from './mount-root.ts'
// The theme's margins and cell padding: the heights measured below are the ones users see.
import '../../packages/react/src/theme.css'

/** Renders `element` synchronously and returns the container's HTML. */
function renderOnce(element: React.ReactNode): string {
  const { root, container } = mount()
  flushSync(() => root.render(element))
  return container.innerHTML
}

/** Streams `chunks` into one `Markdown`, then ends the stream; returns the final HTML. */
function streamChunks(
  chunks: readonly string[],
  props: Partial<ComponentProps<typeof Markdown>> = {},
): string {
  const { root, container } = mount()
  let text = ''
  for (const chunk of chunks) {
    text += chunk
    flushSync(() =>
      root.render(
        <Markdown {...props} streaming>
          {text}
        </Markdown>,
      ),
    )
  }
  flushSync(() => root.render(<Markdown {...props}>{text}</Markdown>))
  return container.innerHTML
}

/**
 * The whole text lexed by marked in one go and rendered with the same token renderer: what the
 * block splitting must be indistinguishable from.
 */
function WholeDocument({ text }: { text: string }) {
  const { tokens } = lexMarkdown(text, {})
  return (
    <MarkdownOptionsContext.Provider value={DEFAULT_RENDER_OPTIONS}>
      <div data-markdown="">
        {renderBlocks(tokens, { options: DEFAULT_RENDER_OPTIONS, complete: true, insideLink: false }, true)}
      </div>
    </MarkdownOptionsContext.Provider>
  )
}

describe('final DOM equals a one-shot render', () => {
  test.each(markdownCorpus.map((text, index) => [index, text] as const))(
    'corpus text %i, streamed character by character, in 5-character chunks and in random chunks',
    (index, text) => {
      const random = seededRandom(20240611 + index)
      const oneShot = renderOnce(<Markdown>{text}</Markdown>)
      expect(renderOnce(<WholeDocument text={text} />), 'one-shot vs whole-document lex').toBe(oneShot)
      expect(streamChunks([...text]), 'character by character').toBe(oneShot)
      const fives = Array.from({ length: Math.ceil(text.length / 5) }, (_, chunk) =>
        text.slice(chunk * 5, chunk * 5 + 5),
      )
      expect(streamChunks(fives), '5-character chunks').toBe(oneShot)
      for (let round = 0; round < 4; round++) {
        const chunks = randomChunks(text, random, 12)
        expect(streamChunks(chunks), `chunks ${JSON.stringify(chunks)}`).toBe(oneShot)
      }
    },
  )

  test('all corpus texts joined into one document, streamed in random chunks', () => {
    const text = markdownCorpus.join('\n\n')
    const oneShot = renderOnce(<Markdown>{text}</Markdown>)
    expect(renderOnce(<WholeDocument text={text} />)).toBe(oneShot)
    const random = seededRandom(7)
    for (let round = 0; round < 3; round++) {
      expect(streamChunks(randomChunks(text, random, 40))).toBe(oneShot)
    }
  }, 60_000)

  test('a 20,000-character answer streamed in random chunks equals the whole-document render', () => {
    const text = longMarkdownAnswer(20_000)
    const whole = renderOnce(<WholeDocument text={text} />)
    expect(renderOnce(<Markdown>{text}</Markdown>)).toBe(whole)
    expect(streamChunks(randomChunks(text, seededRandom(99), 30))).toBe(whole)
  }, 60_000)

  test('while still streaming, finished blocks already match the one-shot render', () => {
    const text = '# Title\n\nFirst paragraph.\n\n- a\n- b\n\nStill typing'
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown streaming>{text}</Markdown>))
    expect(container.querySelector('h1')?.textContent).toBe('Title')
    expect([...container.querySelectorAll('li')].map((item) => item.textContent)).toEqual(['a', 'b'])
    expect(container.querySelectorAll('p')[1]?.textContent).toBe('Still typing')
  })
})

/** Renders per paragraph, keyed by its first word (stable while the paragraph grows). */
const paragraphRenders = new Map<string, number>()

/** A `p` override that counts its renders: a memoised block that is skipped does not count. */
function CountingParagraph(props: ComponentProps<'p'>) {
  const text = String(Array.isArray(props.children) ? props.children[0] : props.children)
  const word = text.split(' ')[0] ?? ''
  paragraphRenders.set(word, (paragraphRenders.get(word) ?? 0) + 1)
  return <p {...props} />
}

describe('only the tail block re-renders', () => {
  test('appending to the last paragraph renders only that paragraph, not the finished ones', () => {
    paragraphRenders.clear()
    const components = { p: CountingParagraph }
    const { root } = mount()
    let text = 'Alpha block is done.\n\nBravo block is done.\n\nCharlie grows'
    flushSync(() =>
      root.render(
        <Markdown streaming components={components}>
          {text}
        </Markdown>,
      ),
    )
    expect(paragraphRenders.get('Alpha')).toBe(1)
    expect(paragraphRenders.get('Bravo')).toBe(1)
    for (const word of [' and', ' grows', ' more', ' and', ' more']) {
      text += word
      flushSync(() =>
        root.render(
          <Markdown streaming components={{ p: CountingParagraph }}>
            {text}
          </Markdown>,
        ),
      )
    }
    // Five appends: the tail paragraph rendered six times, the finished blocks never again.
    expect(paragraphRenders.get('Alpha')).toBe(1)
    expect(paragraphRenders.get('Bravo')).toBe(1)
    expect(paragraphRenders.get('Charlie')).toBe(6)
  })

  test('in a 200-block document, an append renders the tail alone and keeps the finished DOM nodes', () => {
    paragraphRenders.clear()
    const components = { p: CountingParagraph }
    const finished = Array.from({ length: 200 }, (_, index) => `P${index} is finished.`).join('\n\n')
    const commits: string[] = []
    const { root, container } = mount()
    const renderWith = (value: string) =>
      flushSync(() =>
        root.render(
          <Profiler id="markdown" onRender={(_id, phase) => commits.push(phase)}>
            <Markdown streaming components={components}>
              {value}
            </Markdown>
          </Profiler>,
        ),
      )
    renderWith(`${finished}\n\nTail`)
    const firstParagraph = container.querySelector('p')
    renderWith(`${finished}\n\nTail grows`)
    renderWith(`${finished}\n\nTail grows more`)
    expect(commits).toEqual(['mount', 'update', 'update'])
    expect(container.querySelector('p')).toBe(firstParagraph)
    expect(container.querySelectorAll('p')[200]?.textContent).toBe('Tail grows more')
    for (let index = 0; index < 200; index++) expect(paragraphRenders.get(`P${index}`)).toBe(1)
    expect(paragraphRenders.get('Tail')).toBe(3)
  })
})

describe('the streaming caret', () => {
  const caret = <span data-testid="caret" />
  /** Where the caret is: its parent's tag, and the text just before it. */
  function caretPlace(text: string, streaming = true) {
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown streaming={streaming} caret={caret}>
          {text}
        </Markdown>,
      ),
    )
    const found = container.querySelectorAll('[data-testid="caret"]')
    if (found.length === 0) return undefined
    expect(found).toHaveLength(1)
    const element = found[0]!
    return {
      parent: element.parentElement?.tagName.toLowerCase(),
      before: element.previousSibling?.textContent,
    }
  }

  test('sits after the last character, inside the last paragraph, heading, list item or table cell', () => {
    expect(caretPlace('Done.\n\nThe Loire is long')).toEqual({ parent: 'p', before: 'The Loire is long' })
    expect(caretPlace('## A title')).toEqual({ parent: 'h2', before: 'A title' })
    expect(caretPlace('- one\n- two\n- thr')).toEqual({ parent: 'li', before: 'thr' })
    expect(caretPlace('Intro\n\n1. first\n\n2. second one')).toMatchObject({
      parent: 'p',
      before: 'second one',
    })
    expect(caretPlace('> quoted and **bold')).toMatchObject({ parent: 'p' })
    expect(caretPlace('| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | fo')).toEqual({ parent: 'td', before: 'fo' })
    expect(caretPlace('| a | b |\n| - | - |')).toEqual({ parent: 'th', before: 'b' })
  })

  test('follows a code block or a rule (the code keeps exactly its text), and shows with no text yet', () => {
    const code = caretPlace('```js\nconst a = 1')
    expect(code?.parent).toBe('div')
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown streaming caret={caret}>
          {'```js\nconst a = 1'}
        </Markdown>,
      ),
    )
    expect(container.querySelector('code')?.textContent).toBe('const a = 1')
    expect(container.querySelector('pre [data-testid="caret"]')).toBeNull()
    expect(caretPlace('')).toEqual({ parent: 'div', before: undefined })
  })

  test('is gone once the stream ends', () => {
    expect(caretPlace('The Loire is long.', false)).toBeUndefined()
  })

  test('moves to the new block when one starts; finished blocks are not rendered again', () => {
    paragraphRenders.clear()
    const components = { p: CountingParagraph }
    const { root, container } = mount()
    const renderWith = (value: string) =>
      flushSync(() =>
        root.render(
          <Markdown streaming components={components} caret={caret}>
            {value}
          </Markdown>,
        ),
      )
    renderWith('Alpha is done.\n\nBravo grows')
    renderWith('Alpha is done.\n\nBravo grows more')
    expect(container.querySelectorAll('p')[1]?.querySelector('[data-testid="caret"]')).not.toBeNull()
    renderWith('Alpha is done.\n\nBravo grows more.\n\nCharlie')
    renderWith('Alpha is done.\n\nBravo grows more.\n\nCharlie grows')
    renderWith('Alpha is done.\n\nBravo grows more.\n\nCharlie grows more')
    expect(container.querySelectorAll('[data-testid="caret"]')).toHaveLength(1)
    expect(container.querySelectorAll('p')[2]?.querySelector('[data-testid="caret"]')).not.toBeNull()
    // Alpha never again; Bravo twice as the tail, once more when it lost the caret; Charlie three.
    expect(paragraphRenders.get('Alpha')).toBe(1)
    expect(paragraphRenders.get('Bravo')).toBe(3)
    expect(paragraphRenders.get('Charlie')).toBe(3)
  })
})

describe('incomplete syntax at the tail is repaired', () => {
  function renderStreaming(text: string, props: Partial<ComponentProps<typeof Markdown>> = {}) {
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown {...props} streaming>
          {text}
        </Markdown>,
      ),
    )
    return container
  }

  test('**bo shows bold text without asterisks', () => {
    const container = renderStreaming('Some **bo')
    expect(container.querySelector('strong')?.textContent).toBe('bo')
    expect(container.textContent).not.toContain('*')
  })

  test('an open code fence renders as a code block with its language', () => {
    const container = renderStreaming('Intro\n\n```ts\nconst a = 1\n\nconst b')
    const code = container.querySelector('pre > code')
    expect(code?.getAttribute('data-language')).toBe('ts')
    expect(code?.textContent).toBe('const a = 1\n\nconst b')
    expect(container.textContent).not.toContain('```')
  })

  test('a half link shows its text, not brackets, and has no href yet', () => {
    const container = renderStreaming('Read [the guide](htt')
    expect(container.textContent).toBe('Read the guide')
    expect(container.querySelector('a')).toBeNull()
    expect(container.querySelector('[data-markdown-link="pending"]')?.textContent).toBe('the guide')
  })

  test('a half table row renders inside the table, and a half delimiter row already makes a table', () => {
    const container = renderStreaming('| a | b |\n|---|---|\n| 1 |')
    expect([...container.querySelectorAll('th')].map((cell) => cell.textContent)).toEqual(['a', 'b'])
    expect([...container.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual(['1', ''])
    const early = renderStreaming('| a | b |\n|--')
    expect([...early.querySelectorAll('th')].map((cell) => cell.textContent)).toEqual(['a', 'b'])
    expect(early.textContent).not.toContain('|')
  })

  test('a half image is never requested, even from an allowed origin', async () => {
    const origin = window.location.origin
    const url = `${origin}/__sluice_half_image__.png`
    const container = renderStreaming(`Look ![chart](${url.slice(0, -3)}`, { allowedOrigins: [origin] })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(container.querySelector('img')).toBeNull()
    expect(container.textContent).not.toContain('![')
    const requested = performance.getEntriesByType('resource').map((entry) => entry.name)
    expect(requested.some((name) => name.includes('__sluice_half_image__'))).toBe(false)
  })

  test('a complete image in the streaming tail waits until its block is complete', () => {
    const origin = window.location.origin
    const text = `![chart](${origin}/__sluice_tail_image__.png)`
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown streaming allowedOrigins={[origin]}>
          {text}
        </Markdown>,
      ),
    )
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('[data-markdown-image="pending"]')?.textContent).toBe('chart')
    flushSync(() => root.render(<Markdown allowedOrigins={[origin]}>{text}</Markdown>))
    expect(container.querySelector('img')?.getAttribute('src')).toBe(`${origin}/__sluice_tail_image__.png`)
  })

  test('a reference defined after its use resolves once the definition block is final', () => {
    const { root, container } = mount()
    const start = 'Use [the docs][d] here.\n\n'
    flushSync(() => root.render(<Markdown streaming>{start}</Markdown>))
    expect(container.querySelector('a')).toBeNull()
    const text = `${start}[d]: https://docs.example.com\n\nNext paragraph`
    flushSync(() => root.render(<Markdown streaming>{text}</Markdown>))
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://docs.example.com')
  })
})

/** Model-sized tokens: a word with the spaces before it, or a run of line breaks. */
function modelTokens(text: string): string[] {
  return text.match(/\n+|[^\S\n]*[^\s]+/g) ?? []
}

/**
 * Streams `pieces` into one `Markdown` 480px wide and records, after each update, the rendered
 * height and the text of every paragraph (what a user would see painted at that moment).
 */
function streamMeasured(pieces: readonly string[]) {
  const { root, container } = mount()
  container.style.width = '480px'
  const heights: number[] = []
  const paragraphs: { shown: string; text: string[] }[] = []
  let text = ''
  for (const piece of pieces) {
    text += piece
    flushSync(() => root.render(<Markdown streaming>{text}</Markdown>))
    heights.push(container.getBoundingClientRect().height)
    paragraphs.push({
      shown: text,
      text: [...container.querySelectorAll('p')].map((node) => node.textContent ?? ''),
    })
  }
  flushSync(() => root.render(<Markdown>{text}</Markdown>))
  return { container, heights, paragraphs, text }
}

/** Every place where the height went down, as `{ after, from, to }`. */
function shrinks(heights: readonly number[], pieces: readonly string[]) {
  const found: { after: string; from: number; to: number }[] = []
  for (let index = 1; index < heights.length; index++) {
    if (heights[index]! < heights[index - 1]!)
      found.push({
        after: pieces.slice(0, index + 1).join(''),
        from: heights[index - 1]!,
        to: heights[index]!,
      })
  }
  return found
}

describe('a table written without leading pipes', () => {
  const TABLE = [
    'Here are the results:',
    '',
    'Name | Score | Note',
    '--- | ---: | ---',
    'alpha | 1 | the first row',
    'beta | 22 | the second row',
    '',
    'Then the same table right under a paragraph line:',
    'Name | Score',
    ':--- | ---',
    'gamma | 3',
    '',
    'That is all.',
  ].join('\n')

  test.each([
    ['token by token', modelTokens(TABLE)],
    ['character by character', [...TABLE]],
  ])('streamed %s: never painted as a paragraph of pipes, and the answer never shrinks', (_, pieces) => {
    const { container, heights, paragraphs, text } = streamMeasured(pieces)
    for (const { shown, text: painted } of paragraphs)
      for (const paragraph of painted) expect(paragraph, `after ${JSON.stringify(shown)}`).not.toContain('|')
    expect(shrinks(heights, pieces)).toEqual([])
    expect(
      [...container.querySelectorAll('table')].map((table) =>
        [...table.querySelectorAll('tr')].map((row) => [...row.children].map((cell) => cell.textContent)),
      ),
    ).toEqual([
      [
        ['Name', 'Score', 'Note'],
        ['alpha', '1', 'the first row'],
        ['beta', '22', 'the second row'],
      ],
      [
        ['Name', 'Score'],
        ['gamma', '3'],
      ],
    ])
    expect(container.innerHTML).toBe(renderOnce(<Markdown>{text}</Markdown>))
  })

  test('a sentence with a | that is not a table shows in full as soon as the next line starts', () => {
    const text = 'Pipe the output: use a | b to join them.\nThis next line is not a delimiter row.\n\nDone.'
    const pieces = modelTokens(text)
    const { heights, paragraphs } = streamMeasured(pieces)
    const at = (shown: string) => paragraphs.find((state) => state.shown === shown)?.text
    // Held from the pipe while the line may still be a table's header…
    expect(at('Pipe the output: use a | b to join them.')).toEqual(['Pipe the output: use a'])
    // …and shown whole with the first character of a line that is not a delimiter row.
    expect(at('Pipe the output: use a | b to join them.\nThis')?.[0]).toBe(
      'Pipe the output: use a | b to join them.\nThis',
    )
    expect(shrinks(heights, pieces)).toEqual([])
  })

  test('a line inside a fenced code block is never held, pipes and all', () => {
    const { root, container } = mount()
    const text = '```sh\ncat notes.txt | grep todo | wc -l'
    for (let end = 1; end <= text.length; end++) {
      flushSync(() => root.render(<Markdown streaming>{text.slice(0, end)}</Markdown>))
      const code = container.querySelector('pre code')
      // (The code block drops the trailing spaces of its last line while it streams.)
      if (end > '```sh\n'.length) expect(code?.textContent).toBe(text.slice('```sh\n'.length, end).trimEnd())
    }
  })

  test('any text, any prefix, any chunking (fast-check): what was held shows once the stream ends', () => {
    const piece = fc.constantFrom(
      'a',
      'b c',
      ' ',
      '|',
      ' | ',
      '\\|',
      '`',
      '---',
      ':--',
      '-',
      '\n',
      '\n\n',
      '```',
      '- ',
      '> ',
      '#',
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1 }),
        (pieces, sizes) => {
          const text = pieces.join('')
          const chunks: string[] = []
          for (let start = 0, step = 0; start < text.length; step++) {
            const size = sizes[step % sizes.length]!
            chunks.push(text.slice(start, start + size))
            start += size
          }
          return streamChunks(chunks) === renderOnce(<Markdown>{text}</Markdown>)
        },
      ),
      { numRuns: 150, seed: 15 },
    )
  }, 60_000)
})

describe('code blocks', () => {
  test('have a "Copy code" button that copies the code', async () => {
    const { root, container } = mount()
    let copied = ''
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: async (value: string) => {
          copied = value
        },
      },
    })
    try {
      flushSync(() => root.render(<Markdown>{'```sh\nnpm install sluice\n```'}</Markdown>))
      const button = container.querySelector<HTMLButtonElement>('button[aria-label="Copy code"]')
      expect(button).not.toBeNull()
      button?.click()
      await expect.poll(() => copied).toBe('npm install sluice')
      await expect.poll(() => button?.textContent).toBe('Copied')
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard')
      if (original !== undefined) Object.defineProperty(Navigator.prototype, 'clipboard', original)
    }
  })

  test('a streaming block with no finished line is not highlighted; the complete block is, asynchronously, without HTML', async () => {
    const calls: string[] = []
    const highlighter = async (code: string, language: string) => {
      calls.push(`${language}:${code}`)
      return code.split('\n').map((line) => [{ content: line, color: 'rgb(255, 0, 0)' }])
    }
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown streaming highlighter={highlighter}>
          {'```js\nlet a = "<b>"'}
        </Markdown>,
      ),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(calls).toEqual([])
    flushSync(() => root.render(<Markdown highlighter={highlighter}>{'```js\nlet a = "<b>"\n```'}</Markdown>))
    // The plain text is there at once; the highlighted version replaces it later.
    expect(container.querySelector('code')?.textContent).toBe('let a = "<b>"')
    await expect
      .poll(() => container.querySelector('code[data-highlighted] span')?.textContent)
      .toBe('let a = "<b>"')
    expect(calls).toEqual(['js:let a = "<b>"'])
    expect(container.querySelector('code b')).toBeNull()
  })
})
