import { type Message, messageText } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef, type KeyboardEvent, useState } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'
import { typedTextDirection } from './text-direction.ts'

/** Props of {@link ChatMessageEditor}. */
export interface ChatMessageEditorProps extends Omit<ComponentPropsWithoutRef<'form'>, 'onSubmit'> {
  message: Message
  /** Send the edited text (the app replaces the conversation from this message on). */
  onSubmit: (message: Message, text: string) => void
  onCancel: () => void
  /** Any subset of the labels' `editor` group ("Edit message", "Cancel", "Resend"), over the provider's. */
  labels?: LabelsOverride<ChatLabels['editor']> | undefined
}

/**
 * Edit a user message and send it again. A textbox "Edit message" with "Cancel" and
 * "Resend"; Enter resends, Shift+Enter breaks the line, Escape cancels.
 *
 * @example
 * ```tsx
 * {editing && <ChatMessageEditor message={message} onSubmit={resend} onCancel={() => setEditing(false)} />}
 * ```
 */
export const ChatMessageEditor = forwardRef<HTMLFormElement, ChatMessageEditorProps>(
  function ChatMessageEditor({ message, onSubmit, onCancel, labels, ...props }, ref) {
    const words = useLabels('editor', labels).editor
    const [text, setText] = useState(() => messageText(message))
    const empty = text.trim() === ''
    const submit = () => {
      if (!empty) onSubmit(message, text)
    }
    const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        onCancel()
      } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
        event.preventDefault()
        submit()
      }
    }
    return (
      <form
        data-sluice="message-editor"
        {...props}
        ref={ref}
        onSubmit={(event) => {
          event.preventDefault()
          submit()
        }}
      >
        <textarea
          aria-label={words.input}
          data-sluice="message-editor-input"
          dir={typedTextDirection(text)}
          value={text}
          // Editing starts from a button press, so moving focus here is expected.
          // biome-ignore lint/a11y/noAutofocus: focus follows the user's Edit action
          autoFocus
          rows={1}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div data-sluice="message-editor-actions">
          <button type="button" onClick={onCancel}>
            {words.cancel}
          </button>
          <button type="submit" disabled={empty}>
            {words.resend}
          </button>
        </div>
      </form>
    )
  },
)
