const LETTER = /\p{L}/u

/**
 * The `dir` for a box the user types into: `"auto"` (the direction of the text's first strong
 * character) once the text has a letter, and none before, so an empty or digits-only box keeps
 * the page's direction (in Chromium an empty `dir="auto"` box reads left to right even in a
 * right-to-left page, and its caret starts on the wrong side).
 *
 * @example
 * typedTextDirection('') // undefined: the page's direction
 * typedTextDirection('مرحبا') // 'auto': right to left
 */
export function typedTextDirection(text: string): 'auto' | undefined {
  return LETTER.test(text) ? 'auto' : undefined
}
