import type { Message } from '@sluice/core'
import { type ComponentPropsWithoutRef, memo, type ReactNode } from 'react'
import { LabelsProvider } from '../hooks/chat-context.tsx'
import type { LabelsOverride } from '../labels.ts'
import { ChatMessageActions } from './chat-message-actions.tsx'
import { ChatMessageContent } from './chat-message-content.tsx'
import { ChatMessageEditor } from './chat-message-editor.tsx'
import { ChatMessageRoot } from './chat-message-root.tsx'
import { ChatMessageStatus } from './chat-message-status.tsx'
import { ChatMessageUsage } from './chat-message-usage.tsx'
import type { MessageMarkdownOptions, PartRenderer } from './message-part-view.tsx'
import { sameMarkdownOptions } from './same-markdown-options.ts'
import type { ToolRenderers } from './tool-call-card.tsx'
import { useControllableState } from './use-controllable-state.ts'

/** Props of {@link ChatMessage}. */
export interface ChatMessageProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'onCopy'> {
  message: Message
  /** Re-run a message that ended in `error` or `interrupted` (shows "Retry"). */
  onRetry?: ((message: Message) => void) | undefined
  /** Continue an `interrupted` message (shows "Resume"). */
  onResume?: ((message: Message) => void) | undefined
  /** Ask again for a finished assistant message (shows "Regenerate"). */
  onRegenerate?: ((message: Message) => void) | undefined
  /** Send an edited user message again (shows "Edit", then an editor with "Resend"). */
  onEdit?: ((message: Message, text: string) => void) | undefined
  /** Copy the text; the clipboard by default, `false` hides "Copy". */
  onCopy?: ((message: Message, text: string) => void | Promise<void>) | false | undefined
  /** Controlled editing state of a user message. */
  editing?: boolean
  defaultEditing?: boolean
  onEditingChange?: (editing: boolean) => void
  /** Custom bodies for tool calls, by tool name. Keep the object stable. */
  toolRenderers?: ToolRenderers | undefined
  /** Custom rendering for any part; return `undefined` for the default. Keep it stable. */
  renderPart?: PartRenderer | undefined
  /** Options for the markdown of assistant text (allowed origins, components…); compared by content, so an inline object is fine. */
  markdown?: MessageMarkdownOptions | undefined
  /** Extra content after the actions (a footer, token counts…). */
  children?: ReactNode
  /**
   * Strings over the provider's labels for this message and its parts: any subset of any group
   * (`{ message: { copy: 'Copier' }, reasoning: { thinking: '…' } }`). Keep it stable.
   */
  labels?: LabelsOverride | undefined
}

/**
 * Renders any {@link Message} whatever its status: every part in order (markdown text,
 * collapsible reasoning, tool-call cards, sources, files, step separators), the caret while
 * text streams, the typing indicator while waiting, the error with Retry, the interrupted
 * state with Retry and Resume, the answer's token count when the backend reports usage
 * (growing while it streams), and Copy / Edit / Regenerate once finished.
 *
 * Built from the composable parts (`ChatMessageRoot`, `ChatMessageContent`,
 * `ChatMessageStatus`, `ChatMessageUsage`, `ChatMessageActions`, `ChatMessageEditor`); use them directly for
 * another layout. Memoized: with an unchanged `message` object and stable callbacks it
 * does not re-render.
 *
 * @example
 * ```tsx
 * <ChatMessage message={message} onRetry={() => chat.retry()} onRegenerate={() => chat.regenerate()} />
 * ```
 */
/**
 * `ChatMessage`'s memo comparison: every prop by identity, except `markdown`, compared by
 * content, so `markdown={{ allowedOrigins: [...] }}` written inline in a list does not re-render
 * every earlier message on each token.
 *
 * @example
 * ```ts
 * chatMessagePropsAreEqual({ message, markdown: { allowedOrigins: ['https://a.example'] } }, { message, markdown: { allowedOrigins: ['https://a.example'] } }) // true
 * ```
 */
export function chatMessagePropsAreEqual(previous: ChatMessageProps, next: ChatMessageProps): boolean {
  const keys = Object.keys(previous) as (keyof ChatMessageProps)[]
  if (keys.length !== Object.keys(next).length) return false
  for (const key of keys) {
    if (key === 'markdown') {
      if (!sameMarkdownOptions(previous.markdown, next.markdown)) return false
    } else if (!Object.is(previous[key], next[key])) return false
  }
  return true
}

export const ChatMessage = memo(function ChatMessage({
  message,
  onRetry,
  onResume,
  onRegenerate,
  onEdit,
  onCopy,
  editing: editingProp,
  defaultEditing = false,
  onEditingChange,
  toolRenderers,
  renderPart,
  markdown,
  labels,
  children,
  ...props
}: ChatMessageProps) {
  const [editing, setEditing] = useControllableState(editingProp, defaultEditing, onEditingChange)
  const canEdit = onEdit !== undefined && message.role === 'user'
  const root = (
    <ChatMessageRoot message={message} data-editing={editing && canEdit ? '' : undefined} {...props}>
      {editing && canEdit ? (
        <ChatMessageEditor
          message={message}
          onCancel={() => setEditing(false)}
          onSubmit={(edited, text) => {
            setEditing(false)
            onEdit(edited, text)
          }}
        />
      ) : (
        <>
          <ChatMessageContent
            {...(toolRenderers ? { toolRenderers } : {})}
            {...(renderPart ? { renderPart } : {})}
            {...(markdown ? { markdown } : {})}
          />
          <ChatMessageStatus onRetry={onRetry} onResume={onResume} />
          <ChatMessageUsage />
          <ChatMessageActions
            {...(onCopy !== undefined ? { onCopy } : {})}
            onEdit={canEdit ? () => setEditing(true) : undefined}
            onRegenerate={onRegenerate}
          />
        </>
      )}
      {children}
    </ChatMessageRoot>
  )
  // Always a provider, so adding labels later never remounts the message (an open editor).
  return <LabelsProvider labels={labels}>{root}</LabelsProvider>
}, chatMessagePropsAreEqual)
