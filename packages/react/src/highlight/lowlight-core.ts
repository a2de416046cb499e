/**
 * The lowlight runtime (highlight.js core with a hast emitter), in a module of its own so
 * `createHighlighter` can load it with a dynamic `import()`: bundlers put it in a lazy chunk,
 * fetched the first time a code block with a language is highlighted. Only `createLowlight` is
 * re-exported, so the bundle leaves out lowlight's grammar sets (`common`, `all`) that this module
 * does not name.
 *
 * @example
 * ```ts
 * const { createLowlight } = await import('./lowlight-core.ts')
 * ```
 * @module
 */
export { createLowlight } from 'lowlight'
