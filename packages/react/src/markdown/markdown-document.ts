import type { Token } from 'marked'
import { closersFor, openersLeftAsText } from './complete-emphasis.ts'
import { findBlockBoundaries } from './find-block-boundaries.ts'
import { holdBackTrailingMarkers } from './hold-back-markers.ts'
import { holdBackTableHeader } from './hold-back-table.ts'
import { type LinkDefinitions, lexMarkdown } from './lex-markdown.ts'
import { holdBackTrailingDollars } from './math-syntax.ts'
import { INCOMPLETE_LINK_URL, repairMarkdown } from './repair-markdown.ts'
import { hasPendingLink, visibleText } from './tail-tokens.ts'

/** Emphasis and code markers only (remend's closers, not its zero-width space after a setext line). */
const MARKER_RUNS = /^[*_~`]+$/

/** The longest streaming tail whose closers are tried in every subset (see `closersHidden`). */
const SUBSETS_UP_TO = 2_000

/** A run of one emphasis or code marker. */
const MARKER_RUN = /\*+|_+|~+|`+/g

/**
 * Whether two lexings of the tail have the same blocks: a repair left out must not change them
 * (`_a~~\n#` unrepaired is a paragraph and an empty heading; repaired, one paragraph).
 */
function sameBlocks(tokens: readonly Token[], others: readonly Token[]): boolean {
  return tokens.length === others.length && tokens.every((token, index) => token.type === others[index]!.type)
}

/** One rendered block: its tokens, and whether it can still change. */
export interface MarkdownBlock {
  /** marked tokens (block level, with inline tokens inside). */
  readonly tokens: readonly Token[]
  /** `false` only for the streaming tail: its images wait, its code is not highlighted yet. */
  readonly complete: boolean
}

/**
 * A node of the block tree: a leaf holds up to {@link BLOCK_GROUP_FANOUT} blocks, an inner node
 * up to {@link BLOCK_GROUP_FANOUT} nodes one level lower. `offset` is the index of its first block.
 */
export type MarkdownGroup =
  | { readonly kind: 'blocks'; readonly offset: number; readonly blocks: readonly MarkdownBlock[] }
  | { readonly kind: 'groups'; readonly offset: number; readonly groups: readonly MarkdownGroup[] }

/** What {@link MarkdownDocument.update} returns: the blocks as a tree of {@link MarkdownGroup}s. */
export interface MarkdownView {
  /**
   * Top-level groups: each is a tree of height {@link BLOCK_TREE_HEIGHT} holding up to
   * `BLOCK_GROUP_FANOUT ** BLOCK_TREE_HEIGHT` blocks (1,024), filled left to right; a new tree
   * starts when one is full. A block's place in the tree depends only on its index, so a tail
   * block keeps its React element when it becomes final. Finished groups keep their object
   * identity between updates, so React skips them with one comparison each; only the groups on
   * the path to the tail are new objects, and that path has the same length at the first block
   * and at the 1,000th.
   */
  readonly groups: readonly MarkdownGroup[]
}

/**
 * Children per group. React visits every child of every re-rendered group, so an update costs
 * O(fanout × height) comparisons. Flat groups of 32 made that O(n / 32): measured in Chromium,
 * the render phase of a 5-character chunk grew from 0.10 ms to 0.17 ms over a 100,000-character
 * answer, and to 0.47 ms with groups of 4 (see docs/benchmarks.md).
 */
export const BLOCK_GROUP_FANOUT = 4

/**
 * Levels of every top-level tree. A fixed height, not one that grows with the answer (layers of
 * 4, 16, 64, … blocks put the tail 3 groups deep in the first tenth of a 600-block answer and 5
 * deep in the last: React's path to the tail, and so a chunk's cost, grew with the answer). Past
 * 1,024 blocks (about 80,000 characters of prose) the root gets one more child per 1,024 blocks.
 */
export const BLOCK_TREE_HEIGHT = 5

/** Blocks per top-level tree. */
const TREE_SIZE = BLOCK_GROUP_FANOUT ** BLOCK_TREE_HEIGHT

interface StableBlock extends MarkdownBlock {
  readonly source: string
  /** The definitions the tokens were lexed with; re-lexed when a needed definition arrives. */
  readonly lexedWith: LinkDefinitions
}

const EMPTY_DEFINITIONS: LinkDefinitions = Object.freeze({})

/** A block that may contain a reference (`[text][label]`, `[label]`) and so depends on definitions. */
function mayUseReferences(source: string): boolean {
  return source.includes(']')
}

/**
 * Whether `text` is `previous` plus more. `slice` + `===` compiles to a memory compare (about
 * 10 µs for 100 kB in Chromium); `startsWith` walks characters and was 100 times slower.
 */
function extendsText(text: string, previous: string): boolean {
  return text.length >= previous.length && text.slice(0, previous.length) === previous
}

/**
 * Characters of the finished part compared per streaming update (see
 * {@link MarkdownDocument.extendsWhileStreaming}): the start of the text, and one rotating window.
 */
const PROBE_LENGTH = 256

function definitionCount(definitions: LinkDefinitions): number {
  return Object.keys(definitions).length
}

/**
 * Incremental markdown state for one growing text. Each {@link MarkdownDocument.update} keeps the
 * final prefix (blocks that no appended text can change) and re-lexes only the tail block: while
 * streaming, no work proportional to the whole text (the check that the text grew is bounded too,
 * see {@link MarkdownDocument.extendsWhileStreaming}); the update that ends streaming compares the
 * whole prefix once (a memory compare, see {@link extendsText}).
 *
 * Reference-style definitions can arrive after the references that use them. The document keeps
 * every definition of its final blocks (first one wins, as in CommonMark); when a new one arrives,
 * the earlier blocks that contain `]` are re-lexed. Definitions inside the streaming tail apply to
 * earlier blocks once that block is final, or when streaming ends.
 *
 * @example
 * const document = new MarkdownDocument()
 * document.update('# Title\n\nHello **wor', true) // tail repaired: **wor** renders bold
 * document.update('# Title\n\nHello **world**\n\nNext', true) // '# Title' block reused
 */
export class MarkdownDocument {
  private text = ''
  private streaming = false
  private view: MarkdownView | null = null
  private stableEnd = 0
  /** The streaming tail's tokens at the last update, and where that tail started. */
  private shownBefore: { start: number; tokens: readonly Token[] } = { start: -1, tokens: [] }
  private stable: StableBlock[] = []
  /** Finished groups by `offset * 64 + height`: reused (same identity) until a block in them changes. */
  private finishedGroups = new Map<number, MarkdownGroup>()
  private definitions: LinkDefinitions = EMPTY_DEFINITIONS
  private referenceBlocks: number[] = []
  /** Where each final block starts in the text. */
  private blockStarts: number[] = []
  /** The block, and the offset in it, where the next probe of the final blocks starts (see {@link extendsWhileStreaming}). */
  private probeBlock = 0
  private probeOffset = 0

  /** `math: true` reads formulas (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`) as `math` tokens. */
  constructor(private readonly options: { readonly math?: boolean } = {}) {}

  /** `streaming` for the streaming tail: with math, a formula not closed yet shows as text. */
  private lex(source: string, definitions: LinkDefinitions, streaming = false) {
    const math = this.options.math === true && (streaming ? 'streaming' : true)
    return lexMarkdown(source, definitions, math)
  }

  /**
   * The streaming tail as it is shown: a last line that may open a table waits for its delimiter
   * row (it would flash as text, then jump into a table; see {@link holdBackTableHeader}), with
   * math the `$` at the very end waits for the next character (see
   * {@link holdBackTrailingDollars}), and so do the emphasis, code and link markers at the very
   * end (see {@link holdBackTrailingMarkers}). A formula that is still open shows as text, with no
   * formula inside it, until it closes (see lexMarkdown's `'streaming'` mode).
   */
  private shownTail(tail: string): string {
    const held = holdBackTableHeader(tail)
    return holdBackTrailingMarkers(this.options.math === true ? holdBackTrailingDollars(held) : held)
  }

  /**
   * Brings the document to `text` and returns the blocks to render. Idempotent for the same
   * arguments (safe under React's double render); text that does not extend the previous text
   * starts over (while streaming, a change inside the finished text that keeps its start and
   * length may be found a few updates late; see {@link extendsWhileStreaming}).
   */
  update(text: string, streaming: boolean): MarkdownView {
    if (this.view !== null && text === this.text && streaming === this.streaming) return this.view
    if (!(streaming ? this.extendsWhileStreaming(text) : extendsText(text, this.text))) this.reset()
    this.text = text
    this.streaming = streaming

    const tail = this.finalizeBlocks(text.slice(this.stableEnd))
    let tailBlock: MarkdownBlock | null = null
    const shown = streaming ? this.shownTail(tail) : tail
    if (shown.trim() !== '') {
      const lexed = streaming ? this.lexTail(shown) : this.lex(shown, this.definitions, streaming)
      tailBlock = { tokens: lexed.tokens, complete: !streaming }
      if (streaming) this.shownBefore = { start: this.stableEnd, tokens: lexed.tokens }
      // When the stream is over, definitions in the tail block resolve earlier references too,
      // so the result equals a one-shot render of the whole text.
      if (!streaming && definitionCount(lexed.definitions) > definitionCount(this.definitions)) {
        this.relexReferenceBlocks(lexed.definitions)
      }
    }
    this.view = { groups: this.buildGroups(tailBlock) }
    return this.view
  }

  /**
   * Whether a streaming update extends the previous text, in work bounded by the unfinished block:
   * a full prefix comparison is a memory compare of the whole answer on every chunk (5 µs at
   * 45,000 characters in Chromium, a tenth of a chunk's cost in the math benchmark, growing with
   * the answer). Compared exactly: the length, the unfinished part, the first
   * {@link PROBE_LENGTH} characters (a regenerated or another answer differs there, or is shorter)
   * and the next {@link PROBE_LENGTH} characters of the final blocks, compared with the sources
   * they were lexed from, round the finished part. So a change in the middle of the finished
   * text (not a growth: an app replacing the text in place) is found within
   * `length / PROBE_LENGTH` updates, and the update that ends streaming compares the whole prefix:
   * the final render is always the one-shot render of the final text.
   */
  private extendsWhileStreaming(text: string): boolean {
    const previous = this.text
    if (previous.length <= 4 * PROBE_LENGTH) return extendsText(text, previous)
    if (text.length < previous.length) return false
    if (text.slice(this.stableEnd, previous.length) !== previous.slice(this.stableEnd)) return false
    if (text.slice(0, PROBE_LENGTH) !== previous.slice(0, PROBE_LENGTH)) return false
    return this.probeFinishedBlocks(text)
  }

  /** Compares the next {@link PROBE_LENGTH} characters of the final blocks' sources with `text`. */
  private probeFinishedBlocks(text: string): boolean {
    if (this.probeBlock >= this.stable.length) this.probeBlock = 0
    let budget = PROBE_LENGTH
    while (budget > 0 && this.probeBlock < this.stable.length) {
      const source = this.stable[this.probeBlock]!.source
      const start = this.blockStarts[this.probeBlock]! + this.probeOffset
      const length = Math.min(budget, source.length - this.probeOffset)
      if (text.slice(start, start + length) !== source.slice(this.probeOffset, this.probeOffset + length))
        return false
      budget -= length
      this.probeOffset += length
      if (this.probeOffset >= source.length) {
        this.probeBlock++
        this.probeOffset = 0
      }
    }
    return true
  }

  /**
   * Repairs and lexes the streaming tail. A pending link that marked does not read as a link is
   * left out: remend closes the last `[` it sees, but a `[` inside a bare URL (`https://x.io[`) is
   * part of the URL for marked, so `](streamdown:incomplete-link)` showed as text, and the link
   * text it masked kept `**https://x.io[**` from closing, until the finished text showed it bold.
   */
  private lexTail(shown: string) {
    const repaired = repairMarkdown(shown)
    const lexed = this.lexRepaired(repaired)
    if (!repaired.includes(INCOMPLETE_LINK_URL) || hasPendingLink(lexed.tokens))
      return this.closersHidden(shown, repaired, lexed)
    const withoutLink = repairMarkdown(shown, { links: false })
    // The other closers first, then the link: `[a\`a` + `](…)` is no link to marked (the code
    // span is open), `[a\`a\`` + `](…)` is, so the link text stays pending instead of `[a` showing.
    const linkLast = repairMarkdown(withoutLink)
    if (linkLast !== withoutLink && linkLast.includes(INCOMPLETE_LINK_URL)) {
      const lexedLinkLast = this.lexRepaired(linkLast)
      if (hasPendingLink(lexedLinkLast.tokens)) return lexedLinkLast
    }
    return this.closersHidden(shown, withoutLink, this.lexRepaired(withoutLink))
  }

  /**
   * When remend's closers show as text, the closers marked reads as closing (see
   * {@link closersFor}), or none. remend closes in its own order, so `**a~~b` became
   * `**a~~b**~~` (bold `a~~b`, then `~~` as text) and `**$~~)` showed `**$)**`; and a code span
   * closed inside a bare URL (`https://x.io\`h`) joined the URL. Of the repairs, the one that
   * shows less text is kept: closers it hides, not text of the answer. Judged only when the
   * text shown ends with an emphasis or code marker remend appended, and it appended markers only
   * (the common repair, `**bo` + `**`, is not lexed again; remend's zero-width space that keeps
   * `a_\n=` from showing as a heading is never left out).
   */
  private closersHidden(shown: string, repaired: string, lexed: ReturnType<MarkdownDocument['lex']>) {
    const suffix = repaired.slice(shown.length)
    if (!repaired.startsWith(shown) || !MARKER_RUNS.test(suffix)) return lexed
    const visible = visibleText(lexed.tokens)
    const last = visible.at(-1) ?? ''
    if (!MARKER_RUNS.test(last) || !suffix.includes(last)) return lexed
    // A repair whose text extends what the tail showed at the last update wins over a shorter
    // one that does not: `*~~-` showed `-` struck, and `*~~- *]` + `**` showed `~~- ]`, which
    // `*~~- *]a` hid again. Then the shortest.
    const before = this.shownBefore.start === this.stableEnd ? visibleText(this.shownBefore.tokens) : ''
    const rank = (text: string) => (text.startsWith(before) ? 0 : 1)
    let best = lexed
    let bestLength = visible.length
    let bestRank = rank(visible)
    const unrepaired = this.lex(shown, this.definitions, true)
    // remend's closers and marked's, each with some left out: `a~~**h` + `**~~` left `a~~` as
    // text (it cannot open before `*`), so its closer showed, and `a~~**h**` does not show it;
    // `_a**]` + `**_` showed `a**]**`, and `_a**]_` shows `a**]`. Every subset of up to four
    // runs, in order (at most 31 candidates, lexed only when closers show), while the tail is
    // short: a long paragraph whose closers keep showing is lexed three times, not 31, per update.
    const candidates = new Set([shown])
    const subsetRuns = shown.length <= SUBSETS_UP_TO ? 4 : 0
    for (const closers of [suffix, closersFor(unrepaired.tokens)]) {
      const runs = closers.match(MARKER_RUN) ?? []
      if (runs.length > subsetRuns) candidates.add(shown + closers)
      else
        for (let subset = 1; subset < 1 << runs.length; subset++)
          candidates.add(shown + runs.filter((_, index) => (subset >> index) & 1).join(''))
    }
    candidates.delete(repaired)
    for (const candidate of candidates) {
      const relexed = candidate === shown ? unrepaired : this.lex(candidate, this.definitions, true)
      if (!sameBlocks(relexed.tokens, lexed.tokens)) continue
      const text = visibleText(relexed.tokens)
      const order = rank(text)
      if (order < bestRank || (order === bestRank && text.length < bestLength)) {
        best = relexed
        bestLength = text.length
        bestRank = order
      }
    }
    return best
  }

  /**
   * Lexes the repaired streaming tail; when marked still left emphasis openers as text (remend
   * counts markers, so `**a *b* c` looks closed to it), their closers are appended and the tail
   * lexed again, kept only if that leaves nothing open (see {@link closersFor}).
   */
  private lexRepaired(repaired: string) {
    const lexed = this.lex(repaired, this.definitions, true)
    const closers = closersFor(lexed.tokens)
    if (closers === '') return lexed
    const completed = this.lex(repaired + closers, this.definitions, true)
    return openersLeftAsText(completed.tokens).length === 0 ? completed : lexed
  }

  private reset(): void {
    this.probeBlock = 0
    this.probeOffset = 0
    this.blockStarts = []
    this.text = ''
    this.view = null
    this.shownBefore = { start: -1, tokens: [] }
    this.stableEnd = 0
    this.stable = []
    this.finishedGroups.clear()
    this.definitions = EMPTY_DEFINITIONS
    this.referenceBlocks = []
  }

  /** Moves every finished block at the start of `tail` into the stable list; returns the rest. */
  private finalizeBlocks(tail: string): string {
    const boundaries = findBlockBoundaries(tail)
    if (boundaries.length === 0) return tail
    let start = 0
    let definitionsGrew = false
    for (const end of boundaries) {
      const source = tail.slice(start, end)
      const lexed = this.lex(source, this.definitions)
      if (definitionCount(lexed.definitions) > definitionCount(this.definitions)) {
        this.definitions = lexed.definitions
        definitionsGrew = true
      }
      if (mayUseReferences(source)) this.referenceBlocks.push(this.stable.length)
      this.stable.push({ source, tokens: lexed.tokens, complete: true, lexedWith: this.definitions })
      this.blockStarts.push(this.stableEnd + start)
      start = end
    }
    this.stableEnd += start
    if (definitionsGrew) this.relexReferenceBlocks(this.definitions)
    return tail.slice(start)
  }

  /** Re-lexes blocks that may use references against newer definitions (rare: O(such blocks)). */
  private relexReferenceBlocks(definitions: LinkDefinitions): void {
    for (const index of this.referenceBlocks) {
      const block = this.stable[index]!
      if (block.lexedWith === definitions) continue
      const { tokens } = this.lex(block.source, definitions)
      this.stable[index] = { source: block.source, tokens, complete: true, lexedWith: definitions }
      this.forgetGroupsOf(index)
    }
  }

  /** Drops the cached groups that contain block `index`, so they become new objects (React re-renders that path). */
  private forgetGroupsOf(index: number): void {
    let size = TREE_SIZE
    for (let height = BLOCK_TREE_HEIGHT; height >= 1; height--) {
      this.finishedGroups.delete((index - (index % size)) * 64 + height)
      size /= BLOCK_GROUP_FANOUT
    }
  }

  private buildGroups(tailBlock: MarkdownBlock | null): MarkdownGroup[] {
    const count = this.stable.length + (tailBlock === null ? 0 : 1)
    const trees: MarkdownGroup[] = []
    for (let offset = 0; offset < count; offset += TREE_SIZE) {
      trees.push(this.buildGroup(BLOCK_TREE_HEIGHT, offset, TREE_SIZE, count, tailBlock))
    }
    return trees
  }

  /** The group of `size` (= fanout ** height) blocks from `offset`, cut at `count`; finished ones are cached. */
  private buildGroup(
    height: number,
    offset: number,
    size: number,
    count: number,
    tailBlock: MarkdownBlock | null,
  ): MarkdownGroup {
    const finished = offset + size <= this.stable.length
    const key = offset * 64 + height
    if (finished) {
      const cached = this.finishedGroups.get(key)
      if (cached !== undefined) return cached
    }
    let group: MarkdownGroup
    if (height === 1) {
      const blocks: MarkdownBlock[] = this.stable.slice(offset, Math.min(offset + size, this.stable.length))
      if (tailBlock !== null && offset + size >= count) blocks.push(tailBlock)
      group = { kind: 'blocks', offset, blocks }
    } else {
      const childSize = size / BLOCK_GROUP_FANOUT
      const groups: MarkdownGroup[] = []
      for (let child = offset; child < offset + size && child < count; child += childSize) {
        groups.push(this.buildGroup(height - 1, child, childSize, count, tailBlock))
      }
      group = { kind: 'groups', offset, groups }
    }
    if (finished) this.finishedGroups.set(key, group)
    return group
  }
}
