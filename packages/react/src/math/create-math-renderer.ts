import type { KatexOptions } from 'katex'
import type { MathRenderer } from '../markdown/markdown-options.ts'

/** The part of the `katex` module the renderer uses. */
export interface KatexModule {
  renderToString(tex: string, options?: KatexOptions): string
}

/** Options of {@link createMathRenderer}. */
export interface CreateMathRendererOptions {
  /**
   * Loads KaTeX, once, when the first formula is shown. Default: `import('katex')`, a lazy chunk.
   */
  katex?: () => Promise<KatexModule | { default: KatexModule }>
  /** Longer formulas (in characters) are shown as text, not rendered. Default 4,000. */
  maxLength?: number
  /** Rendered formulas kept, by TeX and mode (a re-render of the same formula is a lookup). Default 500. */
  cacheSize?: number
}

/**
 * KaTeX's safe settings for model output: `trust: false` refuses `\href`, `\url`,
 * `\includegraphics` and `\html*` (they show as errors); `maxSize` caps sizes (`\rule`,
 * `\kern`) at 20em; `maxExpand` caps macro expansion (`\def` loops); `throwOnError: false`
 * shows a bad formula as its text in red (`.katex-error`, the reason in `title`), never throws;
 * `htmlAndMathml` adds MathML for screen readers.
 */
export const SAFE_KATEX_OPTIONS = {
  output: 'htmlAndMathml',
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  maxSize: 20,
  maxExpand: 500,
} as const satisfies KatexOptions

/** Whether a failed `import()` means katex is not installed (same test as the highlighter's). */
function isMissingKatex(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
    return typeof message !== 'string' || message.includes('katex')
  return typeof message === 'string' && /\bkatex\b/.test(message) && /resolve|find|found/i.test(message)
}

function missingKatexError(cause: unknown): Error {
  return new Error(
    '@sluice/react/math: createMathRenderer() could not load katex, an optional peer dependency of @sluice/react that math rendering needs. Install it next to @sluice/react (`npm install katex`) and import `@sluice/react/math.css`; until then formulas show as their TeX text.',
    { cause },
  )
}

function katexOf(module: KatexModule | { default: KatexModule }): KatexModule {
  return 'renderToString' in module ? module : module.default
}

/**
 * Creates a {@link MathRenderer} for `Markdown`'s `math` prop, built on KaTeX. Nothing is loaded
 * until the first formula is shown: KaTeX arrives then through a dynamic `import()`, in a lazy
 * chunk, so it never weighs on the first load; meanwhile formulas show as their TeX text. KaTeX
 * runs with {@link SAFE_KATEX_OPTIONS}: its output is markup KaTeX generates from escaped TeX,
 * with MathML for screen readers.
 *
 * katex is an optional peer dependency of `@sluice/react`: without it the formulas stay text and
 * the error saying to install it is logged once. Import `@sluice/react/math.css` (KaTeX's
 * stylesheet and fonts) once in the app. Create the renderer once (module scope or `useMemo`).
 *
 * @example
 * ```tsx
 * import { createMathRenderer } from '@sluice/react/math'
 * import '@sluice/react/math.css'
 *
 * const math = createMathRenderer()
 * <Markdown math={math} streaming={streaming}>{text}</Markdown>
 * ```
 */
export function createMathRenderer(options: CreateMathRendererOptions = {}): MathRenderer {
  const maxLength = options.maxLength ?? 4000
  const cacheSize = options.cacheSize ?? 500
  const cache = new Map<string, string>()
  let katex: KatexModule | undefined
  let loading: Promise<void> | null = null
  let reportedMissing = false

  const load = (): Promise<void> => {
    if (katex !== undefined) return Promise.resolve()
    if (loading !== null) return loading
    const importKatex = options.katex ?? (() => import('katex'))
    const started = Promise.resolve()
      .then(importKatex)
      .then(
        (module) => {
          katex = katexOf(module)
        },
        (error: unknown) => {
          if (!isMissingKatex(error)) throw error
          const missing = missingKatexError(error)
          if (!reportedMissing) {
            reportedMissing = true
            console.error(missing)
          }
          throw missing
        },
      )
    loading = started
    // A failed load (offline, a chunk gone after a deploy) is forgotten, so a later formula retries.
    started.catch(() => {
      if (loading === started) loading = null
    })
    return started
  }

  const render = (tex: string, display: boolean): string | null | undefined => {
    if (tex.length > maxLength) return null
    if (katex === undefined) return undefined
    const key = `${display ? 'D' : 'I'}${tex}`
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const markup = katex.renderToString(tex, { ...SAFE_KATEX_OPTIONS, displayMode: display })
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
    cache.set(key, markup)
    return markup
  }

  return { render, load }
}
