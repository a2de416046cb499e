import {
  type ComponentPropsWithoutRef,
  createContext,
  forwardRef,
  type KeyboardEvent,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelFormat, LabelsOverride } from '../labels.ts'
import { composeEventHandlers } from './compose-event-handlers.ts'
import { visuallyHidden } from './visually-hidden.ts'

/** Which way a picker button goes. */
export type BranchDirection = 'previous' | 'next'

/**
 * Where a list of pickers sends its announcements and hands focus on: switching a version
 * replaces the row (another message id), so the picker that was clicked unmounts. A host (the
 * `MessageList`) announces once for the list and gives focus to the same button of the picker
 * that replaces it. Without a host a picker announces in its own live region.
 */
export interface BranchPickerHost {
  announce(text: string): void
  /** Remember that `direction`'s button of the picker for `group` had focus when it switched. */
  handOffFocus(group: string, direction: BranchDirection): void
  /** The button a newly mounted picker of `group` should focus, once. */
  takeFocus(group: string): BranchDirection | undefined
}

/**
 * The host the pickers of a list share (see {@link BranchPickerHost}); `MessageList` provides it.
 *
 * @example
 * ```tsx
 * <BranchPickerHostContext.Provider value={host}>{rows}</BranchPickerHostContext.Provider>
 * ```
 */
export const BranchPickerHostContext = createContext<BranchPickerHost | undefined>(undefined)

/**
 * A {@link BranchPickerHost} for a list of pickers: `announce` goes to the list's live region,
 * focus is handed from the clicked picker to the one that replaces it. Stable across renders.
 *
 * @example
 * ```tsx
 * const host = useBranchPickerHost((text) => setAnnouncement(text))
 * <BranchPickerHostContext.Provider value={host}>{rows}</BranchPickerHostContext.Provider>
 * ```
 */
export function useBranchPickerHost(announce: (text: string) => void): BranchPickerHost {
  const announceRef = useRef(announce)
  announceRef.current = announce
  return useMemo<BranchPickerHost>(() => {
    const focusFor = new Map<string, BranchDirection>()
    return {
      announce: (text) => announceRef.current(text),
      handOffFocus: (group, direction) => {
        focusFor.set(group, direction)
      },
      takeFocus: (group) => {
        const direction = focusFor.get(group)
        focusFor.delete(group)
        return direction
      },
    }
  }, [])
}

interface BranchPickerContextValue {
  index: number
  count: number
  streaming: ReadonlySet<number>
  labels: ChatLabels['branchPicker']
  format: LabelFormat
  go(direction: BranchDirection): void
  register(direction: BranchDirection, element: HTMLButtonElement | null): void
}

const BranchPickerContext = createContext<BranchPickerContextValue | undefined>(undefined)

function usePickerContext(component: string): BranchPickerContextValue {
  const value = useContext(BranchPickerContext)
  if (value === undefined) {
    throw new Error(
      `${component}: there is no <BranchPickerRoot> above this component. Render it inside <BranchPickerRoot index={…} count={…} onSwitch={…}> (or use <BranchPicker />).`,
    )
  }
  return value
}

/**
 * The words a picker uses, any subset of the labels' `branchPicker` group ("Versions",
 * "Previous version", "Next version", the "N / M" count, the "Version 2 of 3" announcement);
 * over the provider's labels.
 */
export type BranchPickerLabels = LabelsOverride<ChatLabels['branchPicker']>

/** Props of {@link BranchPickerRoot} and {@link BranchPicker}. */
export interface BranchPickerRootProps extends Omit<ComponentPropsWithoutRef<'div'>, 'onChange'> {
  /** The shown version, 0-based. */
  index: number
  /** How many versions there are. */
  count: number
  /** Show version `to` (0-based). */
  onSwitch: (to: number) => void
  /** Versions (0-based) whose continuation is streaming: their direction's button is marked. */
  streaming?: readonly number[] | undefined
  /** The id shared by every version (the first sibling's id): focus follows across a switch in a list. */
  group?: string | undefined
  labels?: BranchPickerLabels | undefined
}

function clampIndex(index: number, count: number): number {
  if (!Number.isFinite(index) || count < 1) return 0
  return Math.min(Math.max(Math.trunc(index), 0), count - 1)
}

/**
 * The element and context of a version picker: `role="group"` named "Versions", its parts
 * ({@link BranchPickerPrevious}, {@link BranchPickerCount}, {@link BranchPickerNext}) inside.
 * Alt+ArrowLeft / Alt+ArrowRight inside the group switch too. A switch is announced once
 * ("Version 2 of 3") through the list's live region, or the picker's own one without a list.
 * Root: `data-sluice="branch-picker"`, `data-streaming` while another version streams.
 *
 * @example
 * ```tsx
 * <BranchPickerRoot index={info.index} count={info.count} onSwitch={(to) => chat.switchBranch(id, to)}>
 *   <BranchPickerPrevious />
 *   <BranchPickerCount />
 *   <BranchPickerNext />
 * </BranchPickerRoot>
 * ```
 */
export const BranchPickerRoot = forwardRef<HTMLDivElement, BranchPickerRootProps>(function BranchPickerRoot(
  { index: indexProp, count, onSwitch, streaming, group, labels, children, onKeyDown, ...props },
  ref,
) {
  const index = clampIndex(indexProp, count)
  const host = useContext(BranchPickerHostContext)
  const [ownAnnouncement, setOwnAnnouncement] = useState<{ text: string; key: number }>()
  const buttons = useRef<Partial<Record<BranchDirection, HTMLButtonElement | null>>>({})
  const { branchPicker: words, format } = useLabels('branchPicker', labels)
  const streamingSet = useMemo(
    () => new Set((streaming ?? []).filter((version) => version !== index)),
    [streaming, index],
  )

  // A picker that replaced the one the user switched with takes focus on the same button.
  useEffect(() => {
    if (group === undefined || host === undefined) return
    const direction = host.takeFocus(group)
    if (direction === undefined) return
    const target = buttons.current[direction]
    const other = buttons.current[direction === 'previous' ? 'next' : 'previous']
    ;(target && !target.disabled ? target : other)?.focus()
  }, [group, host])

  const value = useMemo<BranchPickerContextValue>(
    () => ({
      index,
      count,
      streaming: streamingSet,
      labels: words,
      format,
      go(direction) {
        const to = direction === 'previous' ? index - 1 : index + 1
        if (to < 0 || to >= count) return
        const text = words.announce(to + 1, count, format)
        if (host) {
          if (group !== undefined) host.handOffFocus(group, direction)
          host.announce(text)
        } else setOwnAnnouncement((current) => ({ text, key: (current?.key ?? 0) + 1 }))
        onSwitch(to)
      },
      register(direction, element) {
        buttons.current[direction] = element
      },
    }),
    [index, count, streamingSet, words, format, host, group, onSwitch],
  )

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!event.altKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return
    event.preventDefault()
    // Logical: in a right-to-left page the arrow that points back is the right one.
    const rtl = getComputedStyle(event.currentTarget).direction === 'rtl'
    const back = rtl ? 'ArrowRight' : 'ArrowLeft'
    value.go(event.key === back ? 'previous' : 'next')
  }

  return (
    <BranchPickerContext.Provider value={value}>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of controls, not a form fieldset */}
      <div
        role="group"
        aria-label={words.group}
        data-sluice="branch-picker"
        data-streaming={streamingSet.size > 0 ? '' : undefined}
        {...props}
        onKeyDown={composeEventHandlers(onKeyDown, keyDown)}
        ref={ref}
      >
        {children}
        {host === undefined && (
          <span
            aria-live="polite"
            aria-atomic="true"
            data-sluice="branch-picker-announcer"
            style={visuallyHidden}
          >
            {ownAnnouncement && <span key={ownAnnouncement.key}>{ownAnnouncement.text}</span>}
          </span>
        )}
      </div>
    </BranchPickerContext.Provider>
  )
})

/** Props of {@link BranchPickerPrevious} and {@link BranchPickerNext}. */
export interface BranchPickerButtonProps extends Omit<ComponentPropsWithoutRef<'button'>, 'type'> {
  /** The accessible name. Default "Previous version" / "Next version". */
  label?: string | undefined
}

function chevron(direction: BranchDirection): ReactNode {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      data-sluice="branch-picker-icon"
    >
      <path d={direction === 'previous' ? 'M15 6l-6 6 6 6' : 'M9 6l6 6-6 6'} />
    </svg>
  )
}

function makeButton(direction: BranchDirection, displayName: string) {
  const Button = forwardRef<HTMLButtonElement, BranchPickerButtonProps>(function BranchPickerButton(
    { label: labelProp, children, onClick, ...props },
    ref,
  ) {
    const picker = usePickerContext(displayName)
    const label = labelProp ?? picker.labels[direction]
    const disabled = direction === 'previous' ? picker.index <= 0 : picker.index >= picker.count - 1
    const streams = [...picker.streaming].some((version) =>
      direction === 'previous' ? version < picker.index : version > picker.index,
    )
    return (
      <button
        type="button"
        aria-label={label}
        title={label}
        disabled={disabled}
        data-sluice={`branch-${direction}`}
        data-streaming={streams ? '' : undefined}
        {...props}
        ref={(element) => {
          picker.register(direction, element)
          if (typeof ref === 'function') ref(element)
          else if (ref) ref.current = element
        }}
        onClick={composeEventHandlers(onClick, () => picker.go(direction))}
      >
        {children ?? chevron(direction)}
      </button>
    )
  })
  Button.displayName = displayName
  return Button
}

/**
 * The "Previous version" button; disabled on the first version. `data-streaming` when an
 * earlier version is streaming.
 *
 * @example
 * ```tsx
 * <BranchPickerPrevious label="Earlier" />
 * ```
 */
export const BranchPickerPrevious = makeButton('previous', 'BranchPickerPrevious')

/**
 * The "Next version" button; disabled on the last version. `data-streaming` when a later
 * version is streaming.
 *
 * @example
 * ```tsx
 * <BranchPickerNext />
 * ```
 */
export const BranchPickerNext = makeButton('next', 'BranchPickerNext')

/**
 * The "N / M" text (current / count; the labels' `branchPicker.count`, numbers in the locale's digits).
 *
 * @example
 * ```tsx
 * <BranchPickerCount />
 * ```
 */
export const BranchPickerCount = forwardRef<HTMLSpanElement, ComponentPropsWithoutRef<'span'>>(
  function BranchPickerCount(props, ref) {
    const { index, count, labels, format } = usePickerContext('BranchPickerCount')
    return (
      <span data-sluice="branch-count" {...props} ref={ref}>
        {labels.count(index + 1, count, format)}
      </span>
    )
  },
)

/**
 * The version picker of a message with siblings (an edited question, a regenerated answer):
 * "‹ 2 / 3 ›". Renders nothing for a message with one version. Built from
 * {@link BranchPickerRoot} and its parts.
 *
 * @example
 * ```tsx
 * const info = useBranchInfo(message.id)
 * <BranchPicker index={info.index} count={info.count} onSwitch={(to) => chat.switchBranch(message.id, to)} />
 * ```
 */
export const BranchPicker = forwardRef<HTMLDivElement, BranchPickerRootProps>(function BranchPicker(
  { count, children, ...props },
  ref,
) {
  if (count < 2) return null
  return (
    <BranchPickerRoot count={count} {...props} ref={ref}>
      <BranchPickerPrevious />
      <BranchPickerCount />
      <BranchPickerNext />
      {children}
    </BranchPickerRoot>
  )
})
