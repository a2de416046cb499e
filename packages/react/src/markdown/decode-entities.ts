import { decodeNamedCharacterReference } from 'decode-named-character-reference'

/**
 * Character references as CommonMark recognises them: named (`&copy;`), decimal (`&#106;`) and
 * hexadecimal (`&#x6A;`), each terminated by `;`. Limits mirror the spec (7 decimal, 6 hex digits).
 */
const CHARACTER_REFERENCE = /&(?:#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|([A-Za-z][A-Za-z0-9]{1,31});)/g

/** Code points the HTML spec replaces with U+FFFD when they come from a numeric reference. */
function codePointToString(codePoint: number): string {
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
    return '\uFFFD'
  }
  return String.fromCodePoint(codePoint)
}

/**
 * Decodes HTML character references in a piece of markdown text, the way a browser would decode
 * marked's HTML output. marked's lexer keeps references (and HTML-escapes `<`, `>`, `"`, `'` and
 * bare `&` in inline text), so every string that goes into a React text node or attribute passes
 * through here first; React then escapes it again, so decoding can never produce markup.
 *
 * Named references are resolved by `decode-named-character-reference` (the micromark decoder);
 * unknown names stay as written, like CommonMark says.
 *
 * @example
 * decodeEntities('Tom &amp; Jerry &#169; &#x6A;') // 'Tom & Jerry © j'
 */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(
    CHARACTER_REFERENCE,
    (match, decimal?: string, hexadecimal?: string, name?: string) => {
      if (decimal !== undefined) return codePointToString(Number.parseInt(decimal, 10))
      if (hexadecimal !== undefined) return codePointToString(Number.parseInt(hexadecimal, 16))
      if (name !== undefined) {
        const decoded = decodeNamedCharacterReference(name)
        return decoded === false ? match : decoded
      }
      return match
    },
  )
}
