/**
 * Math for `Markdown`, loaded lazily: `createMathRenderer()` returns a `MathRenderer` built on
 * KaTeX, which is fetched with a dynamic `import()` when the first formula is shown. KaTeX's
 * stylesheet and fonts are in `@sluice/react/math.css`.
 *
 * @example
 * ```tsx
 * import { Markdown } from '@sluice/react'
 * import { createMathRenderer } from '@sluice/react/math'
 * import '@sluice/react/math.css'
 *
 * const math = createMathRenderer()
 * <Markdown math={math}>{'Euler: $e^{i\\pi} + 1 = 0$'}</Markdown>
 * ```
 * @module
 */
export type { MathRenderer } from '../markdown/markdown-options.ts'
export {
  type CreateMathRendererOptions,
  createMathRenderer,
  type KatexModule,
  SAFE_KATEX_OPTIONS,
} from './create-math-renderer.ts'
