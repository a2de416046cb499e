/**
 * The files a request carries, whatever the provider's shape: what the call log records as
 * `call.files`. The body is the app's own request, but it is still walked with a depth and a
 * count limit, and only own properties are read.
 *
 * @module
 */

/** One file found in a request body. */
export interface RecordedFile {
  /** The media type, when the shape says it (or a `data:` URL does). */
  mediaType?: string
  /** The file's URL (http(s) or `data:`), when it travels as one. */
  url?: string
  /** Base64 content, when it travels as bare data (Anthropic, Gemini, Ollama `images`). */
  data?: string
  /** The file name, when the shape carries one. */
  name?: string
  /** Which shape it was found in: `openai-chat`, `openai-responses`, `anthropic`, `gemini`, `ollama`, `ai-sdk` or `sluice` (createChat's default body). */
  shape: 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama' | 'ai-sdk' | 'sluice'
}

const MAX_DEPTH = 12
const MAX_FILES = 1000

type Fields = Record<string, unknown>

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function get(record: Fields, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function dataUrlType(url: string | undefined): string | undefined {
  return url === undefined ? undefined : /^data:([\w.+-]+\/[\w.+-]+)/i.exec(url)?.[1]
}

function file(
  fields: Omit<RecordedFile, 'mediaType' | 'url' | 'data' | 'name'> &
    Partial<Record<'mediaType' | 'url' | 'data' | 'name', string | undefined>>,
): RecordedFile {
  const out: RecordedFile = { shape: fields.shape }
  if (fields.mediaType !== undefined) out.mediaType = fields.mediaType
  if (fields.url !== undefined) out.url = fields.url
  if (fields.data !== undefined) out.data = fields.data
  if (fields.name !== undefined) out.name = fields.name
  return out
}

/** The file one object stands for, if it is one of the known file shapes. */
function asFile(node: Fields): RecordedFile | undefined {
  const type = get(node, 'type')
  if (type === 'image_url') {
    const url =
      str(get(node, 'image_url')) ??
      (isRecord(get(node, 'image_url')) ? str(get(get(node, 'image_url') as Fields, 'url')) : undefined)
    return file({ shape: 'openai-chat', url, mediaType: dataUrlType(url) })
  }
  if (type === 'file' && isRecord(get(node, 'file'))) {
    const inner = get(node, 'file') as Fields
    const url = str(get(inner, 'file_data'))
    return file({ shape: 'openai-chat', url, mediaType: dataUrlType(url), name: str(get(inner, 'filename')) })
  }
  if (type === 'input_image') {
    const url = str(get(node, 'image_url'))
    return file({ shape: 'openai-responses', url, mediaType: dataUrlType(url) })
  }
  if (type === 'input_file') {
    const url = str(get(node, 'file_data')) ?? str(get(node, 'file_url'))
    return file({
      shape: 'openai-responses',
      url,
      mediaType: dataUrlType(url),
      name: str(get(node, 'filename')),
    })
  }
  if ((type === 'image' || type === 'document') && isRecord(get(node, 'source'))) {
    const source = get(node, 'source') as Fields
    const kind = get(source, 'type')
    return file({
      shape: 'anthropic',
      mediaType: str(get(source, 'media_type')),
      url: kind === 'url' ? str(get(source, 'url')) : undefined,
      data: kind === 'base64' || kind === 'text' ? str(get(source, 'data')) : undefined,
      name: str(get(node, 'title')),
    })
  }
  if (type === 'file' && typeof get(node, 'url') === 'string') {
    return file({
      shape: 'ai-sdk',
      url: str(get(node, 'url')),
      mediaType: str(get(node, 'mediaType')),
      name: str(get(node, 'filename')),
    })
  }
  const inline = get(node, 'inlineData')
  if (isRecord(inline))
    return file({ shape: 'gemini', mediaType: str(get(inline, 'mimeType')), data: str(get(inline, 'data')) })
  const reference = get(node, 'fileData')
  if (isRecord(reference))
    return file({
      shape: 'gemini',
      mediaType: str(get(reference, 'mimeType')),
      url: str(get(reference, 'fileUri')),
    })
  return undefined
}

/**
 * Every file in a request body, in document order: OpenAI Chat `image_url` / `file`, OpenAI
 * Responses `input_image` / `input_file`, Anthropic `image` / `document`, Gemini `inlineData` /
 * `fileData`, Ollama `images`, AI SDK `file` parts and createChat's default `files`.
 *
 * @example
 * ```ts
 * requestFiles({ messages: [{ role: 'user', content: 'Hi', images: ['iVBO…'] }] })
 * // [{ shape: 'ollama', data: 'iVBO…' }]
 * ```
 */
export function requestFiles(body: unknown): RecordedFile[] {
  const found: RecordedFile[] = []
  const visit = (node: unknown, depth: number, parentKey: string | undefined): void => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return
    if (Array.isArray(node)) {
      for (const item of node) {
        if (parentKey === 'images' && typeof item === 'string') found.push({ shape: 'ollama', data: item })
        else if (parentKey === 'files' && isRecord(item) && typeof get(item, 'url') === 'string') {
          found.push(
            file({
              shape: 'sluice',
              url: str(get(item, 'url')),
              mediaType: str(get(item, 'mediaType')),
              name: str(get(item, 'name')),
            }),
          )
        } else visit(item, depth + 1, undefined)
      }
      return
    }
    if (!isRecord(node)) return
    const recognised = asFile(node)
    if (recognised !== undefined) {
      found.push(recognised)
      return
    }
    for (const key of Object.keys(node)) visit(node[key], depth + 1, key)
  }
  visit(body, 0, undefined)
  return found
}
