/**
 * Deterministic token-sized pieces of a text, so a scenario's `tokensPerSecond` means what it
 * says and the same text always streams as the same deltas.
 *
 * @module
 */

/**
 * One token: a run of letters or digits, or a run of other non-space characters, each with
 * the whitespace before it. Roughly how BPE tokenizers cut English text (a leading space
 * belongs to the next word), without shipping a tokenizer.
 */
const tokenPattern = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]+|\s+/gu

/**
 * Split a text into token-sized pieces that join back to exactly the text.
 *
 * @example
 * ```ts
 * splitIntoTokens('Hello, world!') // ['Hello', ',', ' world', '!']
 * splitIntoTokens('{"city":"Paris"}') // ['{"', 'city', '":"', 'Paris', '"}']
 * ```
 */
export function splitIntoTokens(text: string): string[] {
  return text.match(tokenPattern) ?? []
}
