import { type ComponentPropsWithoutRef, type DragEvent, useRef, useState } from 'react'
import { composeEventHandlers } from '../compose-event-handlers.ts'
import type { AttachmentsController } from './use-attachments.ts'

/** Whether a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files')
}

/** Drag-and-drop handlers that attach dropped files; `dragging` while files hover. */
export function useFileDrop(attachments: AttachmentsController, disabled = false) {
  const [dragging, setDragging] = useState(false)
  const depth = useRef(0)
  const handlers = {
    onDragEnter: (event: DragEvent<HTMLElement>) => {
      if (disabled || !dragHasFiles(event)) return
      event.preventDefault()
      depth.current++
      setDragging(true)
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (disabled || !dragHasFiles(event)) return
      // Without this the browser opens the dropped file instead of handing it to the page.
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    },
    onDragLeave: (event: DragEvent<HTMLElement>) => {
      if (disabled || !dragHasFiles(event)) return
      depth.current = Math.max(0, depth.current - 1)
      if (depth.current === 0) setDragging(false)
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      depth.current = 0
      setDragging(false)
      // An inner zone (the Composer inside a drop zone) already took these files.
      if (disabled || event.defaultPrevented || event.dataTransfer.files.length === 0) return
      event.preventDefault()
      attachments.add(Array.from(event.dataTransfer.files))
    },
  }
  return { dragging, handlers }
}

/** Props of {@link AttachmentDropZone}. */
export interface AttachmentDropZoneProps extends ComponentPropsWithoutRef<'div'> {
  attachments: AttachmentsController
  disabled?: boolean
}

/**
 * An area (the thread, the whole chat) where dropped files attach to the composer's draft.
 * Pass it the controller the `Composer` uses. While files hover it has `data-dragging` and
 * shows the drop hint.
 *
 * Root: `data-sluice="attachment-drop-zone"`, `data-dragging`.
 *
 * @example
 * ```tsx
 * const attachments = useAttachments()
 * <AttachmentDropZone attachments={attachments}>
 *   <MessageList />
 *   <Composer attachments={attachments} />
 * </AttachmentDropZone>
 * ```
 */
export function AttachmentDropZone({
  attachments,
  disabled = false,
  children,
  ...props
}: AttachmentDropZoneProps) {
  const { dragging, handlers } = useFileDrop(attachments, disabled)
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the keyboard path is the Composer's "Attach files" button.
    <div
      data-sluice="attachment-drop-zone"
      data-dragging={dragging ? '' : undefined}
      {...props}
      onDragEnter={composeEventHandlers(props.onDragEnter, handlers.onDragEnter)}
      onDragOver={composeEventHandlers(props.onDragOver, handlers.onDragOver)}
      onDragLeave={composeEventHandlers(props.onDragLeave, handlers.onDragLeave)}
      onDrop={(event) => {
        props.onDrop?.(event)
        handlers.onDrop(event)
      }}
    >
      {children}
      {dragging && (
        <div data-sluice="attachment-drop-hint" aria-hidden="true">
          {attachments.labels.drop}
        </div>
      )}
    </div>
  )
}
