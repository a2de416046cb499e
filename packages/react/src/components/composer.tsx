import type { Chat, ChatStatus, FilePart } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef, type KeyboardEvent, useRef } from 'react'
import { LabelsProvider, useLabels } from '../hooks/chat-context.tsx'
import type { LabelsOverride } from '../labels.ts'
import { useFileDrop } from './attachments/attachment-drop-zone.tsx'
import { AttachmentList } from './attachments/attachment-list.tsx'
import { AttachmentPicker } from './attachments/attachment-picker.tsx'
import {
  type AttachmentsController,
  type AttachmentsOptions,
  useAttachments,
} from './attachments/use-attachments.ts'
import { composeEventHandlers } from './compose-event-handlers.ts'
import { typedTextDirection } from './text-direction.ts'
import { useControllableState } from './use-controllable-state.ts'
import { useOptionalChat, useOptionalChatStatus } from './use-optional-chat.ts'
import { visuallyHidden } from './visually-hidden.ts'

/** Props of {@link Composer}. */
export interface ComposerProps extends Omit<ComponentPropsWithoutRef<'form'>, 'onSubmit'> {
  /**
   * Send the text and the attached files (empty without attachments). Default: the chat's
   * `send(text, { files })` (from the `chat` prop or a `ChatProvider`).
   */
  onSend?: (text: string, files: FilePart[]) => void | Promise<void>
  /** Stop the answer in progress. Default: the chat's `stop`. */
  onStop?: () => void
  /**
   * The chat's request status; `submitted` and `streaming` turn Send into Stop. Default: the
   * chat's status, or `idle` without a chat.
   */
  status?: ChatStatus
  /** The chat to use when there is no `ChatProvider` (or to override it). */
  chat?: Chat
  /** Disables the textbox and Send (Stop stays available while an answer streams). */
  disabled?: boolean
  /** Controlled text. */
  value?: string
  /** Uncontrolled initial text. */
  defaultValue?: string
  onValueChange?: (value: string) => void
  placeholder?: string
  /** The textbox's accessible name. Default: the labels' `composer.input` (`"Message"`, the DOM contract). */
  label?: string
  /**
   * Strings over the provider's labels, for the composer and its attachments: any subset of any
   * group (`{ composer: { send: 'Envoyer' }, attachments: { attach: 'Joindre' } }`).
   */
  labels?: LabelsOverride | undefined
  /**
   * Attachments: `true` (defaults: images up to 1 MiB inline), options (`uploadFile`, limits,
   * labels) or a controller from `useAttachments` shared with an `AttachmentDropZone`. Adds the
   * "Attach files" button, paste and drop onto the composer, and the previews. Send is disabled
   * while a file uploads or has failed. Default: off.
   */
  attachments?: boolean | AttachmentsOptions | AttachmentsController
  /**
   * Queue while answering: Send stays available beside Stop while an answer streams, and
   * sending then adds the message to the chat's queue (a chat created with `queue: true`; with
   * `onSend`, the app decides). Default: off. Pass it together with the chat's `queue: true`.
   */
  queue?: boolean
  /** Props for the textarea (rows, maxLength, autoFocus…). */
  textareaProps?: Omit<ComponentPropsWithoutRef<'textarea'>, 'value' | 'defaultValue' | 'disabled'>
}

function isController(value: ComposerProps['attachments']): value is AttachmentsController {
  return typeof value === 'object' && value !== null && 'items' in value && 'add' in value
}

/**
 * The message box. A textbox named "Message": Enter sends, Shift+Enter breaks the line
 * (and Enter while an input method is composing does nothing), Escape stops an answer in
 * progress. The Send button becomes Stop while the chat is busy; it is one element, so
 * keyboard focus survives the switch. Send is disabled while the text is blank or the
 * composer is `disabled`. Sending clears the text (uncontrolled) and keeps focus in the box.
 *
 * Works from props (`onSend`, `onStop`, `status`) or from the chat of a `ChatProvider`.
 * Root: `data-sluice="composer"`, `data-status`, `data-disabled`.
 *
 * @example
 * ```tsx
 * <Composer onSend={(text) => chat.send(text)} onStop={() => chat.stop()} status={status} />
 * ```
 */
export const Composer = forwardRef<HTMLFormElement, ComposerProps>(function Composer(
  { labels, ...props },
  ref,
) {
  // The attachments hook reads the labels too: the override is a provider around the whole
  // composer (always there, so adding labels later never remounts the form and its draft).
  return (
    <LabelsProvider labels={labels}>
      <ComposerForm {...props} ref={ref} />
    </LabelsProvider>
  )
})

const ComposerForm = forwardRef<HTMLFormElement, Omit<ComposerProps, 'labels'>>(function ComposerForm(
  {
    onSend,
    onStop,
    status: statusProp,
    chat: chatProp,
    disabled = false,
    value,
    defaultValue = '',
    onValueChange,
    placeholder,
    label,
    textareaProps,
    attachments: attachmentsProp = false,
    queue = false,
    ...props
  },
  ref,
) {
  const words = useLabels().composer
  const shared = isController(attachmentsProp) ? attachmentsProp : undefined
  const own = useAttachments(
    typeof attachmentsProp === 'object' && !isController(attachmentsProp) ? attachmentsProp : {},
  )
  const attachments = attachmentsProp === false ? undefined : (shared ?? own)
  const { dragging, handlers: drop } = useFileDrop(attachments ?? own, attachments === undefined || disabled)
  const chat = useOptionalChat(chatProp)
  const chatStatus = useOptionalChatStatus(chat)
  const status = statusProp ?? chatStatus
  const busy = status === 'submitted' || status === 'streaming'
  const [text, setText] = useControllableState(value, defaultValue, onValueChange)
  const textareaRef = useRef<HTMLTextAreaElement | null>(null)
  const hasFiles = attachments !== undefined && attachments.items.length > 0
  const uploading = attachments !== undefined && (attachments.busy || attachments.failed)
  const canSend = !disabled && (!busy || queue) && !uploading && (text.trim() !== '' || hasFiles)

  const send = () => {
    if (!canSend) return
    const sent = text
    const files = attachments?.parts() ?? []
    setText('')
    attachments?.clear()
    if (onSend) void onSend(sent, files)
    else void chat?.send(sent, files.length > 0 ? { files } : undefined)
  }
  const stop = () => {
    if (onStop) onStop()
    else chat?.stop()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      // Enter never inserts a line; Shift+Enter falls through to the browser's own newline.
      event.preventDefault()
      send()
    } else if (event.key === 'Escape' && busy) {
      event.preventDefault()
      stop()
    }
  }

  return (
    <form
      data-sluice="composer"
      data-status={status}
      data-disabled={disabled ? '' : undefined}
      data-dragging={dragging ? '' : undefined}
      {...props}
      onDragEnter={composeEventHandlers(props.onDragEnter, drop.onDragEnter)}
      onDragOver={composeEventHandlers(props.onDragOver, drop.onDragOver)}
      onDragLeave={composeEventHandlers(props.onDragLeave, drop.onDragLeave)}
      onDrop={composeEventHandlers(props.onDrop, drop.onDrop)}
      ref={ref}
      onSubmit={(event) => {
        event.preventDefault()
        send()
      }}
    >
      {attachments !== undefined && (
        <>
          <AttachmentList attachments={attachments} />
          <div data-sluice="attachment-status" aria-live="polite" aria-atomic="true" style={visuallyHidden}>
            {attachments.announcement}
          </div>
          <AttachmentPicker attachments={attachments} disabled={disabled} />
        </>
      )}
      <textarea
        rows={1}
        aria-label={label ?? words.input}
        placeholder={placeholder}
        data-sluice="composer-input"
        dir={typedTextDirection(text)}
        {...textareaProps}
        ref={textareaRef}
        value={text}
        disabled={disabled}
        onChange={composeEventHandlers(textareaProps?.onChange, (event) => setText(event.target.value))}
        onKeyDown={composeEventHandlers(textareaProps?.onKeyDown, onKeyDown)}
        onPaste={composeEventHandlers(textareaProps?.onPaste, (event) => {
          const files = Array.from(event.clipboardData.files)
          if (attachments === undefined || disabled || files.length === 0) return
          // A pasted screenshot or copied file attaches; pasted text still goes into the box.
          event.preventDefault()
          attachments.add(files)
        })}
      />
      {busy && (
        <button
          key={queue ? 'stop' : 'action'}
          type="button"
          data-sluice="stop-button"
          onClick={(event) => {
            // The same element turns back into a submit button when the stop re-renders it;
            // cancelling the click keeps its activation from submitting the form.
            event.preventDefault()
            stop()
          }}
        >
          {words.stop}
        </button>
      )}
      {(!busy || queue) && (
        <button
          key={queue ? 'send' : 'action'}
          type="submit"
          data-sluice="send-button"
          data-queue={queue && busy ? '' : undefined}
          disabled={!canSend}
        >
          {words.send}
        </button>
      )}
    </form>
  )
})
