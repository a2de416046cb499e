/**
 * Step labels for agent iterations ("Step 1 of 5"): where a protocol numbers its steps
 * (agent-events' `IterationStart { iteration, max_iterations }` becomes a `step-start` part with
 * step id `iteration-<n>` and message metadata `maxIterations`), the separator carries a label.
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { englishLabels, type Labels } from '../labels.ts'

/** A step number from a step id such as `iteration-3`; the wire's id is only matched, never used as a key. */
const iterationId = /^iteration-(\d{1,6})$/

/** The largest step count shown: larger `max_iterations` from the wire are treated as unknown. */
const maxShownSteps = 100_000

function maxIterations(message: Message): number | undefined {
  const metadata = message.metadata
  if (metadata === undefined || !Object.hasOwn(metadata, 'maxIterations')) return undefined
  const max = metadata.maxIterations
  return typeof max === 'number' && Number.isSafeInteger(max) && max > 0 && max <= maxShownSteps
    ? max
    : undefined
}

/**
 * The label of each `step-start` part of a message, by part index: `Step <n> of <max>` when the
 * message knows how many steps it may take, `Step <n>` when only the step id numbers it, and no
 * entry (a plain separator) for protocols whose steps are not numbered. In `labels` (the
 * `step` group; English by default).
 *
 * @example
 * ```ts
 * stepLabels({ ...message, metadata: { maxIterations: 5 }, parts: [{ type: 'step-start', stepId: 'iteration-1' }] })
 * // Map { 0 => 'Step 1 of 5' }
 * ```
 */
export function stepLabels(message: Message, labels: Labels = englishLabels): Map<number, string> {
  const { step: words, format } = labels
  const result = new Map<number, string>()
  const max = maxIterations(message)
  let ordinal = 0
  for (const [index, part] of message.parts.entries()) {
    if (part.type !== 'step-start') continue
    ordinal += 1
    const match = part.stepId === undefined ? null : iterationId.exec(part.stepId)
    if (match === null && max === undefined) continue
    const step = match === null ? ordinal : Number(match[1])
    result.set(
      index,
      max === undefined || step > max ? words.step(step, format) : words.stepOf(step, max, format),
    )
  }
  return result
}

/** Props of {@link StepLabel}. */
export interface StepLabelProps {
  /** The text, e.g. `Step 1 of 5` (computed by {@link stepLabels}; plain text, never HTML). */
  label: string
}

/**
 * A labelled step separator: a `separator` named by its label, with the label as visible text.
 *
 * @example
 * ```tsx
 * <StepLabel label="Step 2 of 5" />
 * ```
 */
export function StepLabel({ label }: StepLabelProps) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot hold the visible label text
    <div role="separator" aria-label={label} data-sluice="step-separator" data-step-label="">
      <span data-sluice="step-label">{label}</span>
    </div>
  )
}

/** The longest author name shown; longer names from the wire are cut with an ellipsis. */
const maxAuthorName = 80

/**
 * The author's display name a backend sent for a message (message-events' `author_name`, kept
 * as metadata `authorName`): trimmed, at most 80 characters, `undefined` when absent or blank.
 *
 * @example
 * ```ts
 * authorName({ ...message, metadata: { authorName: 'Research agent' } }) // 'Research agent'
 * ```
 */
export function authorName(message: Message): string | undefined {
  const metadata = message.metadata
  if (metadata === undefined || !Object.hasOwn(metadata, 'authorName')) return undefined
  const name = metadata.authorName
  if (typeof name !== 'string') return undefined
  const trimmed = name.trim()
  if (trimmed === '') return undefined
  return trimmed.length > maxAuthorName ? `${trimmed.slice(0, maxAuthorName - 1)}…` : trimmed
}
