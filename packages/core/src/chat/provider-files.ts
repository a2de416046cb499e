/**
 * File parts (attachments) in each provider's own request shape. A file is either inline (a
 * `data:…;base64,` URL, sent as base64) or a reference (an http(s) URL, sent as a URL where
 * the provider takes one). What a provider cannot take (a PDF by URL for OpenAI Chat, any
 * non-image for Ollama) goes as a text line naming the file and its URL, so the model still
 * knows it was attached and nothing is silently dropped.
 *
 * @module
 */
import type { FilePart, Message } from '../message.ts'

/** A file's content: base64 data (from a `data:` URL) or a URL the provider fetches. */
export type FileSource =
  | { kind: 'inline'; mediaType: string; base64: string; dataUrl: string }
  | { kind: 'url'; mediaType: string; url: string }

const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/

/** The part's media type when it is one (`image/png`), else the fallback: a hostile string never reaches a data URL or a provider field. */
function mediaTypeOf(part: FilePart, fallback: string | undefined): string {
  const given = part.mediaType.trim().toLowerCase()
  if (MEDIA_TYPE.test(given)) return given
  return fallback?.toLowerCase() ?? 'application/octet-stream'
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[\w.+-]+=[^;,]*)*);base64,([A-Za-z0-9+/=\s]*)$/i

/**
 * Where a file part's bytes are: inline base64 for a `data:…;base64,` URL, a URL for http(s),
 * `null` for anything else (a `blob:` URL only the browser can read, a `javascript:` URL…).
 *
 * @example
 * ```ts
 * fileSource({ type: 'file', url: 'data:image/png;base64,iVBO', mediaType: 'image/png' })
 * // { kind: 'inline', mediaType: 'image/png', base64: 'iVBO', dataUrl: 'data:image/png;base64,iVBO' }
 * ```
 */
export function fileSource(part: FilePart): FileSource | null {
  const url = part.url.trim()
  const data = DATA_URL.exec(url)
  if (data !== null) {
    const mediaType = mediaTypeOf(part, data[1])
    const base64 = (data[3] ?? '').replace(/\s+/g, '')
    return { kind: 'inline', mediaType, base64, dataUrl: `data:${mediaType};base64,${base64}` }
  }
  if (/^https?:\/\//i.test(url)) {
    try {
      return { kind: 'url', mediaType: mediaTypeOf(part, undefined), url: new URL(url).href }
    } catch {
      return null
    }
  }
  return null
}

/** The file parts of a message, in order. */
export function fileParts(message: Message): FilePart[] {
  return message.parts.filter((part): part is FilePart => part.type === 'file')
}

/** Whether a media type is an image (`image/png`). */
export function isImage(mediaType: string): boolean {
  return mediaType.toLowerCase().startsWith('image/')
}

/**
 * The text a provider gets for a file it cannot take in its own shape: the name, media type
 * and (for an http(s) file) its URL.
 *
 * @example
 * ```ts
 * fileMention({ type: 'file', url: 'https://x.test/a.pdf', mediaType: 'application/pdf', name: 'a.pdf' })
 * // '[Attached file: a.pdf (application/pdf) https://x.test/a.pdf]'
 * ```
 */
export function fileMention(part: FilePart): string {
  const source = fileSource(part)
  const where = source?.kind === 'url' ? ` ${source.url}` : ''
  return `[Attached file: ${part.name ?? 'file'} (${part.mediaType || 'unknown type'})${where}]`
}

/** An OpenAI Chat Completions user content part. */
export type OpenAIChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { file_data: string; filename: string } }

/**
 * A file as OpenAI Chat Completions content: images as `image_url` (a URL or a data URL),
 * inline files as `file` with `file_data` (a data URL) and `filename`.
 */
export function openAIChatFilePart(part: FilePart): OpenAIChatContentPart {
  const source = fileSource(part)
  if (source !== null && isImage(source.mediaType)) {
    return { type: 'image_url', image_url: { url: source.kind === 'url' ? source.url : source.dataUrl } }
  }
  if (source?.kind === 'inline') {
    return { type: 'file', file: { file_data: source.dataUrl, filename: part.name ?? 'file' } }
  }
  return { type: 'text', text: fileMention(part) }
}

/** An OpenAI Responses user content item. */
export type OpenAIResponsesContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' }
  | { type: 'input_file'; file_data: string; filename: string }
  | { type: 'input_file'; file_url: string; filename?: string }

/** A file as OpenAI Responses content: `input_image` for images, `input_file` (data or URL) otherwise. */
export function openAIResponsesFilePart(part: FilePart): OpenAIResponsesContentPart {
  const source = fileSource(part)
  if (source === null) return { type: 'input_text', text: fileMention(part) }
  if (isImage(source.mediaType)) {
    return {
      type: 'input_image',
      image_url: source.kind === 'url' ? source.url : source.dataUrl,
      detail: 'auto',
    }
  }
  if (source.kind === 'inline')
    return { type: 'input_file', file_data: source.dataUrl, filename: part.name ?? 'file' }
  return part.name === undefined
    ? { type: 'input_file', file_url: source.url }
    : { type: 'input_file', file_url: source.url, filename: part.name }
}

const ANTHROPIC_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const
type AnthropicImageType = (typeof ANTHROPIC_IMAGE_TYPES)[number]

/** An Anthropic Messages content block for a file. */
export type AnthropicFileBlock =
  | { type: 'text'; text: string }
  | {
      type: 'image'
      source: { type: 'base64'; media_type: AnthropicImageType; data: string } | { type: 'url'; url: string }
    }
  | {
      type: 'document'
      source:
        | { type: 'base64'; media_type: 'application/pdf'; data: string }
        | { type: 'text'; media_type: 'text/plain'; data: string }
        | { type: 'url'; url: string }
      title?: string
    }

function decodeBase64Text(base64: string): string | null {
  try {
    const binary = atob(base64)
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

/**
 * A file as an Anthropic content block: `image` (JPEG, PNG, GIF, WebP; base64 or URL),
 * `document` for PDFs (base64 or URL) and inline plain text; anything else as a text mention.
 */
export function anthropicFileBlock(part: FilePart): AnthropicFileBlock {
  const source = fileSource(part)
  if (source === null) return { type: 'text', text: fileMention(part) }
  const title = part.name === undefined ? {} : { title: part.name }
  const imageType = ANTHROPIC_IMAGE_TYPES.find((type) => type === source.mediaType)
  if (imageType !== undefined) {
    return source.kind === 'url'
      ? { type: 'image', source: { type: 'url', url: source.url } }
      : { type: 'image', source: { type: 'base64', media_type: imageType, data: source.base64 } }
  }
  if (source.mediaType === 'application/pdf') {
    return source.kind === 'url'
      ? { type: 'document', source: { type: 'url', url: source.url }, ...title }
      : {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: source.base64 },
          ...title,
        }
  }
  if (source.kind === 'inline' && source.mediaType.startsWith('text/')) {
    const text = decodeBase64Text(source.base64)
    if (text !== null)
      return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title }
  }
  return { type: 'text', text: fileMention(part) }
}

/** A Gemini content part for a file. */
export type GeminiFilePart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }

/** A file as a Gemini part: `inlineData` (base64) or `fileData` (a URI). */
export function geminiFilePart(part: FilePart): GeminiFilePart {
  const source = fileSource(part)
  if (source === null) return { text: fileMention(part) }
  return source.kind === 'inline'
    ? { inlineData: { mimeType: source.mediaType, data: source.base64 } }
    : { fileData: { mimeType: source.mediaType, fileUri: source.url } }
}

/**
 * A message's files for Ollama: inline images as base64 without the `data:` prefix (`images`);
 * every other file as a text mention (Ollama takes images only, and only inline).
 */
export function ollamaFiles(message: Message): { images: string[]; mentions: string[] } {
  const images: string[] = []
  const mentions: string[] = []
  for (const part of fileParts(message)) {
    const source = fileSource(part)
    if (source?.kind === 'inline' && isImage(source.mediaType)) images.push(source.base64)
    else mentions.push(fileMention(part))
  }
  return { images, mentions }
}
