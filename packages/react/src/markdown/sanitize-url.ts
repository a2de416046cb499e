import { decodeEntities } from './decode-entities.ts'

/** What a URL is used for: a link the user may click, or an image the browser would fetch. */
export type UrlPurpose = 'link' | 'image'

/** Options of {@link sanitizeUrl}. */
export interface SanitizeUrlOptions {
  /** `link` allows http(s), mailto and tel; `image` allows http(s) (and `data:` images if opted in). */
  purpose: UrlPurpose
  /** Allow `data:image/(png|jpeg|gif|webp|avif|bmp)` URLs for images. SVG is never allowed. */
  allowDataImages?: boolean
  /** Base for relative URLs when deciding their origin. Defaults to `document.baseURI`. */
  baseUrl?: string
}

/** A URL that is safe to put in an `href` or `src`. */
export interface SafeUrl {
  /** The value for the attribute: entity-decoded, control characters removed. */
  url: string
  /** The origin the browser would contact (`null` for `mailto:`, `tel:` and `data:` URLs). */
  origin: string | null
  /** The URL scheme, lower case, without the colon (`https`, `mailto`, `data`, …). */
  scheme: string
}

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel'])
const IMAGE_SCHEMES = new Set(['http', 'https'])
const SCHEME = /^([a-z][a-z0-9+.-]*):/
/** Raster image types only: an SVG can carry script and links of its own. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|jpg|gif|webp|avif|bmp)(?:;[a-z0-9=.+-]+)*;base64,[a-z0-9+/=]*$/i
/**
 * Characters a browser ignores or strips while parsing a URL scheme (C0 controls, space, DEL, C1
 * controls) plus Unicode spaces and invisible formatting characters: `java\tscript:` and
 * `\u0000javascript:` must be recognised as `javascript:`.
 */
const IGNORED_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[\u0000-\u0020\u007F-\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: the WHATWG URL parser strips exactly these.
const URL_STRIPPED_CHARACTERS = /[\u0000-\u001F\u007F]/g

function percentDecode(value: string): string {
  return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/**
 * Every way the scheme could be read: as written, entity-decoded, percent-decoded, and both,
 * repeatedly (double encoding), with ignorable characters removed. A URL is rejected if any
 * reading shows a scheme outside the allow-list, so an encoding trick can only make a URL
 * *less* likely to pass.
 */
function schemeReadings(value: string): Set<string> {
  const readings = new Set<string>()
  let current = value
  for (let round = 0; round < 4; round++) {
    const compact = current.replace(IGNORED_CHARACTERS, '').toLowerCase()
    const match = SCHEME.exec(compact)
    if (match?.[1] !== undefined) readings.add(match[1])
    // `&#58;` / `&colon;` / `%3a` spell a colon; also read the text before them as a scheme.
    const next = percentDecode(decodeEntities(current))
    if (next === current) break
    current = next
  }
  return readings
}

function defaultBase(): string {
  return typeof document === 'undefined' ? 'http://localhost/' : document.baseURI
}

/**
 * Decides whether an untrusted URL from model output may reach an `href` or `src`, and returns
 * the value to use. Returns `null` for anything that is not plainly http(s) (or mailto/tel for
 * links, or an opted-in raster `data:` image): `javascript:`, `vbscript:`, `data:`, `file:` and
 * every encoding of them (entities, percent-encoding, whitespace and control characters, mixed
 * case) are refused.
 *
 * @example
 * sanitizeUrl('https://example.com/a', { purpose: 'link' }) // { url: 'https://example.com/a', origin: 'https://example.com', scheme: 'https' }
 * sanitizeUrl('&#106;avascript:alert(1)', { purpose: 'link' }) // null
 * sanitizeUrl('java\tscript:alert(1)', { purpose: 'link' }) // null
 */
export function sanitizeUrl(raw: string, options: SanitizeUrlOptions): SafeUrl | null {
  // CommonMark decodes character references in link destinations; the browser would too if the
  // URL reached HTML, so `&#106;avascript:` is really `javascript:`.
  const url = decodeEntities(raw).trim().replace(URL_STRIPPED_CHARACTERS, '')
  const allowData = options.purpose === 'image' && options.allowDataImages === true
  const allowedSchemes = options.purpose === 'link' ? LINK_SCHEMES : IMAGE_SCHEMES
  for (const scheme of schemeReadings(raw)) {
    if (allowedSchemes.has(scheme)) continue
    if (scheme === 'data' && allowData) continue
    return null
  }
  let parsed: URL
  try {
    parsed = new URL(url, options.baseUrl ?? defaultBase())
  } catch {
    return null
  }
  const scheme = parsed.protocol.slice(0, -1)
  if (scheme === 'data') {
    // The whole URL must be a base64 raster image: no `data:text/html` behind an image label.
    if (!allowData || !DATA_IMAGE.test(url)) return null
    return { url, origin: null, scheme }
  }
  if (!allowedSchemes.has(scheme)) return null
  const origin = scheme === 'http' || scheme === 'https' ? parsed.origin : null
  return { url, origin, scheme }
}

/**
 * Normalises an allow-list entry (`https://cdn.example.com/`, `https://cdn.example.com`) to the
 * origin string `URL.origin` produces, so comparisons are exact. Invalid entries are dropped.
 *
 * @example
 * normalizeOrigin('https://CDN.example.com/path') // 'https://cdn.example.com'
 */
export function normalizeOrigin(entry: string): string | null {
  try {
    const origin = new URL(entry).origin
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}
