import type { Token } from 'marked'
import { findBlockBoundaries } from './find-block-boundaries.ts'
import { type LinkDefinitions, lexMarkdown } from './lex-markdown.ts'
import { repairMarkdown } from './repair-markdown.ts'

/** One rendered block: its tokens, and whether it can still change. */
export interface MarkdownBlock {
  /** marked tokens (block level, with inline tokens inside). */
  readonly tokens: readonly Token[]
  /** `false` only for the streaming tail: its images wait, its code is not highlighted yet. */
  readonly complete: boolean
}

/** What {@link MarkdownDocument.update} returns: blocks in groups of {@link BLOCK_GROUP_SIZE}. */
export interface MarkdownView {
  /**
   * Finished groups keep their array identity between updates, so React skips them with one
   * comparison each; only the last group (with the tail) is a new array.
   */
  readonly groups: readonly (readonly MarkdownBlock[])[]
}

/** Blocks per group. Rendering cost per update is O(groups + group size), not O(blocks). */
export const BLOCK_GROUP_SIZE = 32

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

function definitionCount(definitions: LinkDefinitions): number {
  return Object.keys(definitions).length
}

/**
 * Incremental markdown state for one growing text. Each {@link MarkdownDocument.update} keeps the
 * final prefix (blocks that no appended text can change) and re-lexes only the tail block: no
 * work proportional to the whole text except one prefix comparison (a memory compare, see
 * {@link extendsText}).
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
  private stable: StableBlock[] = []
  private closedGroups: StableBlock[][] = []
  private definitions: LinkDefinitions = EMPTY_DEFINITIONS
  private referenceBlocks: number[] = []

  /**
   * Brings the document to `text` and returns the blocks to render. Idempotent for the same
   * arguments (safe under React's double render); text that does not extend the previous text
   * starts over.
   */
  update(text: string, streaming: boolean): MarkdownView {
    if (this.view !== null && text === this.text && streaming === this.streaming) return this.view
    if (!extendsText(text, this.text)) this.reset()
    this.text = text
    this.streaming = streaming

    const tail = this.finalizeBlocks(text.slice(this.stableEnd))
    let tailBlock: MarkdownBlock | null = null
    if (tail.trim() !== '') {
      const lexed = lexMarkdown(streaming ? repairMarkdown(tail) : tail, this.definitions)
      tailBlock = { tokens: lexed.tokens, complete: !streaming }
      // When the stream is over, definitions in the tail block resolve earlier references too,
      // so the result equals a one-shot render of the whole text.
      if (!streaming && definitionCount(lexed.definitions) > definitionCount(this.definitions)) {
        this.relexReferenceBlocks(lexed.definitions)
      }
    }
    this.view = { groups: this.buildGroups(tailBlock) }
    return this.view
  }

  private reset(): void {
    this.text = ''
    this.view = null
    this.stableEnd = 0
    this.stable = []
    this.closedGroups = []
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
      const lexed = lexMarkdown(source, this.definitions)
      if (definitionCount(lexed.definitions) > definitionCount(this.definitions)) {
        this.definitions = lexed.definitions
        definitionsGrew = true
      }
      if (mayUseReferences(source)) this.referenceBlocks.push(this.stable.length)
      this.stable.push({ source, tokens: lexed.tokens, complete: true, lexedWith: this.definitions })
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
      const { tokens } = lexMarkdown(block.source, definitions)
      this.stable[index] = { source: block.source, tokens, complete: true, lexedWith: definitions }
      const group = Math.floor(index / BLOCK_GROUP_SIZE)
      if (group < this.closedGroups.length) {
        // A new array so React sees the changed group; other groups keep their identity.
        this.closedGroups[group] = this.stable.slice(group * BLOCK_GROUP_SIZE, (group + 1) * BLOCK_GROUP_SIZE)
      }
    }
  }

  private buildGroups(tailBlock: MarkdownBlock | null): MarkdownBlock[][] {
    while ((this.closedGroups.length + 1) * BLOCK_GROUP_SIZE <= this.stable.length) {
      const start = this.closedGroups.length * BLOCK_GROUP_SIZE
      this.closedGroups.push(this.stable.slice(start, start + BLOCK_GROUP_SIZE))
    }
    const open: MarkdownBlock[] = this.stable.slice(this.closedGroups.length * BLOCK_GROUP_SIZE)
    if (tailBlock !== null) open.push(tailBlock)
    return open.length === 0 ? [...this.closedGroups] : [...this.closedGroups, open]
  }
}
