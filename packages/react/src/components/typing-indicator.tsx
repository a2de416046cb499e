import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import { useReducedMotion } from './use-reduced-motion.ts'
import { visuallyHidden } from './visually-hidden.ts'

/** Props of {@link TypingIndicator}. */
export interface TypingIndicatorProps extends ComponentPropsWithoutRef<'div'> {
  /** What a screen reader reads. Default: the labels' `typingIndicator.label` (`"Waiting for the answer"`). */
  label?: string
}

/**
 * Three dots that say "the answer is on its way": render it while waiting for the first
 * token and between agent steps, and unmount it otherwise (the DOM contract: a
 * `role="status"` element exists only while waiting).
 *
 * The dots are decorative (`aria-hidden`); the label is read once when the indicator
 * appears. `data-motion="reduced"` is set when the user prefers reduced motion, and the
 * default theme then stops the animation.
 *
 * @example
 * ```tsx
 * {message.status === 'pending' && <TypingIndicator />}
 * ```
 */
export const TypingIndicator = forwardRef<HTMLDivElement, TypingIndicatorProps>(function TypingIndicator(
  { label, children, ...props },
  ref,
) {
  const words = useLabels().typingIndicator
  const reducedMotion = useReducedMotion()
  return (
    <div
      role="status"
      data-sluice="typing-indicator"
      data-motion={reducedMotion ? 'reduced' : 'full'}
      {...props}
      ref={ref}
    >
      {children ?? (
        <span data-sluice="typing-dots" aria-hidden="true">
          <span data-sluice="typing-dot" />
          <span data-sluice="typing-dot" />
          <span data-sluice="typing-dot" />
        </span>
      )}
      <span style={visuallyHidden}>{label ?? words.label}</span>
    </div>
  )
})
