/**
 * Load the recorded provider streams in `test/fixtures` as the bytes the provider sent.
 *
 * `.sse` and `.ndjson` files are the raw bodies. `.chunks.txt` files hold only the JSON
 * payloads, one a line (SOURCES.md): each becomes `data: <line>\n\n`, with `event: <type>`
 * first for Anthropic and OpenAI Responses, and `data: [DONE]` last only for Chat
 * Completions-style providers.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const fixturesDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

/** Every fixture file, as `folder/name`, sorted. */
export function listFixtures(folder?: string): string[] {
  const folders = folder
    ? [folder]
    : readdirSync(fixturesDirectory, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
  return folders
    .flatMap((name) => readdirSync(join(fixturesDirectory, name)).map((file) => `${name}/${file}`))
    .filter((file) => /\.(sse|ndjson|chunks\.txt|json)$/.test(file))
    .sort()
}

/** The raw text of a fixture file. */
export function readFixtureText(path: string): string {
  return readFileSync(join(fixturesDirectory, path), 'utf8')
}

const eventLinesFolders = new Set(['anthropic-messages', 'openai-responses'])
const doneFolders = new Set(['openai-chat', 'openai-compatible'])

/**
 * The body the provider sent, as text. `.chunks.txt` payload files are rebuilt into SSE;
 * pass `segment` to get one response of a file that concatenates several (split before each
 * line whose JSON `type` is `splitOnType`).
 */
export function fixtureBody(path: string, options: { splitOnType?: string } = {}): string[] {
  const text = readFixtureText(path)
  if (!path.endsWith('.chunks.txt')) return [text]
  const folder = path.split('/')[0] ?? ''
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  const segments: string[][] = []
  for (const line of lines) {
    const type = (JSON.parse(line) as { type?: string }).type
    if (segments.length === 0 || (options.splitOnType !== undefined && type === options.splitOnType)) {
      segments.push([])
    }
    segments[segments.length - 1]!.push(line)
  }
  return segments.map((segment) => {
    let body = ''
    for (const line of segment) {
      if (eventLinesFolders.has(folder)) body += `event: ${(JSON.parse(line) as { type: string }).type}\n`
      body += `data: ${line}\n\n`
    }
    if (doneFolders.has(folder)) body += 'data: [DONE]\n\n'
    return body
  })
}

/** The first (or only) response body of a fixture. */
export function fixtureText(path: string): string {
  return fixtureBody(path)[0] ?? ''
}

/** A text as a stream of UTF-8 chunks of the given sizes (the last chunk takes the rest). */
export function chunkedBytes(text: string, sizes: readonly number[] = []): Uint8Array[] {
  const bytes = new TextEncoder().encode(text)
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const size of sizes) {
    if (offset >= bytes.length) break
    chunks.push(bytes.subarray(offset, offset + Math.max(1, size)))
    offset += Math.max(1, size)
  }
  if (offset < bytes.length) chunks.push(bytes.subarray(offset))
  return chunks
}

/** An async iterable over the given chunks, for `readChatEvents`. */
export async function* fromChunks<T>(chunks: Iterable<T>): AsyncIterable<T> {
  for (const chunk of chunks) yield chunk
}
