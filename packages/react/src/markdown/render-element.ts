import { createElement, type ReactNode } from 'react'
import type { MarkdownComponents, MarkdownElement } from './markdown-options.ts'

/**
 * Creates `tag` with `props`, or the user's replacement for it from `components`.
 *
 * @example
 * renderElement({}, 'p', { key: 0 }, 'Hello') // <p key={0}>Hello</p>
 */
export function renderElement(
  components: MarkdownComponents,
  tag: MarkdownElement,
  props: Record<string, unknown>,
  ...children: ReactNode[]
): ReactNode {
  const replacement = components[tag]
  return createElement((replacement ?? tag) as string, props, ...children)
}
