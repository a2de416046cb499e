/**
 * What the XSS tests look for in the rendered DOM and on the network, shared by the Markdown and
 * ChatMessage corpora: a `window.__xss` trap any executed payload would call, a resource observer
 * that sees every request, and a DOM scan for handlers, dangerous URLs and forbidden elements.
 */
import { afterAll, beforeAll } from 'vitest'

declare global {
  interface Window {
    __xss?: (id: unknown) => void
  }
}

export const executed: unknown[] = []
export const requested: string[] = []
let observer: PerformanceObserver | null = null

/** Install the trap and the observer for the calling test file. */
export function watchForXss(): void {
  beforeAll(() => {
    window.__xss = (id) => executed.push(id)
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) requested.push(entry.name)
    })
    observer.observe({ type: 'resource', buffered: true })
  })

  afterAll(() => {
    observer?.disconnect()
    delete window.__xss
  })
}

const URL_ATTRIBUTES = [
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
]
const FORBIDDEN_ELEMENTS =
  'script, iframe, object, embed, svg, math, style, link, meta, base, form, video, audio, template'

/** Everything a user could be harmed by, found in the rendered DOM. */
export function findDangers(
  container: HTMLElement,
  allowedImageOrigins: readonly string[],
  /** Inline styles the components themselves set (exact attribute values); any other is a danger. */
  allowedStyles: readonly string[] = [],
): string[] {
  const dangers: string[] = []
  for (const element of container.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase()
      if (name.startsWith('on')) dangers.push(`${element.tagName} has ${name}`)
      if (name === 'srcdoc' || (name === 'style' && !allowedStyles.includes(attribute.value)))
        dangers.push(`${element.tagName} has ${name}="${attribute.value}"`)
      if (URL_ATTRIBUTES.includes(name)) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these in a scheme.
        const compact = attribute.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase()
        if (/^(javascript|vbscript|data|file|blob):/.test(compact)) {
          dangers.push(`${element.tagName} ${name}="${attribute.value}"`)
        }
      }
    }
    // The message actions' own icons (decorative inline SVG the component writes, never model
    // output) are the one allowed <svg>; their attributes are still checked above.
    const ownIcon = element.closest('[data-sluice="message-actions"] svg[aria-hidden="true"]') !== null
    if (!ownIcon && element.matches(FORBIDDEN_ELEMENTS))
      dangers.push(`<${element.tagName.toLowerCase()}> element`)
    if (element instanceof HTMLImageElement) {
      const origin = new URL(element.src).origin
      if (!allowedImageOrigins.includes(origin)) dangers.push(`img from ${origin}`)
    }
    if (element instanceof HTMLAnchorElement) {
      const protocol = new URL(element.href).protocol
      if (!['http:', 'https:', 'mailto:', 'tel:'].includes(protocol)) dangers.push(`a with ${protocol}`)
      const rel = element.relList
      if (!rel.contains('noopener') || !rel.contains('noreferrer'))
        dangers.push(`a without noopener noreferrer`)
    }
  }
  return dangers
}

/** A request to the attacker's host (a same-origin path that merely contains the name is fine). */
export const isEvil = (name: string) => new URL(name).hostname.endsWith('evil.invalid')

export const settle = () => new Promise((resolve) => setTimeout(resolve, 300))
