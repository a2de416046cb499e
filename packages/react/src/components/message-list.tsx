import type { Chat, Message, MessageStatus } from '@sluice/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  type ComponentPropsWithoutRef,
  forwardRef,
  memo,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { LabelsProvider, useLabels } from '../hooks/chat-context.tsx'
import type { LabelsOverride } from '../labels.ts'
import { announceMessage } from './announce-message.ts'
import { BranchPickerHostContext, useBranchPickerHost } from './branch-picker.tsx'
import { ChatMessage } from './chat-message.tsx'
import type { MessageMarkdownOptions, PartRenderer } from './message-part-view.tsx'
import { isMessageActive } from './message-state.ts'
import { ChatMessageBranches, ChatMessageFeedback } from './message-versions.tsx'
import { sameMarkdownOptions } from './same-markdown-options.ts'
import type { ToolRenderers } from './tool-call-card.tsx'
import { useOptionalChat, useOptionalChatSelector } from './use-optional-chat.ts'
import { visuallyHidden } from './visually-hidden.ts'

/** What a row renderer knows besides the message. */
export interface MessageRowContext {
  /** Whether this is the last message of the thread (Retry and Resume only apply there). */
  isLast: boolean
}

/** Renders one message of the list. Keep it stable (`useCallback`): rows re-render when it changes. */
export type MessageRenderer = (message: Message, context: MessageRowContext) => ReactNode

/** Props of {@link MessageList}. */
export interface MessageListProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children' | 'onCopy'> {
  /**
   * The messages to show. Without it the list reads the chat (the `chat` prop or the nearest
   * `ChatProvider`) and each row subscribes to its own message, so a token re-renders one row.
   */
  messages?: readonly Message[]
  /** The chat to read when `messages` is not given (default: the nearest `ChatProvider`'s). */
  chat?: Chat
  /** Custom row content. Default: {@link ChatMessage} wired to the handlers below (or to the chat). */
  renderMessage?: MessageRenderer
  /** Default rows: re-run a failed message. Default with a chat: `chat.retry()`. */
  onRetry?: (message: Message) => void
  /** Default rows: continue an interrupted message. Default with a chat: `chat.resume()` when it can. */
  onResume?: (message: Message) => void
  /**
   * Default rows: ask again for an answer (offered on every answer, not only the last). Default
   * with a chat: `chat.regenerate(message.id)`, which keeps the earlier version, and for an earlier
   * answer the turns after it, as a sibling.
   */
  onRegenerate?: (message: Message) => void
  /**
   * Default rows: resend an edited user message. Default with a chat: `chat.edit(id, text)`,
   * which keeps the earlier version as a sibling (a "Versions" picker switches between them).
   */
  onEdit?: (message: Message, text: string) => void
  /** Default rows: copy the text (clipboard by default; `false` hides Copy). */
  onCopy?: ((message: Message, text: string) => void | Promise<void>) | false
  /** Default rows: custom tool bodies by tool name. Keep it stable. */
  toolRenderers?: ToolRenderers
  /** Default rows: custom part rendering. Keep it stable. */
  renderPart?: PartRenderer
  /** Default rows: markdown options (compared by content: an inline object is fine). */
  markdown?: MessageMarkdownOptions
  /**
   * Override `aria-busy`. Default: true while the last message is pending or streaming, or the
   * chat is answering (also into a version that is not shown).
   */
  busy?: boolean
  /**
   * The words announced once when an assistant message ends (never per token). Receives the
   * message and its rendered text. Return `undefined` to stay silent.
   */
  announce?: (message: Message, renderedText: string | undefined) => string | undefined
  /** The log's accessible name. Default: the labels' `messageList.log` (`"Messages"`). */
  label?: string
  /** The "Jump to latest" button's text. Default: the labels' `messageList.jumpToLatest`. */
  jumpToLatestLabel?: string
  /**
   * Strings over the provider's labels for the list and every row in it: any subset of any
   * group (`{ messageList: { jumpToLatest: '…' }, message: { copy: '…' } }`). Keep it stable.
   */
  labels?: LabelsOverride | undefined
  /**
   * Thumbs up / down ("Good response", "Bad response") on finished answers, kept on the message
   * through `chat.setFeedback` (the chat's `onFeedback` hears it). Default `false`.
   */
  feedback?: boolean
  /** Estimated row height in pixels before a row is measured. Default 120. */
  estimateSize?: number
  /** Rows rendered beyond the visible ones on each side. Default 6. */
  overscan?: number
}

/**
 * How far from the end (px) still counts as "at the latest message". Small on purpose: the
 * list lets go as soon as the user scrolls up, and follows again once they are back.
 */
const END_THRESHOLD = 8

const emptyIds: readonly string[] = []

/**
 * Whether the list follows the latest message. It lets go only when the viewport moved up further
 * than the content shrank: a user's wheel, touch, keys or scrollbar. A shrink of the content
 * also moves `scrollTop` up (the browser clamps it), and must never release the list nor show
 * "Jump to latest" for a frame; back within {@link END_THRESHOLD} of the end, it follows again.
 */
function useStickToBottom(scrollRef: RefObject<HTMLDivElement | null>) {
  const following = useRef(true)
  const last = useRef({ top: 0, height: 0 })
  const [, setFollowing] = useState(true)
  const set = useCallback((value: boolean) => {
    if (following.current === value) return
    following.current = value
    setFollowing(value)
  }, [])
  // Reads where the viewport is now and decides whether the user moved it. Called on scroll
  // events and before the list snaps to the end after a render: a row measured in the same frame
  // as the user's scroll re-renders the list before that scroll's event arrives, and snapping then
  // would undo the user's move.
  const onScroll = useCallback(() => {
    const viewport = scrollRef.current
    if (viewport === null) return
    const top = viewport.scrollTop
    const height = viewport.scrollHeight
    const previous = last.current
    last.current = { top, height }
    if (height - top - viewport.clientHeight <= END_THRESHOLD) set(true)
    // A clamp moves the viewport up by at most what the content lost; a move further up (or one
    // with no shrink at all) is the user's, even when rows measured smaller in the same frame.
    else if (top < previous.top - 1 - Math.max(0, previous.height - height)) set(false)
  }, [scrollRef, set])
  const follow = useCallback(() => set(true), [set])
  return { following, onScroll, follow }
}

interface RowContentProps {
  message: Message
  isLast: boolean
  renderMessage: MessageRenderer
}

const RowContent = memo(function RowContent({ message, isLast, renderMessage }: RowContentProps) {
  return <>{renderMessage(message, { isLast })}</>
})

/** A row that selects its own message from the chat: a token re-renders this row only. */
const ChatRowContent = memo(function ChatRowContent({
  chat,
  id,
  isLast,
  renderMessage,
}: {
  chat: Chat
  id: string
  isLast: boolean
  renderMessage: MessageRenderer
}) {
  const message = useOptionalChatSelector(chat, (state) => state.messages[id], undefined)
  return message ? <RowContent message={message} isLast={isLast} renderMessage={renderMessage} /> : null
})

function renderedTextOf(container: HTMLElement | null, id: string): string | undefined {
  const row = container?.querySelector(`[data-message-id="${CSS.escape(id)}"]`)
  if (!row) return undefined
  const texts = row.querySelectorAll('[data-sluice="message-text"]')
  if (texts.length === 0) return undefined
  return Array.from(texts, (element) => element.textContent ?? '').join('\n')
}

/**
 * The thread: a virtualized `role="log"` that stays smooth with thousands of messages
 * (TanStack Virtual, end-anchored). While a message streams the log has `aria-busy="true"`,
 * and when an assistant message ends its text is announced once through a polite live
 * region (the log itself is `aria-live="off"`: rows mounting while scrolling, and tokens,
 * must not be read out).
 *
 * It sticks to the bottom while the answer grows, lets go the moment the user scrolls up
 * (a "Jump to latest" button appears), and follows again once the user is back at the end
 * or clicks the button. Sending a new message scrolls back to the end.
 *
 * Give it `messages`, or render it inside a `ChatProvider` (each row then selects its own
 * message). Give the root a height (the log scrolls inside it).
 * Root: `data-sluice="message-list"`, `data-at-end` while following the latest message.
 *
 * @example
 * ```tsx
 * <ChatProvider api="/api/chat" protocol="openai-chat">
 *   <MessageList style={{ height: 600 }} />
 *   <Composer />
 * </ChatProvider>
 * ```
 */
export const MessageList = forwardRef<HTMLDivElement, MessageListProps>(function MessageList(
  { labels, ...props },
  ref,
) {
  // Always a provider, so adding labels later never remounts the list (its scroll position).
  return (
    <LabelsProvider labels={labels}>
      <MessageListView {...props} ref={ref} />
    </LabelsProvider>
  )
})

const MessageListView = forwardRef<HTMLDivElement, Omit<MessageListProps, 'labels'>>(function MessageListView(
  {
    messages,
    chat: chatProp,
    renderMessage,
    onRetry,
    onResume,
    onRegenerate,
    onEdit,
    onCopy,
    toolRenderers,
    renderPart,
    markdown,
    busy: busyProp,
    announce,
    label,
    jumpToLatestLabel,
    feedback = false,
    estimateSize = 120,
    overscan = 6,
    style,
    ...props
  },
  ref,
) {
  const words = useLabels()
  const contextChat = useOptionalChat(chatProp)
  // With `messages` the props are the source of truth, even inside a provider.
  const chat = messages === undefined ? contextChat : undefined
  if (messages === undefined && chat === undefined) {
    throw new Error(
      'MessageList: there are no messages to show. Pass `messages={messages}`, a `chat`, or render it inside a <ChatProvider>.',
    )
  }

  const chatIds = useOptionalChatSelector(chat, (state) => state.messageIds, emptyIds)
  const ids = useMemo(() => (messages ? messages.map((message) => message.id) : chatIds), [messages, chatIds])
  const lastId = ids[ids.length - 1]
  // A primitive: the list re-renders when the last message changes status, never per token.
  const chatLastStatus = useOptionalChatSelector(
    chat,
    (state) => {
      const id = state.messageIds[state.messageIds.length - 1]
      return id === undefined ? undefined : state.messages[id]?.status
    },
    undefined,
  )
  const lastStatus: MessageStatus | undefined = messages
    ? messages[messages.length - 1]?.status
    : chatLastStatus
  // The chat's own request status too: an answer streaming into a version the user is not looking
  // at (they went back to an earlier one) is still "a message streams" (the DOM contract).
  const chatAnswering = useOptionalChatSelector(
    chat,
    (state) => state.status === 'submitted' || state.status === 'streaming',
    false,
  )
  const busy =
    busyProp ?? (chatAnswering || (lastStatus !== undefined && isMessageActive({ status: lastStatus })))

  const getMessage = useCallback(
    (id: string): Message | undefined =>
      messages ? messages.find((message) => message.id === id) : chat?.getState().messages[id],
    [messages, chat],
  )

  // Latest-ref for the handlers so the default renderer keeps its identity (rows stay memoized).
  const latest = useRef({ onRetry, onResume, onRegenerate, onEdit, onCopy, chat })
  latest.current = { onRetry, onResume, onRegenerate, onEdit, onCopy, chat }
  const hasRetry = onRetry !== undefined || chat !== undefined
  const hasResume = onResume !== undefined || chat !== undefined
  const hasRegenerate = onRegenerate !== undefined || chat !== undefined
  const hasEdit = onEdit !== undefined || chat !== undefined

  // `markdown={{ allowedOrigins: [...] }}` written inline is a new object on every render of the
  // app, and the list re-renders per token (a `messages` prop) or per row resize (a chat): keep
  // the previous object while the content is the same, or every row would re-render each time.
  const stableMarkdownRef = useRef(markdown)
  if (!sameMarkdownOptions(stableMarkdownRef.current, markdown)) stableMarkdownRef.current = markdown
  const stableMarkdown = stableMarkdownRef.current

  const defaultRenderMessage = useCallback<MessageRenderer>(
    (message, { isLast }) => {
      const handlers = latest.current
      const activeChat = handlers.chat
      const retry = (target: Message) =>
        handlers.onRetry ? handlers.onRetry(target) : void activeChat?.retry()
      const resume = (target: Message) =>
        handlers.onResume ? handlers.onResume(target) : void activeChat?.resume()
      const regenerate = (target: Message) =>
        handlers.onRegenerate ? handlers.onRegenerate(target) : void activeChat?.regenerate(target.id)
      const edit = (target: Message, text: string) => {
        if (handlers.onEdit) return handlers.onEdit(target, text)
        // Edit-and-resend: a new version of the question, answered; the earlier one is kept.
        if (activeChat) void activeChat.edit(target.id, text)
      }
      const canResume = handlers.onResume !== undefined || (activeChat?.canResume() ?? false)
      return (
        <ChatMessage
          message={message}
          onRetry={hasRetry && isLast ? retry : undefined}
          onResume={hasResume && isLast && canResume ? resume : undefined}
          onRegenerate={hasRegenerate ? regenerate : undefined}
          onEdit={hasEdit ? edit : undefined}
          {...(handlers.onCopy !== undefined ? { onCopy: handlers.onCopy } : {})}
          toolRenderers={toolRenderers}
          renderPart={renderPart}
          markdown={stableMarkdown}
        >
          {activeChat ? (
            <>
              <ChatMessageBranches message={message} chat={activeChat} />
              {feedback ? <ChatMessageFeedback message={message} chat={activeChat} /> : null}
            </>
          ) : null}
        </ChatMessage>
      )
    },
    [hasRetry, hasResume, hasRegenerate, hasEdit, toolRenderers, renderPart, stableMarkdown, feedback],
  )
  const render = renderMessage ?? defaultRenderMessage

  const scrollRef = useRef<HTMLDivElement | null>(null)
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    getItemKey: (index) => ids[index] ?? index,
    overscan,
    // End anchoring: a growing last message keeps an end-pinned viewport pinned, appended
    // messages are followed only when the user is at the end, and a user who scrolled up
    // stays exactly where they are.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD,
  })
  const { following, onScroll, follow } = useStickToBottom(scrollRef)

  // Start at the latest message.
  useLayoutEffect(() => {
    virtualizer.scrollToEnd()
  }, [virtualizer])

  // While following, the end stays in view whatever the content did: when it shrinks (a table
  // that replaced its text, a block collapsing), the browser clamps the scroll position, and the
  // virtualizer's total size can lag one measurement behind; neither may leave the list short of
  // the end. Runs after every render (they follow row measurements), does nothing at the end.
  useLayoutEffect(() => {
    const viewport = scrollRef.current
    if (!following.current || viewport === null || ids.length === 0) return
    onScroll()
    if (!following.current) return
    if (viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight > END_THRESHOLD)
      virtualizer.scrollToEnd()
  })

  // A message the user just sent brings them back to the end, wherever they were reading.
  const previousLastId = useRef(lastId)
  useEffect(() => {
    if (previousLastId.current === lastId) return
    previousLastId.current = lastId
    if (lastId !== undefined && getMessage(lastId)?.role === 'user') virtualizer.scrollToEnd()
  }, [lastId, getMessage, virtualizer])

  // One announcement per finished answer: on the last message's move from pending/streaming
  // to an end status. The status is a primitive, so this runs on transitions only.
  const [announcement, setAnnouncement] = useState<{ text: string; count: number }>()
  const previous = useRef({ id: lastId, status: lastStatus })
  // A version switch replaces the row: the list announces it once and hands focus on.
  const pickerHost = useBranchPickerHost((text) =>
    setAnnouncement((current) => ({ text, count: (current?.count ?? 0) + 1 })),
  )
  const announceRef = useRef(announce)
  announceRef.current = announce
  const wordsRef = useRef(words)
  wordsRef.current = words
  useEffect(() => {
    const before = previous.current
    previous.current = { id: lastId, status: lastStatus }
    if (lastId === undefined || lastStatus === undefined || isMessageActive({ status: lastStatus })) return
    const sawItStream =
      before.id === lastId && before.status !== undefined && isMessageActive({ status: before.status })
    if (!sawItStream) return
    const message = getMessage(lastId)
    if (!message) return
    const renderedText = renderedTextOf(scrollRef.current, lastId)
    const text = announceRef.current
      ? announceRef.current(message, renderedText)
      : announceMessage(message, renderedText, wordsRef.current)
    if (text) setAnnouncement((current) => ({ text, count: (current?.count ?? 0) + 1 }))
  }, [lastId, lastStatus, getMessage])

  const items = virtualizer.getVirtualItems()
  const atEnd = ids.length === 0 || following.current
  return (
    <BranchPickerHostContext.Provider value={pickerHost}>
      <div
        data-sluice="message-list"
        data-at-end={atEnd ? '' : undefined}
        data-busy={busy ? '' : undefined}
        style={{ position: 'relative', display: 'flex', flexDirection: 'column', minHeight: 0, ...style }}
        {...props}
        ref={ref}
      >
        <div
          ref={scrollRef}
          role="log"
          aria-label={label ?? words.messageList.log}
          aria-live="off"
          aria-busy={busy}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
          tabIndex={0}
          data-sluice="message-list-viewport"
          onScroll={onScroll}
          // Browser scroll anchoring would fight the virtualizer's own corrections.
          style={{ flex: '1 1 auto', minHeight: 0, overflowY: 'auto', overflowAnchor: 'none' }}
        >
          <div
            data-sluice="message-list-content"
            style={{ position: 'relative', width: '100%', height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const id = ids[item.index]
              if (id === undefined) return null
              const isLast = item.index === ids.length - 1
              const message = messages?.[item.index]
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  data-sluice="message-list-row"
                  ref={virtualizer.measureElement}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    width: '100%',
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {message ? (
                    <RowContent message={message} isLast={isLast} renderMessage={render} />
                  ) : chat ? (
                    <ChatRowContent chat={chat} id={id} isLast={isLast} renderMessage={render} />
                  ) : null}
                </div>
              )
            })}
          </div>
        </div>
        {!atEnd && (
          <button
            type="button"
            data-sluice="jump-to-latest"
            onClick={() => {
              follow()
              virtualizer.scrollToEnd()
              scrollRef.current?.focus({ preventScroll: true })
            }}
          >
            {jumpToLatestLabel ?? words.messageList.jumpToLatest}
          </button>
        )}
        <div
          aria-live="polite"
          aria-atomic="true"
          data-sluice="message-list-announcer"
          style={visuallyHidden}
        >
          {announcement && <span key={announcement.count}>{announcement.text}</span>}
        </div>
      </div>
    </BranchPickerHostContext.Provider>
  )
})
