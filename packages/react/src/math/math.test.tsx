import { flushSync } from 'react-dom'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { page } from 'vitest/browser'
import { Markdown } from '../markdown/index.ts'
import { createMathRenderer } from './index.ts'
import './math.css'

const mounted: { root: Root; container: HTMLElement }[] = []
afterEach(() => {
  for (const { root, container } of mounted.splice(0)) {
    root.unmount()
    container.remove()
  }
})

/** A fresh React root in its own container, unmounted after the test. */
function mount(): { root: Root; container: HTMLElement } {
  const container = document.createElement('div')
  document.body.append(container)
  const entry = { root: createRoot(container), container }
  mounted.push(entry)
  return entry
}

const ANSWER = [
  'Euler’s identity is $e^{i\\pi} + 1 = 0$, and a circle of radius $r$ has area \\(\\pi r^2\\).',
  '',
  '$$',
  '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
  '$$',
  '',
  'The price went from $5 to $10, and \\[\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\\] closes it.',
].join('\n')

/** Renders `text` (not streaming) with a fresh renderer and waits until every formula is KaTeX. */
async function renderAnswer(text: string, math = createMathRenderer()) {
  const { root, container } = mount()
  flushSync(() => root.render(<Markdown math={math}>{text}</Markdown>))
  await expect.poll(() => container.querySelector('[data-math="pending"]'), { timeout: 30_000 }).toBeNull()
  return { root, container }
}

/** The TeX of each rendered formula, from KaTeX's MathML annotation, in document order. */
function renderedTex(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('.katex annotation'), (node) => node.textContent ?? '')
}

describe('math in Markdown (KaTeX through @sluice/react/math)', () => {
  test('inline and display formulas render as KaTeX with MathML a screen reader reads; currency stays text', async () => {
    const { container } = await renderAnswer(ANSWER)
    expect(renderedTex(container)).toEqual([
      'e^{i\\pi} + 1 = 0',
      'r',
      '\\pi r^2',
      '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
      '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
    ])
    // One `math` element per formula (KaTeX's MathML), found by role as assistive technology does.
    expect(page.getByRole('math').elements()).toHaveLength(5)
    expect(container.querySelectorAll('.katex-display')).toHaveLength(2)
    expect(container.querySelectorAll('[data-math="display"]')).toHaveLength(2)
    expect(container.textContent).toContain('The price went from $5 to $10')
    // KaTeX's stylesheet is loaded: the visual copy is laid out, the MathML copy is visually hidden.
    const mathml = container.querySelector('.katex-mathml')!
    expect(getComputedStyle(mathml).position).toBe('absolute')
    expect(container.querySelector('.katex-html')!.getBoundingClientRect().width).toBeGreaterThan(10)
  })

  test('KaTeX is loaded only when the first formula shows, and formulas wait as text until then', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const loader = vi.fn(async () => {
      await gate
      return import('katex')
    })
    const math = createMathRenderer({ katex: loader })
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown math={math}>{'No formula here, $5 only.'}</Markdown>))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(loader).not.toHaveBeenCalled()

    flushSync(() => root.render(<Markdown math={math}>{'Now one: $a^2 + b^2$.'}</Markdown>))
    await expect.poll(() => loader.mock.calls.length).toBe(1)
    expect(container.querySelector('[data-math="pending"]')?.textContent).toBe('$a^2 + b^2$')
    release()
    await expect.poll(() => renderedTex(container), { timeout: 30_000 }).toEqual(['a^2 + b^2'])
  })

  test('streamed character by character, a formula renders once complete and never goes back to text', async () => {
    const math = createMathRenderer()
    await math.load()
    const { root, container } = mount()
    let seen: string[] = []
    for (let end = 1; end <= ANSWER.length; end++) {
      flushSync(() =>
        root.render(
          <Markdown math={math} streaming>
            {ANSWER.slice(0, end)}
          </Markdown>,
        ),
      )
      const now = renderedTex(container)
      // Formulas only ever appear at the end: every one already shown is still there, unchanged.
      expect(now.slice(0, seen.length), `after ${JSON.stringify(ANSWER.slice(0, end))}`).toEqual(seen)
      seen = now
    }
    expect(seen).toHaveLength(5)
    // While `$r$` is the last thing streamed it is still text: its closing `$` may precede a digit.
    flushSync(() =>
      root.render(
        <Markdown math={math} streaming>
          {'radius $r$'}
        </Markdown>,
      ),
    )
    expect(renderedTex(container)).toEqual([])
    expect(container.textContent).toBe('radius $r')
  })

  test('model TeX cannot make links, HTML, styles or huge boxes, and a broken formula shows as text', async () => {
    const hostile = [
      'Link $\\href{javascript:alert(1)}{click}$ and $\\url{https://evil.example}$.',
      'HTML $\\htmlClass{x}{a}$ $\\htmlStyle{position:fixed}{b}$ $\\htmlData{x=1}{c}$ $\\includegraphics{https://evil.example/x.png}$.',
      'Tags $<img src=x onerror=alert(1)>$ and a box $\\rule{5000em}{5000em}$ and $\\frac{1}{$ done.',
    ].join('\n\n')
    const { container } = await renderAnswer(hostile)
    expect(
      container.querySelector('a, img, script, [style*="position:fixed"], [style*="position: fixed"]'),
    ).toBeNull()
    // trust: false: each refused command shows as its name in KaTeX's error colour, nothing else.
    for (const command of [
      '\\href',
      '\\url',
      '\\htmlClass',
      '\\htmlStyle',
      '\\htmlData',
      '\\includegraphics',
    ]) {
      expect(container.textContent).toContain(command)
    }
    for (const box of container.querySelectorAll('.katex')) {
      expect(box.getBoundingClientRect().height).toBeLessThan(1000)
    }
    // The broken formula is KaTeX's error text (its reason as a tooltip), not a crash.
    const broken = container.querySelector('.katex-error')
    expect(broken?.textContent).toBe('\\frac{1}{')
    expect(broken?.getAttribute('title')).toContain('ParseError')
  })

  test('without katex installed the formulas stay text and the error says what to install, once', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const missing = Object.assign(new Error("Cannot find module 'katex'"), { code: 'ERR_MODULE_NOT_FOUND' })
      const math = createMathRenderer({ katex: () => Promise.reject(missing) })
      const { root, container } = mount()
      flushSync(() => root.render(<Markdown math={math}>{'Two: $a$ and $b$.'}</Markdown>))
      await expect.poll(() => error.mock.calls.length).toBeGreaterThan(0)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(error).toHaveBeenCalledTimes(1)
      expect(String(error.mock.calls[0]?.[0])).toContain('npm install katex')
      expect(container.textContent).toBe('Two: $a$ and $b$.')
      expect(container.querySelector('.katex')).toBeNull()
    } finally {
      error.mockRestore()
    }
  })

  test('without the math prop, dollars and brackets are plain text', async () => {
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown>{'$x$ and \\(y\\)'}</Markdown>))
    expect(container.textContent).toBe('$x$ and (y)')
    expect(container.querySelector('[data-math]')).toBeNull()
  })
})

test('docs/math.md quotes its sample verbatim (the file the DocsSample story renders)', () => {
  const files = import.meta.glob<string>(
    ['../../../../docs/math.md', '../../../../stories/math-sample.tsx'],
    {
      query: '?raw',
      import: 'default',
      eager: true,
    },
  )
  const docs = files['../../../../docs/math.md']
  const sample = files['../../../../stories/math-sample.tsx']
  expect(sample).toContain('createMathRenderer()')
  expect(docs).toContain(`<!-- sample: stories/math-sample.tsx -->\n\`\`\`tsx\n${sample}\`\`\``)
})
