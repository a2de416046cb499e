import type { ReasoningPart } from '@sluice/core'
import { type ComponentPropsWithoutRef, memo, useEffect, useId, useRef } from 'react'
import { Markdown } from '../markdown/index.ts'
import { useControllableState } from './use-controllable-state.ts'
import { formatSeconds } from './use-elapsed-seconds.ts'

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
}

/**
 * The summary line: `"Thinking…"` while streaming, `"Thought for N s"` after (from the part's
 * event times), or `"Reasoning"` when the provider sent no times.
 *
 * @example
 * ```ts
 * reasoningLabel({ type: 'reasoning', id: 'r', text: '…', startedAt: 0, endedAt: 4200 }, false) // 'Thought for 4 s'
 * ```
 */
export function reasoningLabel(part: ReasoningPart, streaming: boolean): string {
  if (streaming) return 'Thinking…'
  if (part.startedAt === undefined || part.endedAt === undefined) return 'Reasoning'
  const seconds = Math.max(1, Math.round((part.endedAt - part.startedAt) / 1000))
  return `Thought for ${formatSeconds(seconds)}`
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
  ...props
}: ReasoningProps) {
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
        {reasoningLabel(part, streaming)}
      </button>
      {open && (
        <div id={contentId} data-sluice="reasoning-content">
          <Markdown streaming={streaming}>{part.text}</Markdown>
        </div>
      )}
    </div>
  )
})
