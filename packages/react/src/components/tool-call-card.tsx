import type { ToolCallPart, ToolCallState } from '@sluice/core'
import { type ComponentPropsWithoutRef, memo, type ReactNode, useId, useMemo } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import { type ChatLabels, englishLabels, type Labels, type LabelsOverride } from '../labels.ts'
import { formatValue, parsePartialJson } from './format-json.ts'
import { useControllableState } from './use-controllable-state.ts'
import { useElapsedSeconds } from './use-elapsed-seconds.ts'

/** What a custom tool renderer receives. */
export interface ToolRendererProps {
  part: ToolCallPart
  /** The input: parsed when complete, the partial value so far while it streams (`undefined` before any). */
  input: unknown
  /** Whole seconds the tool has been running (ticks while `running`). */
  elapsedSeconds: number
}

/**
 * A custom body for one tool (a weather card for `get_weather`). Return `undefined` to fall
 * back to the default body (input, output, error) for a state you do not handle.
 *
 * @example
 * ```tsx
 * const renderWeather: ToolRenderer = ({ part }) =>
 *   part.state === 'output-available' ? <WeatherCard data={part.output} /> : undefined
 * ```
 */
export type ToolRenderer = (props: ToolRendererProps) => ReactNode | undefined

/** Custom renderers keyed by tool name. */
export type ToolRenderers = Readonly<Record<string, ToolRenderer>>

/** Props of {@link ToolCallCard}. */
export interface ToolCallCardProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'part'> {
  part: ToolCallPart
  /** Controlled expanded state. */
  open?: boolean
  /** Uncontrolled initial state. Default: expanded while the call is in progress or failed. */
  defaultOpen?: boolean
  onOpenChange?: (open: boolean) => void
  /** A custom body for this tool; see {@link ToolRenderer}. */
  render?: ToolRenderer
  /** The name shown in the header. Default: the tool name. */
  title?: string
  /**
   * How long the backend says the tool ran, in milliseconds (agent-events `execution_time_ms`);
   * shown in the header once the call has finished ("took 1.2 s").
   */
  executionTimeMs?: number | undefined
  /** Any subset of the labels' `tool` group (states, "took 1.2 s", "Input", "Output"…), over the provider's. */
  labels?: LabelsOverride<ChatLabels['tool']> | undefined
}

const activeStates: ReadonlySet<ToolCallState> = new Set<ToolCallState>([
  'input-streaming',
  'input-available',
  'running',
  'output-error',
])

/**
 * The words for a tool call's state, as the card's header shows them, in `labels` (English by
 * default).
 *
 * @example
 * ```ts
 * toolStateLabel({ ...part, state: 'running' }, 3) // 'Running 3 s'
 * ```
 */
export function toolStateLabel(
  part: ToolCallPart,
  elapsedSeconds: number,
  labels: Labels = englishLabels,
): string {
  const { tool: words, format } = labels
  switch (part.state) {
    case 'input-streaming':
      return words.inputStreaming
    case 'input-available':
      return words.inputAvailable
    case 'running':
      return words.running(elapsedSeconds, format)
    case 'output-available':
      return part.startedAt !== undefined && part.endedAt !== undefined
        ? words.doneIn(Math.max(0, Math.round((part.endedAt - part.startedAt) / 1000)), format)
        : words.done
    case 'output-error':
      return words.failed
    case 'cancelled':
      return words.cancelled
    default: {
      const unknownState: never = part.state
      return String(unknownState)
    }
  }
}

/**
 * One tool call: a header button (tool name and state, expands and collapses) and a body with
 * the input (pretty JSON, growing while it streams), the output (JSON or text), or the error.
 * Every value is rendered as text, never as HTML. A `render` slot replaces the body for a tool.
 *
 * Root: `data-tool-call-id`, `data-tool-name`, `data-state` (the tool-call state) and
 * `data-expanded` when open.
 *
 * @example
 * ```tsx
 * <ToolCallCard part={part} render={part.toolName === 'get_weather' ? renderWeather : undefined} />
 * ```
 */
export const ToolCallCard = memo(function ToolCallCard({
  part,
  open: openProp,
  defaultOpen,
  onOpenChange,
  render,
  title,
  executionTimeMs,
  labels,
  ...props
}: ToolCallCardProps) {
  const words = useLabels('tool', labels)
  const [open, setOpen] = useControllableState(
    openProp,
    defaultOpen ?? activeStates.has(part.state),
    onOpenChange,
  )
  const bodyId = useId()
  const elapsedSeconds = useElapsedSeconds(part.startedAt, part.state === 'running')
  // Parsed once per render of this card, and only when the input text changed: a card
  // re-renders at most once per animation frame, never once per token.
  const { inputText, input: finalInput } = part
  const input = useMemo(
    () => (finalInput !== undefined ? finalInput : parsePartialJson(inputText)),
    [inputText, finalInput],
  )
  // Not JSON at all (a provider that streams plain arguments): show the raw text.
  const inputDisplay = input !== undefined ? formatValue(input) : inputText
  const custom = render?.({ part, input, elapsedSeconds })

  return (
    <div
      data-sluice="tool-call-card"
      data-tool-call-id={part.toolCallId}
      data-tool-name={part.toolName}
      data-state={part.state}
      data-expanded={open ? '' : undefined}
      {...props}
    >
      <button
        type="button"
        data-sluice="tool-call-trigger"
        aria-expanded={open}
        aria-controls={open ? bodyId : undefined}
        onClick={() => setOpen(!open)}
      >
        <span data-sluice="tool-call-name">{title ?? part.toolName}</span>{' '}
        <span data-sluice="tool-call-state">{toolStateLabel(part, elapsedSeconds, words)}</span>
        {executionTimeMs !== undefined &&
          (part.state === 'output-available' || part.state === 'output-error') && (
            <>
              {' '}
              <span data-sluice="tool-call-time">{words.tool.took(executionTimeMs, words.format)}</span>
            </>
          )}
      </button>
      {open && (
        <div id={bodyId} data-sluice="tool-call-body">
          {custom !== undefined ? (
            custom
          ) : (
            <>
              {inputDisplay !== '' && (
                // biome-ignore lint/a11y/useSemanticElements: a named group, not a form fieldset; a <section> would be a landmark and repeat per card (axe landmark-unique).
                <div role="group" data-sluice="tool-call-input" aria-label={words.tool.input}>
                  <pre dir="ltr">{inputDisplay}</pre>
                </div>
              )}
              {part.state === 'output-available' && (
                // biome-ignore lint/a11y/useSemanticElements: a named group, not a form fieldset; a <section> would be a landmark and repeat per card (axe landmark-unique).
                <div role="group" data-sluice="tool-call-output" aria-label={words.tool.output}>
                  <pre dir="ltr">{formatValue(part.output)}</pre>
                </div>
              )}
              {part.state === 'output-error' && (
                <p data-sluice="tool-call-error">{part.errorText ?? words.tool.error}</p>
              )}
            </>
          )}
        </div>
      )}
    </div>
  )
})
