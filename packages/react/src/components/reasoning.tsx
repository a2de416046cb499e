import type { ReasoningPart } from '@sluice/core'
import { type ComponentPropsWithoutRef, memo, useEffect, useId, useRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import { type ChatLabels, englishLabels, type Labels, type LabelsOverride } from '../labels.ts'
import { Markdown } from '../markdown/index.ts'
import { useControllableState } from './use-controllable-state.ts'

/** Props of {@link Reasoning}. */
export interface ReasoningProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'part'> {
  part: ReasoningPart
  /**
   * Whether the reasoning is still arriving. Default: `part.state === 'streaming'`. The message
   * passes `false` once the message itself has ended, whatever the part says.
   */
  streaming?: boolean
  /** Controlled open state. */
  open?: boolean
  /** Uncontrolled initial open state. Default: open while streaming, closed otherwise. */
  defaultOpen?: boolean
  onOpenChange?: (open: boolean) => void
  /** Any subset of the labels' `reasoning` group ("Thinking…", "Thought for N s"…), over the provider's. */
  labels?: LabelsOverride<ChatLabels['reasoning']> | undefined
}

/**
 * The summary line: `"Thinking…"` while streaming, `"Thought for N s"` after (from the part's
 * event times), or `"Reasoning"` when the provider sent no times; in `labels` (English by
 * default).
 *
 * @example
 * ```ts
 * reasoningLabel({ type: 'reasoning', id: 'r', text: '…', startedAt: 0, endedAt: 4200 }, false) // 'Thought for 4 s'
 * ```
 */
export function reasoningLabel(
  part: ReasoningPart,
  streaming: boolean,
  labels: Labels = englishLabels,
): string {
  if (streaming) return labels.reasoning.thinking
  if (part.startedAt === undefined || part.endedAt === undefined) return labels.reasoning.reasoning
  const seconds = Math.max(1, Math.round((part.endedAt - part.startedAt) / 1000))
  return labels.reasoning.thoughtFor(seconds, labels.format)
}

/**
 * The model's reasoning, collapsible. Uncontrolled, it is open while the reasoning streams
 * and closes by itself when the reasoning ends, leaving "Thought for N s"; the user can open
 * it again. Controlled with `open` + `onOpenChange`.
 *
 * The text is untrusted model output rendered through {@link Markdown} (no raw HTML).
 * Root: `data-sluice="reasoning"`, `data-state="open" | "closed"`, `data-streaming` while streaming.
 *
 * @example
 * ```tsx
 * <Reasoning part={part} streaming={message.status === 'streaming'} />
 * ```
 */
export const Reasoning = memo(function Reasoning({
  part,
  streaming: streamingProp,
  open: openProp,
  defaultOpen,
  onOpenChange,
  labels,
  ...props
}: ReasoningProps) {
  const words = useLabels('reasoning', labels)
  const streaming = streamingProp ?? part.state === 'streaming'
  const [open, setOpen] = useControllableState(openProp, defaultOpen ?? streaming, onOpenChange)
  const contentId = useId()

  // Follow the stream when uncontrolled: open as reasoning starts, close once it has ended.
  const previousStreaming = useRef(streaming)
  useEffect(() => {
    if (previousStreaming.current === streaming) return
    previousStreaming.current = streaming
    if (openProp === undefined) setOpen(streaming)
  }, [streaming, openProp, setOpen])

  return (
    <div
      data-sluice="reasoning"
      data-state={open ? 'open' : 'closed'}
      data-streaming={streaming ? '' : undefined}
      {...props}
    >
      <button
        type="button"
        data-sluice="reasoning-trigger"
        aria-expanded={open}
        aria-controls={open ? contentId : undefined}
        onClick={() => setOpen(!open)}
      >
        {reasoningLabel(part, streaming, words)}
      </button>
      {open && (
        <div id={contentId} data-sluice="reasoning-content">
          <Markdown streaming={streaming}>{part.text}</Markdown>
        </div>
      )}
    </div>
  )
})
