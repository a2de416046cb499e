import type { Attachment, AttachmentsController } from './use-attachments.ts'

/** Props of {@link AttachmentList}. */
export interface AttachmentListProps {
  attachments: AttachmentsController
}

function AttachmentItem({ item, attachments }: { item: Attachment; attachments: AttachmentsController }) {
  const { labels, format } = attachments
  const percent = item.progress === undefined ? undefined : Math.round(item.progress * 100)
  return (
    <li data-sluice="attachment" data-state={item.state} data-media-type={item.mediaType}>
      {item.previewUrl !== undefined ? (
        <img data-sluice="attachment-thumbnail" src={item.previewUrl} alt={item.name} />
      ) : (
        <span data-sluice="attachment-icon" aria-hidden="true">
          {item.mediaType.split('/')[1]?.slice(0, 4).toUpperCase() ?? 'FILE'}
        </span>
      )}
      <span data-sluice="attachment-details">
        <span data-sluice="attachment-name">{item.name}</span>{' '}
        <span data-sluice="attachment-meta">
          {item.mediaType} · {labels.fileSize(item.size, format)}
        </span>
        {item.state === 'uploading' && (
          <progress
            data-sluice="attachment-progress"
            aria-label={labels.uploading(item.name, format)}
            max={100}
            {...(percent === undefined ? {} : { value: percent })}
          />
        )}
        {item.state === 'error' && (
          <span data-sluice="attachment-error" role="alert">
            {item.error}
          </span>
        )}
      </span>
      <button
        type="button"
        data-sluice="attachment-remove"
        aria-label={labels.remove(item.name, format)}
        title={labels.remove(item.name, format)}
        onClick={() => attachments.remove(item.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </li>
  )
}

/**
 * The previews of a draft's attachments: a list named "Attachments" (the DOM contract), each
 * file with its thumbnail (images, from the user's own `blob:` URL) or its type, its name, type
 * and size, an upload progress bar, its error, and a "Remove <name>" button. Refusals (too many,
 * too large, not accepted) show below as alerts. The list is absent while nothing is attached.
 *
 * Root: `data-sluice="attachments"`; items `data-sluice="attachment"` with `data-state`
 * (`uploading` | `ready` | `error`).
 *
 * @example
 * ```tsx
 * const attachments = useAttachments()
 * <AttachmentList attachments={attachments} />
 * ```
 */
export function AttachmentList({ attachments }: AttachmentListProps) {
  return (
    <>
      {attachments.items.length > 0 && (
        <ul data-sluice="attachments" aria-label={attachments.labels.list}>
          {attachments.items.map((item) => (
            <AttachmentItem key={item.id} item={item} attachments={attachments} />
          ))}
        </ul>
      )}
      {attachments.errors.length > 0 && (
        <div data-sluice="attachment-errors" role="alert">
          {attachments.errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </div>
      )}
    </>
  )
}
