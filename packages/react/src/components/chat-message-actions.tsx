import { type Message, messageText } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef, useEffect, useState } from 'react'
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
}

async function copyToClipboard(_message: Message, text: string): Promise<void> {
  await navigator.clipboard.writeText(text)
}

/**
 * The actions of a finished message: Copy (any message with text), Edit (user messages,
 * when `onEdit` is given) and Regenerate (assistant messages, when `onRegenerate` is given).
 * Hidden while the message is being written. The Copy button gets `data-copied` for two
 * seconds after a copy; its name stays "Copy".
 *
 * @example
 * ```tsx
 * <ChatMessageActions onRegenerate={() => chat.regenerate()} />
 * ```
 */
export const ChatMessageActions = forwardRef<HTMLDivElement, ChatMessageActionsProps>(
  function ChatMessageActions({ onCopy = copyToClipboard, onEdit, onRegenerate, children, ...props }, ref) {
    const { message } = useChatMessageContext('ChatMessageActions')
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
            onClick={async () => {
              try {
                await onCopy(message, text)
                setCopied(true)
              } catch {
                // The clipboard can be refused (permissions, insecure context); the button stays "Copy".
              }
            }}
          >
            Copy
          </button>
        )}
        {showEdit && (
          <button type="button" data-sluice="edit-button" onClick={() => onEdit(message)}>
            Edit
          </button>
        )}
        {showRegenerate && (
          <button type="button" data-sluice="regenerate-button" onClick={() => onRegenerate(message)}>
            Regenerate
          </button>
        )}
        {children}
      </div>
    )
  },
)
