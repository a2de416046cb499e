import {
  type ComponentPropsWithoutRef,
  forwardRef,
  type KeyboardEvent,
  type ReactNode,
  useLayoutEffect,
  useRef,
  useState,
} from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'
import { typedTextDirection } from './text-direction.ts'

/** One message waiting to be sent (the shape of core's `QueuedMessage`; extra fields are kept). */
export interface QueuedItem {
  id: string
  text: string
}

/** The words of {@link QueuedMessages}: any subset of the labels' `queue` group, over the provider's. */
export type QueuedMessagesLabels = LabelsOverride<ChatLabels['queue']>

/** Props of {@link QueuedMessages}. */
export interface QueuedMessagesProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** The queue, first to be sent first. Renders nothing when empty. */
  items: readonly QueuedItem[]
  onRemove: (id: string) => void
  onSendNow: (id: string) => void
  /** Replace a queued message's text (shows "Edit"). */
  onUpdate?: ((id: string, text: string) => void) | undefined
  /** Move a queued message to `toIndex` (shows "Move up" / "Move down", and Alt+ArrowUp/Down). */
  onMove?: ((id: string, toIndex: number) => void) | undefined
  /** Empty the queue (shows "Clear queue"). */
  onClear?: (() => void) | undefined
  labels?: QueuedMessagesLabels | undefined
}

type Action = 'up' | 'down'

function icon(path: ReactNode): ReactNode {
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
    >
      {path}
    </svg>
  )
}

const icons = {
  up: icon(<path d="M6 15l6-6 6 6" />),
  down: icon(<path d="M6 9l6 6 6-6" />),
  edit: icon(<path d="M4 20h4L19.5 8.5a2.1 2.1 0 0 0-4-4L4 16z" />),
  send: icon(<path d="M4 12l16-8-6 16-2-7z" />),
  remove: icon(<path d="M6 6l12 12M18 6L6 18" />),
}

function IconButton({
  label,
  children,
  ...props
}: Omit<ComponentPropsWithoutRef<'button'>, 'type'> & { label: string; 'data-sluice': string }) {
  return (
    <button type="button" aria-label={label} title={label} {...props}>
      {children}
    </button>
  )
}

function QueuedEditor({
  item,
  labels,
  onDone,
  onSave,
}: {
  item: QueuedItem
  labels: ChatLabels['queue']
  onDone: () => void
  onSave: (text: string) => void
}) {
  const [text, setText] = useState(item.text)
  const empty = text.trim() === ''
  const save = () => {
    if (empty) return
    onSave(text)
    onDone()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onDone()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      save()
    }
  }
  return (
    <form
      data-sluice="queued-editor"
      onSubmit={(event) => {
        event.preventDefault()
        save()
      }}
    >
      <textarea
        aria-label={labels.editInput}
        rows={1}
        dir={typedTextDirection(text)}
        value={text}
        // biome-ignore lint/a11y/noAutofocus: focus follows the user's Edit action
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="button" onClick={onDone}>
        {labels.cancel}
      </button>
      <button type="submit" disabled={empty}>
        {labels.save}
      </button>
    </form>
  )
}

/**
 * The messages sent while an answer streams (a chat with `queue: true`), sent one by one as
 * answers end. A list named "Queued messages"; each item's text is the message, with icon
 * buttons "Edit" (a textbox: Enter saves, Escape cancels), "Move up" / "Move down" (also
 * Alt+ArrowUp / Alt+ArrowDown anywhere in the item; focus stays on the moved item), "Send now"
 * (stops the answer and sends this one) and "Remove"; "Clear queue" below. Renders nothing when
 * the queue is empty. Root: `data-sluice="queued-messages"`.
 *
 * @example
 * ```tsx
 * const queue = useQueue()
 * <QueuedMessages items={queue} onRemove={(id) => chat.removeQueued(id)} onSendNow={(id) => chat.sendQueuedNow(id)} />
 * ```
 */
export const QueuedMessages = forwardRef<HTMLDivElement, QueuedMessagesProps>(function QueuedMessages(
  { items, onRemove, onSendNow, onUpdate, onMove, onClear, labels: labelsProp, ...props },
  ref,
) {
  const labels = useLabels('queue', labelsProp).queue
  const [editing, setEditing] = useState<string>()
  const listRef = useRef<HTMLUListElement | null>(null)
  // After a move, focus goes back to the moved item's button (or its other move button at an end).
  const pendingFocus = useRef<{ id: string; action: Action } | undefined>(undefined)
  useLayoutEffect(() => {
    const pending = pendingFocus.current
    if (pending === undefined) return
    pendingFocus.current = undefined
    const row = [...(listRef.current?.children ?? [])].find(
      (element) => element instanceof HTMLElement && element.dataset.queuedId === pending.id,
    )
    const button = (action: Action) =>
      row?.querySelector<HTMLButtonElement>(`[data-sluice="queued-move-${action}"]`)
    const wanted = button(pending.action)
    const target = wanted && !wanted.disabled ? wanted : button(pending.action === 'up' ? 'down' : 'up')
    target?.focus()
  })

  if (items.length === 0) return null
  const move = (id: string, index: number, action: Action) => {
    const to = action === 'up' ? index - 1 : index + 1
    if (onMove === undefined || to < 0 || to >= items.length) return
    pendingFocus.current = { id, action }
    onMove(id, to)
  }

  return (
    <div data-sluice="queued-messages" {...props} ref={ref}>
      <ul aria-label={labels.list} data-sluice="queued-list" ref={listRef}>
        {items.map((item, index) => (
          <li
            key={item.id}
            data-sluice="queued-item"
            data-queued-id={item.id}
            onKeyDown={(event) => {
              if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
              if (editing === item.id) return
              event.preventDefault()
              move(item.id, index, event.key === 'ArrowUp' ? 'up' : 'down')
            }}
          >
            {editing === item.id && onUpdate ? (
              <QueuedEditor
                item={item}
                labels={labels}
                onDone={() => setEditing(undefined)}
                onSave={(text) => onUpdate(item.id, text)}
              />
            ) : (
              <>
                <span data-sluice="queued-text" dir="auto">
                  {item.text}
                </span>
                <span data-sluice="queued-actions">
                  {onUpdate && (
                    <IconButton
                      data-sluice="queued-edit"
                      label={labels.edit}
                      onClick={() => setEditing(item.id)}
                    >
                      {icons.edit}
                    </IconButton>
                  )}
                  {onMove && (
                    <>
                      <IconButton
                        data-sluice="queued-move-up"
                        label={labels.moveUp}
                        disabled={index === 0}
                        onClick={() => move(item.id, index, 'up')}
                      >
                        {icons.up}
                      </IconButton>
                      <IconButton
                        data-sluice="queued-move-down"
                        label={labels.moveDown}
                        disabled={index === items.length - 1}
                        onClick={() => move(item.id, index, 'down')}
                      >
                        {icons.down}
                      </IconButton>
                    </>
                  )}
                  <IconButton
                    data-sluice="queued-send-now"
                    label={labels.sendNow}
                    onClick={() => onSendNow(item.id)}
                  >
                    {icons.send}
                  </IconButton>
                  <IconButton
                    data-sluice="queued-remove"
                    label={labels.remove}
                    onClick={() => onRemove(item.id)}
                  >
                    {icons.remove}
                  </IconButton>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {onClear && (
        <button type="button" data-sluice="queue-clear" onClick={onClear}>
          {labels.clear}
        </button>
      )}
    </div>
  )
})
