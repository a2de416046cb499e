import { Markdown } from '@sluice/react'
import { createMathRenderer } from '@sluice/react/math'
import '@sluice/react/math.css'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { Answer } from './math-sample.tsx'

/** One renderer for the stories: KaTeX loads once, on the first formula. */
const math = createMathRenderer()

const mathAnswer = String.raw`The area under $f(x) = x^2$ from $0$ to $1$ is

$$
\int_0^1 x^2\,dx = \frac{1}{3}
$$

Euler's identity \(e^{i\pi} + 1 = 0\) links five constants, and
\[\sum_{k=1}^{n} k = \frac{n(n+1)}{2}.\]

Prices such as $5 and $10 stay text.`

/**
 * Formulas rendered by `createMathRenderer()` from `@sluice/react/math` (KaTeX, loaded on the
 * first formula) with KaTeX's stylesheet from `@sluice/react/math.css`. Each formula carries
 * MathML for screen readers (`role="math"`).
 */
const meta = {
  title: 'Components/Markdown/Math',
  component: Markdown,
  args: { children: mathAnswer, math },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Markdown>

export default meta
type Story = StoryObj<typeof meta>

async function expectFormulas(canvasElement: HTMLElement, count: number) {
  await waitFor(() => expect(within(canvasElement).getAllByRole('math')).toHaveLength(count), {
    timeout: 30_000,
  })
}

/** Inline and display formulas; currency is text. */
export const Rendered: Story = {
  play: async ({ canvasElement }) => {
    await expectFormulas(canvasElement, 6)
    expect(canvasElement.querySelectorAll('[data-math="display"]')).toHaveLength(2)
    expect(canvasElement.textContent).toContain('Prices such as $5 and $10 stay text.')
  },
}

/** The same in the dark theme: formulas take the text colour. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expectFormulas(canvasElement, 6)
    const formula = canvasElement.querySelector('.katex') as Element
    const paragraph = canvasElement.querySelector('p') as Element
    expect(getComputedStyle(formula).color).toBe(getComputedStyle(paragraph).color)
  },
}

function StreamingMath() {
  const [length, setLength] = useState(0)
  useEffect(() => {
    if (length >= mathAnswer.length) return
    const timer = setTimeout(() => setLength((current) => Math.min(mathAnswer.length, current + 4)), 16)
    return () => clearTimeout(timer)
  }, [length])
  return (
    <Markdown streaming={length < mathAnswer.length} math={math}>
      {mathAnswer.slice(0, length)}
    </Markdown>
  )
}

/** Streaming: an unfinished formula shows as its text; it renders once its closing delimiter arrives. */
export const Streaming: Story = {
  render: () => <StreamingMath />,
  play: async ({ canvasElement }) => {
    await waitFor(
      () => expect(canvasElement.querySelector('[data-markdown]')).not.toHaveAttribute('data-streaming'),
      { timeout: 15_000 },
    )
    await expectFormulas(canvasElement, 6)
  },
}

/** Before KaTeX has loaded (here: never), each formula shows as its TeX text. */
export const Loading: Story = {
  args: { math: createMathRenderer({ katex: () => new Promise(() => {}) }) },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelectorAll('[data-math="pending"]')).toHaveLength(6))
    expect(canvasElement.querySelector('[data-math="pending"]')?.textContent).toBe('$f(x) = x^2$')
  },
}

/** A broken formula shows as KaTeX's error text; commands that need trust show as their names. */
export const Errors: Story = {
  args: {
    children: String.raw`A broken formula $\frac{1}{$ and a refused link $\href{https://example.com}{click}$ stay text.`,
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('.katex-error')).not.toBeNull(), {
      timeout: 30_000,
    })
    expect(canvasElement.querySelector('a')).toBeNull()
    expect(canvasElement.textContent).toContain('\\href')
  },
}

/** The sample of docs/math.md, as an app writes it. */
export const DocsSample: Story = {
  render: () => <Answer text={String.raw`Euler: $e^{i\pi} + 1 = 0$, for $5 or $10.`} streaming={false} />,
  play: async ({ canvasElement }) => {
    await expectFormulas(canvasElement, 1)
    expect(canvasElement.textContent).toContain('for $5 or $10.')
  },
}
