import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'

/** Props of {@link Suggestions}. */
export interface SuggestionsProps extends Omit<ComponentPropsWithoutRef<'div'>, 'onSelect'> {
  /** The follow-up prompts to offer (model output: shown as plain text, never as HTML). */
  suggestions: readonly string[]
  /** Send a suggestion (one click). */
  onSelect: (text: string) => void
  /** Hide the chips (while an answer streams). */
  hidden?: boolean | undefined
  /** The group's accessible name. Default: the labels' `suggestions.group` ("Suggestions"). */
  label?: string | undefined
  /** Any subset of the labels' `suggestions` group, over the provider's. */
  labels?: LabelsOverride<ChatLabels['suggestions']> | undefined
}

/**
 * Suggestion chips after an answer: a `role="group"` named "Suggestions" of buttons, each
 * sending its own text on one click. Renders nothing without suggestions or while `hidden`.
 * The text is shown as text: suggestions come from the model and are never injected as HTML.
 * Root: `data-sluice="suggestions"`.
 *
 * @example
 * ```tsx
 * <Suggestions suggestions={['Tell me more', 'Give an example']} onSelect={(text) => chat.send(text)} />
 * ```
 */
export const Suggestions = forwardRef<HTMLDivElement, SuggestionsProps>(function Suggestions(
  { suggestions, onSelect, hidden = false, label, labels, ...props },
  ref,
) {
  const words = useLabels('suggestions', labels).suggestions
  if (hidden || suggestions.length === 0) return null
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of buttons, not a form fieldset
    <div role="group" aria-label={label ?? words.group} data-sluice="suggestions" {...props} ref={ref}>
      {suggestions.map((suggestion, index) => (
        <button
          // Suggestions may repeat: the position keeps keys unique.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole, never reordered
          key={`${index}:${suggestion}`}
          type="button"
          data-sluice="suggestion"
          // The suggestion's own direction, whatever the page's (a suggestion is model or app text).
          dir="auto"
          onClick={() => onSelect(suggestion)}
        >
          {suggestion}
        </button>
      ))}
    </div>
  )
})
