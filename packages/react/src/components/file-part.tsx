import type { FilePart } from '@sluice/core'
import { memo, useContext, useId, useMemo, useState } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels } from '../labels.ts'
import { normalizeOrigin, type SafeUrl, sanitizeUrl } from '../markdown/sanitize-url.ts'
import { ChatMessageContext } from './chat-message-context.ts'

/** Props of {@link FilePartView}. */
export interface FilePartViewProps {
  part: FilePart
  /**
   * Origins whose images are previewed at once. `ChatMessage` passes its markdown options'
   * `allowedOrigins`, so one setting governs markdown images and file previews. Default: none.
   */
  allowedOrigins?: readonly string[] | undefined
  /** Preview `data:image/(png|jpeg|gif|webp|avif|bmp);base64,…` files (markdown's `allowDataImages`). Default `false`. */
  allowDataImages?: boolean | undefined
}

/** Props of {@link FileLink}. */
export interface FileLinkProps {
  part: FilePart
}

/**
 * Strictly `blob:http(s)://…` as written: no entity, percent or whitespace trick can sit before
 * the scheme, because the raw string (not a decoded reading of it) goes to the attribute.
 */
const PLAIN_BLOB_URL = /^blob:https?:\/\/[^\s]+$/i

function documentOrigin(): string | null {
  if (typeof window === 'undefined') return null
  const origin = window.location.origin
  // A sandboxed document's origin is opaque ("null"): nothing can be proven to be its own.
  return origin === 'null' ? null : origin
}

/**
 * A `blob:` URL this document's origin created (`URL.createObjectURL`, e.g. for an upload the
 * user attached). It never leaves the browser, so previewing it reveals nothing; a blob URL of
 * another origin could not be read anyway and is refused.
 */
function ownBlobUrl(raw: string): SafeUrl | null {
  const origin = documentOrigin()
  if (origin === null || !PLAIN_BLOB_URL.test(raw)) return null
  try {
    const parsed = new URL(raw)
    if (parsed.protocol !== 'blob:' || parsed.origin !== origin) return null
    return { url: parsed.href, origin, scheme: 'blob' }
  } catch {
    return null
  }
}

/**
 * The longest `data:` URL previewed as the user's own image: 4 MiB of base64, about 3 MiB of
 * image (the composer inlines images up to 1 MiB by default). A longer one shows as its name.
 */
export const MAX_OWN_DATA_IMAGE_LENGTH = 4 * 1024 * 1024

/**
 * Strictly `data:image/(png|jpeg|gif|webp);base64,…` as written: raster images only (never SVG,
 * which is a document with scripts and links), nothing but base64 after the comma.
 */
const OWN_DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/]*={0,2}$/i
const RASTER_MEDIA_TYPE = /^\s*image\/(png|jpeg|gif|webp)\s*$/i

/**
 * A `data:` image in a message the user sent (the composer inlines small images when the app
 * has no upload): their own file, shown as a thumbnail as in the composer. A `data:` URL is
 * decoded in the page and fetches nothing; it is still only taken when it is a PNG, JPEG, GIF or
 * WebP image, whose media type is the part's too, and at most {@link MAX_OWN_DATA_IMAGE_LENGTH}
 * characters long.
 */
function ownDataImage(part: FilePart): SafeUrl | null {
  const raw = part.url
  if (raw.length > MAX_OWN_DATA_IMAGE_LENGTH) return null
  const match = OWN_DATA_IMAGE.exec(raw)
  const mediaType = RASTER_MEDIA_TYPE.exec(part.mediaType)
  if (match === null || mediaType === null) return null
  if (match[1]!.toLowerCase() !== mediaType[1]!.toLowerCase()) return null
  return { url: raw, origin: null, scheme: 'data' }
}

/** The file name to show: the part's name, else the last segment of an http(s) path, else the media type. */
function fileLabel(part: FilePart, safe: SafeUrl | null, words: ChatLabels['file']): string {
  const name = part.name?.trim()
  if (name) return name
  if (safe !== null && (safe.scheme === 'http' || safe.scheme === 'https')) {
    const segment = new URL(safe.url).pathname.split('/').pop() ?? ''
    try {
      const decoded = decodeURIComponent(segment).trim()
      if (decoded !== '') return decoded
    } catch {
      // A malformed escape (`%E0%A4%A`): keep the segment as written.
      if (segment !== '') return segment
    }
  }
  return part.mediaType || words.unnamed
}

/** Whether the media type names an image (`image/png`, `IMAGE/JPEG; q=1`). */
function isImageType(mediaType: string): boolean {
  return /^\s*image\//i.test(mediaType)
}

/**
 * A file as a link: its name and media type, opening in a new tab without a referrer
 * (`rel="noopener noreferrer nofollow"`). Files of this document's origin and blob URLs it
 * created get `download` (the only places a browser honours it). A URL that is not plainly
 * http(s), mailto, tel or an own blob URL (`javascript:`, `data:`, `file:`, in any encoding) is
 * never put in `href`: the name shows as text.
 *
 * Root: `data-sluice="file"`, `data-media-type`, `data-state="link" | "blocked"`.
 *
 * @example
 * ```tsx
 * <FileLink part={{ type: 'file', url: 'https://example.com/report.pdf', mediaType: 'application/pdf', name: 'report.pdf' }} />
 * ```
 */
export const FileLink = memo(function FileLink({ part }: FileLinkProps) {
  const words = useLabels().file
  const safe = sanitizeUrl(part.url, { purpose: 'link' }) ?? ownBlobUrl(part.url)
  const label = fileLabel(part, safe, words)
  const mediaType = part.mediaType.trim()
  const content = (
    <>
      <span data-sluice="file-name">{label}</span>
      {mediaType !== '' && mediaType !== label && (
        <>
          {' '}
          <span data-sluice="file-media-type">({mediaType})</span>
        </>
      )}
    </>
  )
  if (safe === null) {
    return (
      <span data-sluice="file" data-media-type={part.mediaType} data-state="blocked">
        {content}
      </span>
    )
  }
  const origin = documentOrigin()
  // `download` only works for same-origin and blob URLs; elsewhere the browser navigates, so the
  // link opens in a new tab instead.
  const downloadable = safe.scheme === 'blob' || (origin !== null && safe.origin === origin)
  return (
    <span data-sluice="file" data-media-type={part.mediaType} data-state="link">
      <a
        href={safe.url}
        rel="noopener noreferrer nofollow"
        referrerPolicy="no-referrer"
        title={safe.url}
        {...(downloadable ? { download: part.name?.trim() ?? '' } : { target: '_blank' })}
      >
        {content}
      </a>
    </span>
  )
})

/**
 * A file part: images (`image/*`) as a preview, anything else as a {@link FileLink}.
 *
 * Previews follow the same rules as markdown images: the image is requested only when its URL
 * is plainly http(s) and its origin is in `allowedOrigins`, or it is an opted-in raster `data:`
 * image, or a `blob:` URL this page created. In a message the user sent (inside a
 * `ChatMessageRoot` of a `user` message), their own inline image, a PNG, JPEG, GIF or WebP
 * `data:` URL of at most {@link MAX_OWN_DATA_IMAGE_LENGTH} characters, is shown as a thumbnail
 * without `allowDataImages`: it fetches nothing, and no model output can put a file in it. Any other http(s) image shows a placeholder with
 * its name, its URL as text and a "Load image" button, and nothing is requested until the click
 * (a prompt-injected image URL is a known way to leak a conversation). An image URL that is not
 * safe at all falls back to the file link, which shows the name as text.
 *
 * Root of a preview: `data-sluice="file-preview"`, `data-media-type`,
 * `data-state="loaded" | "placeholder" | "failed"` (the image did not load).
 *
 * @example
 * ```tsx
 * <FilePartView
 *   part={{ type: 'file', url: 'https://cdn.example.com/chart.png', mediaType: 'image/png', name: 'chart.png' }}
 *   allowedOrigins={['https://cdn.example.com']}
 * />
 * ```
 */
export const FilePartView = memo(function FilePartView({
  part,
  allowedOrigins,
  allowDataImages = false,
}: FilePartViewProps) {
  // Inline arrays are common in props; compare by content so the set is built once.
  const originsKey = allowedOrigins === undefined ? '' : allowedOrigins.join('\n')
  const origins = useMemo(() => {
    const set = new Set<string>()
    for (const entry of originsKey === '' ? [] : originsKey.split('\n')) {
      const origin = normalizeOrigin(entry)
      if (origin !== null) set.add(origin)
    }
    return set
  }, [originsKey])

  const sentByUser = useContext(ChatMessageContext)?.message.role === 'user'
  if (!isImageType(part.mediaType)) return <FileLink part={part} />
  const own = ownBlobUrl(part.url) ?? (sentByUser ? ownDataImage(part) : null)
  const safe = own ?? sanitizeUrl(part.url, { purpose: 'image', allowDataImages })
  if (safe === null) return <FileLink part={part} />
  // `data:` images have no origin and need no request; own blob URLs never leave the browser.
  const allowed = own !== null || safe.origin === null || origins.has(safe.origin)
  // Keyed by URL: a part whose URL changes starts over (placeholder, no error).
  return <FileImage key={safe.url} part={part} source={safe} allowed={allowed} />
})

function FileImage({ part, source, allowed }: { part: FilePart; source: SafeUrl; allowed: boolean }) {
  const [loadRequested, setLoadRequested] = useState(false)
  const [failed, setFailed] = useState(false)
  const nameId = useId()
  const words = useLabels().file
  const label = fileLabel(part, source, words)
  const show = allowed || loadRequested
  const state = failed ? 'failed' : show ? 'loaded' : 'placeholder'
  return (
    <figure data-sluice="file-preview" data-media-type={part.mediaType} data-state={state}>
      {state === 'loaded' && (
        <img
          src={source.url}
          alt={label}
          referrerPolicy="no-referrer"
          decoding="async"
          onError={() => setFailed(true)}
        />
      )}
      {state === 'placeholder' && (
        <span data-sluice="file-preview-placeholder">
          <span data-sluice="file-preview-url">{source.url}</span>{' '}
          <button type="button" aria-describedby={nameId} onClick={() => setLoadRequested(true)}>
            {words.loadImage}
          </button>
        </span>
      )}
      {state === 'failed' && <span data-sluice="file-preview-error">{words.imageFailed}</span>}
      <figcaption id={nameId}>
        <FileLink part={part} />
      </figcaption>
    </figure>
  )
}
