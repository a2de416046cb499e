/**
 * lowlight's `common` grammars (37 highlight.js languages: TypeScript, JavaScript, Python, JSON,
 * Bash, shell, Go, Rust, Java, C, C++, C#, SQL, YAML, XML/HTML, CSS, diff, Markdown…), the
 * default of `createHighlighter`. A module of its own so it is a lazy chunk, loaded only when no
 * `languages` option replaces it; `all` (about 190 grammars) is left out of the bundle.
 *
 * @example
 * ```ts
 * const { common } = await import('./common-grammars.ts')
 * ```
 * @module
 */
export { common } from 'lowlight'
