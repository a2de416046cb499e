import type { HighlightedToken } from '../markdown/markdown-options.ts'

/**
 * The part of a hast tree (what lowlight returns) this module reads. Declared here rather than
 * imported from `@types/hast`, which is lowlight's dependency and not ours: lowlight's `Root`
 * fits this shape.
 */
export interface HighlightTreeNode {
  readonly type: string
  /** The text of a `text` node. */
  readonly value?: string
  /** `className` of an `element` node: lowlight gives an array (`['hljs-title', 'function_']`). */
  readonly properties?: { readonly className?: unknown } | undefined
  readonly children?: readonly HighlightTreeNode[]
}

function classNamesOf(node: HighlightTreeNode): string[] {
  const className = node.properties?.className
  if (Array.isArray(className)) return className.filter((name): name is string => typeof name === 'string')
  if (typeof className === 'string') return className.split(/\s+/).filter((name) => name !== '')
  return []
}

/**
 * Flattens a highlight tree (lowlight's hast output) into lines of {@link HighlightedToken}s: text
 * only, never HTML. A span that crosses a line break (a multi-line comment or string) is cut into
 * one token per line, so every line stands on its own and can be shown while later lines stream.
 *
 * A token's `className` lists the classes of every span around it, outermost first
 * (`'hljs-string hljs-subst'` for `${name}` inside a template string), because the flat tokens
 * lose the nesting: a theme gets the inner scope's colour by putting the inner scope's rule later
 * in the stylesheet (see `highlight.css`). Text outside any span gets no `className`.
 *
 * Joining each line's `content` and the lines with `'\n'` gives back the highlighted code exactly.
 *
 * @example
 * ```ts
 * hastToLines(createLowlight(common).highlight('ts', 'const a = 1'))
 * // [[{ content: 'const', className: 'hljs-keyword' }, { content: ' a = ' }, { content: '1', className: 'hljs-number' }]]
 * ```
 */
export function hastToLines(tree: HighlightTreeNode): HighlightedToken[][] {
  const lines: HighlightedToken[][] = [[]]

  const pushText = (text: string, className: string) => {
    const pieces = text.split('\n')
    pieces.forEach((piece, index) => {
      if (index > 0) lines.push([])
      if (piece === '') return
      const line = lines[lines.length - 1] as HighlightedToken[]
      const previous = line[line.length - 1]
      // Neighbours with the same classes (`}` `,` in JSON, text around an empty span) become one
      // token: the same look with fewer elements to render.
      if (previous !== undefined && (previous.className ?? '') === className) {
        line[line.length - 1] =
          className === ''
            ? { content: previous.content + piece }
            : { ...previous, content: previous.content + piece }
        return
      }
      line.push(className === '' ? { content: piece } : { content: piece, className })
    })
  }

  // An explicit stack rather than recursion: a deeply nested tree cannot overflow the call stack.
  const stack: { node: HighlightTreeNode; className: string }[] = [{ node: tree, className: '' }]
  while (stack.length > 0) {
    const { node, className } = stack.pop() as { node: HighlightTreeNode; className: string }
    if (node.type === 'text') {
      pushText(node.value ?? '', className)
      continue
    }
    const own = node.type === 'element' ? classNamesOf(node).join(' ') : ''
    const inner = own === '' ? className : className === '' ? own : `${className} ${own}`
    const children = node.children ?? []
    for (let index = children.length - 1; index >= 0; index--) {
      stack.push({ node: children[index] as HighlightTreeNode, className: inner })
    }
  }
  return lines
}
