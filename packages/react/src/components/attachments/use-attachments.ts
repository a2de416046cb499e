import type { FilePart } from '@sluice/core'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useLabels } from '../../hooks/chat-context.tsx'
import {
  type ChatLabels,
  defaultLabels,
  type LabelFormat,
  type LabelsOverride,
  mergeLabels,
} from '../../labels.ts'
import { type AttachmentLimits, defaultAttachmentLimits, refusal } from './attachment-limits.ts'

/** Options of one upload. */
export interface UploadFileOptions {
  /** Aborted when the user removes the file, the composer unmounts or the draft is cleared. */
  signal: AbortSignal
  /** Report progress, 0 to 1; the preview shows it. */
  onProgress: (fraction: number) => void
}

/** Uploads a file and resolves with the URL the model should get (https, or a `data:` URL). */
export type UploadFile = (file: File, options: UploadFileOptions) => Promise<string>

/**
 * The built-in strings of the attachments UI: the labels' `attachments` group ("Attach files",
 * "Attachments", "Remove <name>", the announcements, the drop hint, file sizes and every refusal).
 */
export type AttachmentLabels = ChatLabels['attachments']

/** The English defaults of {@link AttachmentLabels} (`defaultLabels.attachments`). */
export const defaultAttachmentLabels: AttachmentLabels = defaultLabels.attachments

/** Options of {@link useAttachments} (and the Composer's `attachments` prop). */
export interface AttachmentsOptions extends Partial<AttachmentLimits> {
  /**
   * Uploads each file as it is attached. Without it, PNG/JPEG/GIF/WebP images up to
   * `maxInlineSize` are read into `data:` URLs and every other file is refused.
   */
  uploadFile?: UploadFile | undefined
  /** Any subset of the attachments labels, over the provider's (`LabelsProvider`, `ChatProvider`). */
  labels?: LabelsOverride<AttachmentLabels> | undefined
}

/** One attached file. */
export interface Attachment {
  id: string
  file: File
  name: string
  mediaType: string
  size: number
  /** A `blob:` URL of this file for the thumbnail (images only); revoked on remove and send. */
  previewUrl?: string
  state: 'uploading' | 'ready' | 'error'
  /** 0 to 1 while uploading, when the upload reports it. */
  progress?: number
  /** The URL the message carries, once uploaded. */
  url?: string
  /** Why the upload failed. */
  error?: string
}

/** What {@link useAttachments} returns; pass it to `Composer` and `AttachmentDropZone`. */
export interface AttachmentsController {
  readonly items: readonly Attachment[]
  /** Refusals of the last add (too many, too large, not accepted), shown inline. */
  readonly errors: readonly string[]
  /** The polite announcement ("Attached x.png", "Removed x.png"). */
  readonly announcement: string
  readonly labels: AttachmentLabels
  /** The formatter of the labels' locale (the label functions' last argument). */
  readonly format: LabelFormat
  /** The `accept` attribute of the picker. */
  readonly accept: string | undefined
  /** Whether any file is still uploading (Send waits: it is disabled meanwhile). */
  readonly busy: boolean
  /** Whether any file failed; Send is disabled until it is removed. */
  readonly failed: boolean
  add(files: Iterable<File>): void
  remove(id: string): void
  /** The ready files as message parts, for `chat.send(text, { files })`. */
  parts(): FilePart[]
  /** Forget every file (after a send): aborts uploads and revokes the previews. */
  clear(): void
}

let counter = 0
function nextId(): string {
  counter++
  return `attachment-${counter}`
}

function readAsDataUrl(file: File, { signal, onProgress }: UploadFileOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    }
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('the browser could not read the file'))
    signal.addEventListener('abort', () => reader.abort(), { once: true })
    reader.readAsDataURL(file)
  })
}

function errorText(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message !== '') return error.message
  return typeof error === 'string' && error !== '' ? error : fallback
}

/**
 * The attachments of one draft: add files (picker, paste, drop), upload each at once (or read
 * small images inline), preview them, remove them, and hand the ready ones to `send`.
 * Everything the previews show comes from the user's own `File`s (`blob:` URLs this page
 * creates); nothing here ever fetches a URL.
 *
 * @example
 * ```tsx
 * const attachments = useAttachments({ uploadFile: (file, { signal }) => upload(file, signal) })
 * <AttachmentDropZone attachments={attachments}><MessageList /></AttachmentDropZone>
 * <Composer attachments={attachments} />
 * ```
 */
export function useAttachments(options: AttachmentsOptions = {}): AttachmentsController {
  const { uploadFile, labels: labelOverrides, ...limitOverrides } = options
  const [items, setItems] = useState<Attachment[]>([])
  const [errors, setErrors] = useState<string[]>([])
  const [announcement, setAnnouncement] = useState('')
  // The source of truth, so handlers running between renders (an upload resolving, a second
  // drop) never read a stale list; every change goes through `commit`.
  const itemsRef = useRef<Attachment[]>(items)
  const controllers = useRef(new Map<string, AbortController>())
  const uploadRef = useRef(uploadFile)
  uploadRef.current = uploadFile
  const limits: AttachmentLimits = { ...defaultAttachmentLimits, ...limitOverrides }
  const limitsRef = useRef(limits)
  limitsRef.current = limits
  const provided = useLabels()
  const format = provided.format
  const labels = useMemo(
    () => mergeLabels(provided.attachments, labelOverrides),
    [provided.attachments, labelOverrides],
  )
  const labelsRef = useRef({ labels, format })
  labelsRef.current = { labels, format }

  const commit = useCallback((next: Attachment[]) => {
    itemsRef.current = next
    setItems(next)
  }, [])
  const update = useCallback(
    (id: string, change: Partial<Attachment>) => {
      commit(itemsRef.current.map((item) => (item.id === id ? { ...item, ...change } : item)))
    },
    [commit],
  )

  const start = useCallback(
    (item: Attachment) => {
      const controller = new AbortController()
      controllers.current.set(item.id, controller)
      const upload = uploadRef.current ?? readAsDataUrl
      const onProgress = (fraction: number) => {
        if (controller.signal.aborted || !Number.isFinite(fraction)) return
        update(item.id, { progress: Math.min(1, Math.max(0, fraction)) })
      }
      Promise.resolve()
        .then(() => upload(item.file, { signal: controller.signal, onProgress }))
        .then((url) => {
          if (controller.signal.aborted) return
          if (typeof url !== 'string' || url === '') throw new Error('uploadFile resolved without a URL')
          update(item.id, { state: 'ready', url, progress: 1 })
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return
          const { labels: words, format: numbers } = labelsRef.current
          update(item.id, {
            state: 'error',
            error: words.uploadFailed(item.name, errorText(error, words.unknownUploadError), numbers),
          })
        })
        .finally(() => {
          if (controllers.current.get(item.id) === controller) controllers.current.delete(item.id)
        })
    },
    [update],
  )

  const add = useCallback(
    (files: Iterable<File>) => {
      const refused: string[] = []
      const added: Attachment[] = []
      let count = itemsRef.current.length
      for (const file of files) {
        const reason = refusal(
          file,
          count,
          limitsRef.current,
          uploadRef.current !== undefined,
          labelsRef.current.labels,
          labelsRef.current.format,
        )
        if (reason !== null) {
          refused.push(reason)
          continue
        }
        count++
        const item: Attachment = {
          id: nextId(),
          file,
          name: file.name || 'file',
          mediaType: file.type || 'application/octet-stream',
          size: file.size,
          state: 'uploading',
        }
        if (file.type.toLowerCase().startsWith('image/')) item.previewUrl = URL.createObjectURL(file)
        added.push(item)
      }
      setErrors(refused)
      if (added.length > 0) {
        commit([...itemsRef.current, ...added])
        const { labels: words, format: numbers } = labelsRef.current
        setAnnouncement(added.map((item) => words.attached(item.name, numbers)).join('. '))
        for (const item of added) start(item)
      } else if (refused.length > 0) {
        setAnnouncement(refused.join(' '))
      }
    },
    [start, commit],
  )

  const drop = useCallback((item: Attachment) => {
    controllers.current.get(item.id)?.abort()
    controllers.current.delete(item.id)
    if (item.previewUrl !== undefined) URL.revokeObjectURL(item.previewUrl)
  }, [])

  const remove = useCallback(
    (id: string) => {
      const item = itemsRef.current.find((entry) => entry.id === id)
      if (item === undefined) return
      drop(item)
      commit(itemsRef.current.filter((entry) => entry.id !== id))
      setErrors([])
      setAnnouncement(labelsRef.current.labels.removed(item.name, labelsRef.current.format))
    },
    [drop, commit],
  )

  const clear = useCallback(() => {
    for (const item of itemsRef.current) drop(item)
    commit([])
    setErrors([])
  }, [drop, commit])

  // Unmounting aborts uploads in flight and revokes every preview.
  useEffect(
    () => () => {
      for (const item of itemsRef.current) drop(item)
    },
    [drop],
  )

  const parts = useCallback(
    (): FilePart[] =>
      itemsRef.current
        .filter((item) => item.state === 'ready' && item.url !== undefined)
        .map((item) => ({
          type: 'file',
          url: item.url as string,
          mediaType: item.mediaType,
          name: item.name,
          size: item.size,
        })),
    [],
  )

  const accept =
    limits.accept?.join(',') ??
    (uploadFile === undefined ? 'image/png,image/jpeg,image/gif,image/webp' : undefined)
  return {
    items,
    errors,
    announcement,
    labels,
    format,
    accept,
    busy: items.some((item) => item.state === 'uploading'),
    failed: items.some((item) => item.state === 'error'),
    add,
    remove,
    parts,
    clear,
  }
}
