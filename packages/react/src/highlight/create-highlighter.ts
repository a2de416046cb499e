import type { createLowlight, LanguageFn } from 'lowlight'
import type { CodeHighlighter, HighlightedToken } from '../markdown/markdown-options.ts'
import { hastToLines } from './hast-to-lines.ts'

/** highlight.js grammars by language name, as lowlight's `common` and `all` export them. */
export type LanguageGrammars = Readonly<Record<string, LanguageFn>>

/** Options of {@link createHighlighter}. */
export interface CreateHighlighterOptions {
  /**
   * Loads the grammars, once, the first time a block with a language is highlighted. Default:
   * lowlight's `common` set (37 languages; aliases such as `ts`, `js`, `py`, `sh`, `yml` work).
   * Load them with a dynamic `import()` so they stay out of the first load: every highlight.js
   * grammar with `() => import('lowlight').then((lowlight) => lowlight.all)`, or a few with
   * `async () => ({ rust: (await import('highlight.js/lib/languages/rust')).default })`
   * (add `highlight.js` to your dependencies for that).
   */
  languages?: () => Promise<LanguageGrammars> | LanguageGrammars
  /**
   * More names for registered languages, by language: `{ javascript: ['node'], bash: 'zsh' }`.
   */
  aliases?: Readonly<Record<string, string | readonly string[]>>
  /** The prefix of the token class names. Default `'hljs-'` (`hljs-keyword`, `hljs-string`…). */
  classPrefix?: string
  /**
   * Guess the language of a block without one, or with an unknown one. Default `false`: guessing
   * runs every grammar over the code (slow on long blocks) and often guesses wrong on the partial
   * code of a streaming block, so such blocks stay plain text.
   */
  detectLanguage?: boolean
}

type Lowlight = ReturnType<typeof createLowlight>

/**
 * Whether a failed `import()` means lowlight is not installed: Node's and bundlers' "module not
 * found" codes, or a message that names the package (Vite's dev server, webpack).
 */
function isMissingLowlight(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
    return typeof message !== 'string' || message.includes('lowlight')
  return typeof message === 'string' && /\blowlight\b/.test(message) && /resolve|find|found/i.test(message)
}

/**
 * The error a highlighter rejects with when lowlight is missing. `Markdown` keeps a block plain
 * when its highlighter rejects and says nothing, so this one is also logged, once per highlighter:
 * otherwise a missing optional peer would look like a language without colours.
 */
function missingLowlightError(cause: unknown): Error {
  return new Error(
    '@sluice/react/highlight: createHighlighter() could not load lowlight, an optional peer dependency of @sluice/react that code highlighting needs. Install it next to @sluice/react (`npm install lowlight`); until then code blocks stay plain text.',
    { cause },
  )
}

/** Lines of unstyled text: what an unknown language gives, shown as plain text. */
function plainLines(code: string): HighlightedToken[][] {
  return code.split('\n').map((line) => (line === '' ? [] : [{ content: line }]))
}

/**
 * Gives the browser a turn between two highlights: several blocks that complete in one render
 * (an answer shown at once) are highlighted in separate tasks, not in one long one.
 */
function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  if (typeof scheduler?.yield === 'function') return scheduler.yield()
  return new Promise((resolve) => setTimeout(resolve, 0))
}

/**
 * Creates a {@link CodeHighlighter} for `Markdown`'s `highlighter` prop, built on lowlight
 * (highlight.js grammars, hast output). Nothing is loaded until the first block with a language is
 * highlighted: lowlight and its grammars arrive then through a dynamic `import()`, in lazy
 * chunks, so they never weigh on the first load. A block whose language is not registered (or
 * that has none) stays plain text; nothing is guessed unless `detectLanguage` is set.
 *
 * Tokens carry class names (`hljs-keyword`), never colours and never HTML: import
 * `@sluice/react/highlight.css` for a light and dark theme, or style the `hljs-*` classes
 * yourself. Create it once (module scope or `useMemo`), since `Markdown` highlights again when
 * the highlighter changes. If loading fails (a chunk that could not be fetched), the blocks stay
 * plain and the next block tries again. lowlight is an optional peer dependency of
 * `@sluice/react`: without it, the highlighter rejects with an error that says to install it
 * (logged once with `console.error`, since `Markdown` keeps the block plain and silent).
 *
 * @example
 * ```tsx
 * import { createHighlighter } from '@sluice/react/highlight'
 * import '@sluice/react/highlight.css'
 *
 * const highlighter = createHighlighter()
 * <Markdown highlighter={highlighter} streaming={streaming}>{text}</Markdown>
 * ```
 */
export function createHighlighter(options: CreateHighlighterOptions = {}): CodeHighlighter {
  const prefix = options.classPrefix ?? 'hljs-'
  const detectLanguage = options.detectLanguage ?? false
  let loading: Promise<Lowlight> | null = null
  let reportedMissing = false

  const load = (): Promise<Lowlight> => {
    if (loading !== null) return loading
    const explainMissing = (error: unknown): never => {
      if (!isMissingLowlight(error)) throw error
      const missing = missingLowlightError(error)
      if (!reportedMissing) {
        reportedMissing = true
        console.error(missing)
      }
      throw missing
    }
    const grammars =
      options.languages === undefined
        ? import('./common-grammars.ts').then((module) => module.common, explainMissing)
        : Promise.resolve().then(options.languages)
    const runtime = import('./lowlight-core.ts').catch(explainMissing)
    const started = Promise.all([runtime, grammars]).then(([{ createLowlight }, loaded]) => {
      const lowlight = createLowlight(loaded)
      if (options.aliases !== undefined) lowlight.registerAlias(options.aliases)
      return lowlight
    })
    loading = started
    // A failed load (offline, a chunk gone after a deploy) is forgotten, so a later block retries.
    started.catch(() => {
      if (loading === started) loading = null
    })
    return started
  }

  return async (code, language) => {
    const name = language.trim().toLowerCase()
    if (name === '' && !detectLanguage) return plainLines(code)
    const lowlight = await load()
    await yieldToBrowser()
    if (name !== '' && lowlight.registered(name))
      return hastToLines(lowlight.highlight(name, code, { prefix }))
    if (detectLanguage) return hastToLines(lowlight.highlightAuto(code, { prefix }))
    return plainLines(code)
  }
}
