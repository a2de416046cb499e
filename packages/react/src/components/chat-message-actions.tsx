import { type Message, messageText } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode, useEffect, useState } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'
import { useChatMessageContext } from './chat-message-context.ts'

/** Props of {@link ChatMessageActions}. */
export interface ChatMessageActionsProps extends Omit<ComponentPropsWithoutRef<'div'>, 'onCopy'> {
  /**
   * Copy the message text. Default: the clipboard API. Pass `false` to hide the Copy button.
   */
  onCopy?: ((message: Message, text: string) => void | Promise<void>) | false
  /** Start editing a user message (shows "Edit"). */
  onEdit?: ((message: Message) => void) | undefined
  /** Ask again for an assistant message (shows "Regenerate"). */
  onRegenerate?: ((message: Message) => void) | undefined
  /** Any subset of the labels' `message` group ("Copy", "Copied", "Edit", "Regenerate"), over the provider's. */
  labels?: LabelsOverride<ChatLabels['message']> | undefined
}

async function copyToClipboard(_message: Message, text: string): Promise<void> {
  await navigator.clipboard.writeText(text)
}

/**
 * A 16 px line icon drawn in the button's text colour. Decorative: the button's `aria-label`
 * is its name, so the icon is hidden from assistive technology and never takes focus.
 */
function ActionIcon({ children }: { children: ReactNode }) {
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
    >
      {children}
    </svg>
  )
}

/** Two overlapping sheets. */
const copyIcon = (
  <ActionIcon>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </ActionIcon>
)

/** A tick, shown for two seconds after a copy. */
const copiedIcon = (
  <ActionIcon>
    <path d="M5 12.5l4.5 4.5L19 7" />
  </ActionIcon>
)

/** A pencil. */
const editIcon = (
  <ActionIcon>
    <path d="M4 20h4L19.5 8.5a2.1 2.1 0 0 0-4-4L4 16z" />
    <path d="M13.5 6.5l4 4" />
  </ActionIcon>
)

/** A circular arrow. */
const regenerateIcon = (
  <ActionIcon>
    <path d="M20 12a8 8 0 1 1-2.4-5.7" />
    <path d="M20 4v5h-5" />
  </ActionIcon>
)

/**
 * The actions of a finished message: Copy (any message with text), Edit (user messages,
 * when `onEdit` is given) and Regenerate (assistant messages, when `onRegenerate` is given).
 * Hidden while the message is being written. The Copy button gets `data-copied` (and a tick)
 * for two seconds after a copy; its name stays "Copy".
 *
 * Compact icon buttons: each icon is decorative (`aria-hidden`), the accessible name is the
 * button's `aria-label` ("Copy", "Edit", "Regenerate") and its `title` the pointer's tooltip.
 * The default theme shows the row while the pointer is over the message or focus is inside
 * it, and always on touch screens; the buttons are always in the tab order.
 *
 * @example
 * ```tsx
 * <ChatMessageActions onRegenerate={() => chat.regenerate()} />
 * ```
 */
export const ChatMessageActions = forwardRef<HTMLDivElement, ChatMessageActionsProps>(
  function ChatMessageActions(
    { onCopy = copyToClipboard, onEdit, onRegenerate, labels, children, ...props },
    ref,
  ) {
    const { message } = useChatMessageContext('ChatMessageActions')
    const words = useLabels('message', labels).message
    const [copied, setCopied] = useState(false)
    useEffect(() => {
      if (!copied) return
      const timer = setTimeout(() => setCopied(false), 2000)
      return () => clearTimeout(timer)
    }, [copied])

    if (message.status === 'pending' || message.status === 'streaming') return null
    const text = messageText(message)
    const showCopy = onCopy !== false && text !== ''
    const showEdit = onEdit !== undefined && message.role === 'user'
    const showRegenerate = onRegenerate !== undefined && message.role === 'assistant'
    if (!showCopy && !showEdit && !showRegenerate && children === undefined) return null

    return (
      <div data-sluice="message-actions" {...props} ref={ref}>
        {showCopy && (
          <button
            type="button"
            data-sluice="copy-button"
            data-copied={copied ? '' : undefined}
            aria-label={words.copy}
            title={copied ? words.copied : words.copy}
            onClick={async () => {
              try {
                await onCopy(message, text)
                setCopied(true)
              } catch {
                // The clipboard can be refused (permissions, insecure context); the button stays "Copy".
              }
            }}
          >
            {copied ? copiedIcon : copyIcon}
          </button>
        )}
        {showEdit && (
          <button
            type="button"
            data-sluice="edit-button"
            aria-label={words.edit}
            title={words.edit}
            onClick={() => onEdit(message)}
          >
            {editIcon}
          </button>
        )}
        {showRegenerate && (
          <button
            type="button"
            data-sluice="regenerate-button"
            aria-label={words.regenerate}
            title={words.regenerate}
            onClick={() => onRegenerate(message)}
          >
            {regenerateIcon}
          </button>
        )}
        {children}
      </div>
    )
  },
)
