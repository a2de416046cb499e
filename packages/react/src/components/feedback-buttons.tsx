import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'

/** A rating of an answer, as core's `Message.feedback`. */
export type FeedbackValue = 'positive' | 'negative'

/** The words of {@link FeedbackButtons}: any subset of the labels' `feedback` group, over the provider's. */
export type FeedbackButtonsLabels = LabelsOverride<ChatLabels['feedback']>

/** Props of {@link FeedbackButtons}. */
export interface FeedbackButtonsProps extends Omit<ComponentPropsWithoutRef<'div'>, 'onChange'> {
  /** The current rating; `undefined` for none. */
  value: FeedbackValue | undefined
  /** The new rating: pressing the pressed button again clears it (`undefined`). */
  onChange: (value: FeedbackValue | undefined) => void
  labels?: FeedbackButtonsLabels | undefined
}

function thumb(down: boolean): ReactNode {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      style={down ? { transform: 'scaleY(-1)' } : undefined}
    >
      <path d="M7 10v10H4V10zM7 10l4-7a2 2 0 0 1 3 2l-1 4h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 20H7" />
    </svg>
  )
}

/**
 * Thumbs up / down for an answer: toggle buttons "Good response" and "Bad response" with
 * `aria-pressed`. Pressing one selects it, pressing it again clears the rating; the other one
 * replaces it. Root: `data-sluice="feedback"`, `data-value` (the rating).
 *
 * @example
 * ```tsx
 * <FeedbackButtons value={message.feedback} onChange={(value) => chat.setFeedback(message.id, value)} />
 * ```
 */
export const FeedbackButtons = forwardRef<HTMLDivElement, FeedbackButtonsProps>(function FeedbackButtons(
  { value, onChange, labels, ...props },
  ref,
) {
  const { feedback: words } = useLabels('feedback', labels)
  const button = (rating: FeedbackValue, label: string) => (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={value === rating}
      data-sluice={`feedback-${rating}`}
      onClick={() => onChange(value === rating ? undefined : rating)}
    >
      {thumb(rating === 'negative')}
    </button>
  )
  return (
    <div data-sluice="feedback" data-value={value} {...props} ref={ref}>
      {button('positive', words.positive)}
      {button('negative', words.negative)}
    </div>
  )
})
