import { useRef } from 'react'
import { visuallyHidden } from '../visually-hidden.ts'
import type { AttachmentsController } from './use-attachments.ts'

/** Props of {@link AttachmentPicker}. */
export interface AttachmentPickerProps {
  attachments: AttachmentsController
  disabled?: boolean | undefined
}

/**
 * The "Attach files" button and the `input[type=file]` it opens. The input stays in the DOM
 * (visually hidden, out of the tab order), so tests and assistive tools can reach it; the
 * button is the keyboard path. Picking the same file twice attaches it twice.
 *
 * @example
 * ```tsx
 * <AttachmentPicker attachments={useAttachments()} />
 * ```
 */
export function AttachmentPicker({ attachments, disabled = false }: AttachmentPickerProps) {
  const input = useRef<HTMLInputElement | null>(null)
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        data-sluice="attachment-input"
        accept={attachments.accept}
        tabIndex={-1}
        aria-hidden="true"
        disabled={disabled}
        style={visuallyHidden}
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? [])
          // Reset, so picking the same file again fires change again.
          event.currentTarget.value = ''
          attachments.add(files)
        }}
      />
      <button
        type="button"
        data-sluice="attach-button"
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        {attachments.labels.attach}
      </button>
    </>
  )
}
