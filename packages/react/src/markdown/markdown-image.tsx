import { useContext, useState } from 'react'
import { MarkdownOptionsContext } from './markdown-options.ts'
import { renderElement } from './render-element.ts'
import { INCOMPLETE_IMAGE_URL } from './repair-markdown.ts'
import { sanitizeUrl } from './sanitize-url.ts'

/** Props of {@link MarkdownImage}. */
export interface MarkdownImageProps {
  /** The destination exactly as the model wrote it (untrusted). */
  href: string
  alt: string
  title: string | null
  /** `false` while the image is in the streaming tail block: it is never requested then. */
  complete: boolean
  /** Inside a link a button would nest interactive content, so no "Load image" button there. */
  insideLink: boolean
}

/**
 * An image from model output. It is requested only when its URL is safe, its block is complete
 * and its origin is in `allowedOrigins` (or it is an opted-in `data:` image, which needs no
 * request). Otherwise a placeholder shows the alt text and the URL as text, with a "Load image"
 * button that loads it on demand (prompt-injected images are a known exfiltration channel).
 *
 * States, in `data-markdown-image`: `loaded`, `placeholder`, `pending` (still streaming),
 * `blocked` (unsafe URL: never loadable).
 *
 * @example
 * <MarkdownImage href="https://cdn.example.com/a.png" alt="chart" title={null} complete insideLink={false} />
 */
export function MarkdownImage({ href, alt, title, complete, insideLink }: MarkdownImageProps) {
  const options = useContext(MarkdownOptionsContext)
  const [loadRequested, setLoadRequested] = useState(false)
  const safe =
    href === INCOMPLETE_IMAGE_URL
      ? null
      : sanitizeUrl(href, { purpose: 'image', allowDataImages: options.allowDataImages })

  if (safe === null || !complete) {
    const state = safe === null && href !== INCOMPLETE_IMAGE_URL ? 'blocked' : 'pending'
    return (
      <span data-markdown-image={state} role="img" aria-label={alt === '' ? 'Image' : alt}>
        {alt === '' ? 'Image' : alt}
      </span>
    )
  }
  const allowed = safe.origin === null || options.allowedOrigins.has(safe.origin)
  if (allowed || loadRequested) {
    const props: Record<string, unknown> = {
      src: safe.url,
      alt,
      referrerPolicy: 'no-referrer',
      'data-markdown-image': 'loaded',
    }
    if (title !== null) props.title = title
    return renderElement(options.components, 'img', props)
  }
  return (
    <span data-markdown-image="placeholder">
      <span data-markdown-image-alt="">{alt === '' ? 'Image' : alt}</span>{' '}
      <span data-markdown-image-url="">{safe.url}</span>
      {insideLink ? null : (
        <>
          {' '}
          <button type="button" onClick={() => setLoadRequested(true)}>
            Load image
          </button>
        </>
      )}
    </span>
  )
}
