import { describe, expect, test } from 'vitest'
import { findBlockBoundaries } from './find-block-boundaries.ts'

/** The text of each block start, easier to read than offsets. */
const starts = (source: string) =>
  findBlockBoundaries(source).map((offset) => source.slice(offset, offset + 8))

describe('findBlockBoundaries', () => {
  test('cuts after blank lines between finished blocks, never returning the last block', () => {
    expect(starts('# Title\n\nFirst paragraph.\n\nSecond')).toEqual(['First pa', 'Second'])
    expect(starts('one paragraph still going')).toEqual([])
  })

  test('never cuts inside an open code fence or an unclosed HTML comment', () => {
    expect(starts('```js\na\n\nb\n\nc')).toEqual([])
    expect(starts('<!--\n\ncomment\n\nstill')).toEqual([])
    expect(starts('```js\na\n\nb\n```\n\nafter\n')).toEqual(['after\n'])
  })

  test('keeps a loose list together and waits while the next line could continue it', () => {
    expect(starts('- a\n\n- b\n\n  more b\n')).toEqual([])
    // `2` may still become `2. item` of the same list: no cut until the line is settled.
    expect(starts('1. a\n\n2')).toEqual([])
    expect(starts('1. a\n\nThe end\n')).toEqual(['The end\n'])
  })

  test('keeps indented code across blank lines, even with tabs', () => {
    expect(starts('\tcode\n\n\tmore\n\nafter\n')).toEqual(['after\n'])
  })

  test('maps offsets back through CRLF line ends', () => {
    const source = 'a\r\n\r\nbravo\r\n\r\ncharlie'
    expect(findBlockBoundaries(source)).toEqual([5, 14])
  })
})
