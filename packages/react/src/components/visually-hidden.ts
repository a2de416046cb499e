import type { CSSProperties } from 'react'

/**
 * Hides text visually while screen readers still read it. Inline so the headless components
 * stay accessible without the theme stylesheet.
 *
 * @example
 * ```tsx
 * <span style={visuallyHidden}>Waiting for the answer</span>
 * ```
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
}
