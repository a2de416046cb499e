/**
 * The fetch transport's non-streaming path: one JSON body (`stream: false`, or a server that
 * answers JSON instead of a stream), read with a byte cap and decoded by the protocol's
 * `decodeResponse`, with `inlineTags` applied as on a stream.
 *
 * @example
 * ```ts
 * yield* readJsonResponse(response, request, { maxBytes: 16 * 1024 * 1024, read: (reader) => reader.read() })
 * ```
 * @module
 */
import type { ChatEvent } from '../events.ts'
import {
  declaredLength,
  formatBytes,
  type ReadCappedBodyOptions,
  readCappedBody,
} from './read-capped-body.ts'
import { ChatRequestError, type TransportRequest } from './transport.ts'

/** The default cap on a JSON answer: far over any real completion, far under what hurts a tab. */
export const defaultMaxBodyBytes = 16 * 1024 * 1024

/** Options of {@link readJsonResponse}. */
export interface ReadJsonResponseOptions {
  /** The largest body read. */
  maxBytes: number
  /** Wraps each read (the transport's timeouts). */
  read?: ReadCappedBodyOptions['read']
  /** The error to throw instead of a read's own (a timeout that cancelled the read). */
  failure?: () => ChatRequestError | undefined
}

function tooLarge(
  request: TransportRequest,
  status: number,
  maxBytes: number,
  size?: number,
): ChatRequestError {
  const length = size === undefined ? `more than ${formatBytes(maxBytes)}` : formatBytes(size)
  return new ChatRequestError('http', {
    message:
      `The JSON answer from ${request.api} is ${length}, over the ${formatBytes(maxBytes)} cap (maxBodyBytes); it was not read. ` +
      'Ask the server for a stream, or raise maxBodyBytes if such an answer is expected.',
    status,
    code: 'body-too-large',
  })
}

/**
 * Read and decode one JSON answer. A `Content-Length` over the cap is refused before reading;
 * a body that grows past it is cancelled there. Inline tags (`<think>`, `<tool_call>`) in its
 * text become reasoning and tool calls when `request.inlineTags` is set.
 *
 * @example
 * ```ts
 * for await (const event of readJsonResponse(response, request, { maxBytes: 1 << 24 })) console.log(event.type)
 * ```
 */
export async function* readJsonResponse(
  response: Response,
  request: TransportRequest,
  options: ReadJsonResponseOptions,
): AsyncGenerator<ChatEvent> {
  const { maxBytes } = options
  const declared = declaredLength(response)
  if (declared !== undefined && declared > maxBytes) {
    response.body?.cancel().catch(() => {})
    throw tooLarge(request, response.status, maxBytes, declared)
  }
  let text: string
  let chunks = 0
  try {
    const body = await readCappedBody(response, maxBytes, {
      onChunk: () => {
        chunks++
        request.observer.byte()
      },
      ...(options.read ? { read: options.read } : {}),
    })
    if (body.truncated) throw tooLarge(request, response.status, maxBytes)
    text = body.text
  } catch (cause) {
    if (cause instanceof ChatRequestError) throw cause
    if (request.signal.aborted) throw cause
    const failure = options.failure?.()
    if (failure) throw failure
    throw new ChatRequestError(
      'interrupted',
      { message: `The connection to ${request.api} was lost while reading the answer.` },
      { cause },
    )
  }
  if (chunks === 0) request.observer.byte()
  const decodeResponse = request.protocol.decodeResponse
  if (decodeResponse === undefined) {
    throw new ChatRequestError('http', {
      message: `The server answered with JSON, but protocol "${request.protocol.id}" cannot read a non-streaming response. Ask the server for a stream.`,
      status: response.status,
    })
  }
  let body: unknown
  try {
    body = JSON.parse(text) as unknown
  } catch (cause) {
    throw new ChatRequestError(
      'http',
      {
        message: `The server's JSON answer (protocol "${request.protocol.id}") is not valid JSON: ${(cause as Error).message}.${mislabelledStreamHint(text, response)}`,
        status: response.status,
      },
      { cause },
    )
  }
  text = ''
  const inlineTags = request.inlineTags
    ? // The same transform a stream gets: a JSON answer from a model that writes tags (seed
      // 000's non-streaming fallback) must not show them raw.
      (await import('../inline-tags.ts')).createInlineTagTransform()
    : undefined
  let events: ChatEvent[]
  try {
    events = decodeResponse.call(request.protocol, body, { messageId: request.messageId })
    if (inlineTags) {
      events = events.flatMap((event) => inlineTags.transform(event))
      for (const event of inlineTags.end()) events.push(event)
    }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ChatRequestError(
      'http',
      {
        message: `The ${request.protocol.id} decoder failed on the server's JSON answer (${reason}). Check that the server answers in the ${request.protocol.id} format; if it does, report this body as a Sluice bug.`,
        status: response.status,
        code: 'decoder-error',
      },
      { cause },
    )
  }
  yield* events
}

/**
 * When a body labelled JSON is really a stream (SSE `data:` lines, or one JSON value per line),
 * say so: the fix is the server's `Content-Type`, not the JSON.
 */
function mislabelledStreamHint(text: string, response: Response): string {
  const type = response.headers.get('content-type') ?? 'application/json'
  const start = text.trimStart().slice(0, 16)
  if (/^(data|event|id|retry):/.test(start) || start.startsWith(':')) {
    return ` It is an SSE stream labelled ${type}: have the server send Content-Type: text/event-stream.`
  }
  const lines = text.trim().split('\n', 3)
  if (lines.length > 1 && lines.every((line) => line.trimStart().startsWith('{'))) {
    return ` It looks like NDJSON (one JSON value per line) labelled ${type}: have the server send Content-Type: application/x-ndjson.`
  }
  return ''
}
