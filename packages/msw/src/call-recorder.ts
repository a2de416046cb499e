/**
 * What every handler remembers about the requests it served, for assertions.
 *
 * @module
 */
import { type RecordedFile, requestFiles } from './request-files.ts'

/** One request a handler served (or one message a WebSocket client sent). */
export interface RecordedCall {
  /** The request URL (or the socket URL). */
  url: string
  /** `POST`, `GET`, … (`MESSAGE` for a WebSocket message). */
  method: string
  /** Request headers, lower-case names (empty for WebSocket messages). */
  headers: Record<string, string>
  /** The body: parsed JSON when it is JSON, else the text; `undefined` when empty. */
  body: unknown
  /**
   * The files (attachments) the request carries, in any provider's shape (`image_url`,
   * `input_file`, Anthropic `image` / `document`, Gemini `inlineData`, Ollama `images`, AI SDK
   * `file` parts, createChat's default `files`); empty when none.
   */
  files: RecordedFile[]
  /** The HTTP status answered (101 for a WebSocket message). */
  status: number
  /** The client went away (abort, cancelled read, closed socket) before the response ended. */
  aborted: boolean
  /** A WebSocket client sent a cancel frame for this response, and the mock stopped. */
  cancelled: boolean
  /** The whole response was sent (false while streaming, after a fault, or after an abort). */
  completed: boolean
}

/** The recorder handlers carry: `handler.calls[0].body.model`, `handler.aborted`. */
export interface CallRecorder {
  /** Every call so far, oldest first. Call objects update in place (`aborted`, `completed`). */
  readonly calls: readonly RecordedCall[]
  /** The latest call. */
  readonly lastCall: RecordedCall | undefined
  /** Whether any call was aborted by the client. */
  readonly aborted: boolean
  /** Forget every call (the step counter starts over too). */
  reset(): void
}

/** A recorder plus the way to add calls (kept off the public handler type). */
export interface CallLog extends CallRecorder {
  record(call: Omit<RecordedCall, 'aborted' | 'cancelled' | 'completed' | 'status' | 'files'>): RecordedCall
}

/**
 * A fresh call log.
 *
 * @example
 * ```ts
 * const log = createCallLog()
 * const call = log.record({ url: 'https://api.test/v1/messages', method: 'POST', headers: {}, body: {} })
 * call.completed = true
 * ```
 */
export function createCallLog(): CallLog {
  const calls: RecordedCall[] = []
  return {
    calls,
    get lastCall() {
      return calls[calls.length - 1]
    },
    get aborted() {
      return calls.some((call) => call.aborted)
    },
    reset() {
      calls.length = 0
    },
    record(call) {
      const recorded: RecordedCall = {
        ...call,
        files: requestFiles(call.body),
        status: 200,
        aborted: false,
        cancelled: false,
        completed: false,
      }
      calls.push(recorded)
      return recorded
    },
  }
}

/**
 * Put a recorder's read side on a handler object, so the handler goes straight into
 * `setupServer(…)` and still answers `handler.calls`.
 *
 * @example
 * ```ts
 * const handler = attachRecorder(http.post('*\/x', resolver), log)
 * handler.calls.length // 0
 * ```
 */
export function attachRecorder<Handler extends object>(
  handler: Handler,
  log: CallRecorder,
): Handler & CallRecorder {
  return Object.defineProperties(handler, {
    calls: { get: () => log.calls, enumerable: true },
    lastCall: { get: () => log.lastCall, enumerable: true },
    aborted: { get: () => log.aborted, enumerable: true },
    reset: { value: () => log.reset(), enumerable: true },
  }) as Handler & CallRecorder
}

/**
 * Read a request's body for the record: parsed JSON, else text, else `undefined`.
 *
 * @example
 * ```ts
 * await readRequestBody(new Request('https://x.test', { method: 'POST', body: '{"a":1}' })) // { a: 1 }
 * ```
 */
export async function readRequestBody(request: Request): Promise<unknown> {
  const text = await request.clone().text()
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * Request headers as a plain object with lower-case names.
 *
 * @example
 * ```ts
 * headersRecord(new Headers({ 'X-Api-Key': 'k' })) // { 'x-api-key': 'k' }
 * ```
 */
export function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {}
  headers.forEach((value, name) => {
    record[name] = value
  })
  return record
}
