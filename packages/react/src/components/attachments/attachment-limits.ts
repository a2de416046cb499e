import {
  type ChatLabels,
  compactFileSize,
  defaultLabels,
  englishLabels,
  type LabelFormat,
} from '../../labels.ts'

/**
 * What the composer accepts: how many files, how large, which media types, and what it says
 * when a file is refused. Pure functions, so the rules are tested without a browser.
 *
 * @module
 */

/** Limits on what a user may attach. */
export interface AttachmentLimits {
  /** Most files on one message. Default 10. */
  maxFiles: number
  /** Largest file sent through `uploadFile`, in bytes. Default 20 MiB. */
  maxFileSize: number
  /**
   * Largest image sent inline as a `data:` URL when there is no `uploadFile`, in bytes.
   * Default 1 MiB (a data URL is a third larger again, and it travels in every later request).
   */
  maxInlineSize: number
  /**
   * Media types accepted, as the `accept` attribute writes them: `image/*`, `application/pdf`,
   * `.csv`… Default: any type (with `uploadFile`) or `image/*` (inline).
   */
  accept?: readonly string[] | undefined
}

/** The default limits. */
export const defaultAttachmentLimits: AttachmentLimits = {
  maxFiles: 10,
  maxFileSize: 20 * 1024 * 1024,
  maxInlineSize: 1024 * 1024,
}

/** The raster image types a browser previews and every provider takes inline. */
export const inlineImageTypes: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']

/**
 * A byte count as people read it: `512 B`, `1.5 KB`, `20 MB` (powers of 1024), in English
 * digits; the components format through the labels' `attachments.fileSize`.
 *
 * @example
 * ```ts
 * formatFileSize(1536) // '1.5 KB'
 * ```
 */
export function formatFileSize(bytes: number): string {
  return compactFileSize(bytes, englishLabels.format)
}

/**
 * Whether a file matches an `accept` list: exact types (`application/pdf`), wildcards
 * (`image/*`) or extensions (`.csv`), case-insensitively.
 *
 * @example
 * ```ts
 * matchesAccept({ name: 'a.PNG', type: 'image/png' }, ['image/*']) // true
 * ```
 */
export function matchesAccept(file: { name: string; type: string }, accept: readonly string[]): boolean {
  const type = file.type.toLowerCase()
  const name = file.name.toLowerCase()
  return accept.some((entry) => {
    const rule = entry.trim().toLowerCase()
    if (rule === '') return false
    if (rule.startsWith('.')) return name.endsWith(rule)
    if (rule.endsWith('/*')) return type.startsWith(rule.slice(0, -1))
    return type === rule
  })
}

/**
 * Why a file cannot be attached, or `null` when it can. `count` is how many files are already
 * attached; `canUpload` whether an `uploadFile` is set (without one only small images go, inline).
 * In `labels` (the labels' `attachments` group; English by default).
 *
 * @example
 * ```ts
 * refusal({ name: 'a.pdf', type: 'application/pdf', size: 10 }, 0, defaultAttachmentLimits, false)
 * // 'a.pdf was not attached: without an upload (uploadFile) only PNG, JPEG, GIF and WebP images can be sent.'
 * ```
 */
export function refusal(
  file: { name: string; type: string; size: number },
  count: number,
  limits: AttachmentLimits,
  canUpload: boolean,
  labels: ChatLabels['attachments'] = defaultLabels.attachments,
  format: LabelFormat = englishLabels.format,
): string | null {
  const name = file.name || labels.unnamedFile
  const size = (bytes: number) => labels.fileSize(bytes, format)
  if (count >= limits.maxFiles) return labels.tooMany(name, limits.maxFiles, format)
  if (limits.accept !== undefined && !matchesAccept(file, limits.accept)) {
    return labels.notAccepted(name, file.type, limits.accept, format)
  }
  if (!canUpload) {
    if (!inlineImageTypes.includes(file.type.toLowerCase())) return labels.inlineImagesOnly(name, format)
    if (file.size > limits.maxInlineSize) {
      return labels.inlineTooLarge(name, size(file.size), size(limits.maxInlineSize), format)
    }
    return null
  }
  if (file.size > limits.maxFileSize) {
    return labels.tooLarge(name, size(file.size), size(limits.maxFileSize), format)
  }
  return null
}
