import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useReducedMotion } from './use-reduced-motion.ts'

/**
 * The blinking caret after text that is still arriving. Decorative (`aria-hidden`): the
 * list's `aria-busy` already tells assistive technology that the message is being written.
 * It does not blink when the user prefers reduced motion (`data-motion="reduced"`).
 *
 * @example
 * ```tsx
 * {message.status === 'streaming' && <StreamingCaret />}
 * ```
 */
export const StreamingCaret = forwardRef<HTMLSpanElement, ComponentPropsWithoutRef<'span'>>(
  function StreamingCaret(props, ref) {
    const reducedMotion = useReducedMotion()
    return (
      <span
        aria-hidden="true"
        data-sluice="caret"
        data-motion={reducedMotion ? 'reduced' : 'full'}
        {...props}
        ref={ref}
      />
    )
  },
)
