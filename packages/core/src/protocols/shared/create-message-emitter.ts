/**
 * The one message a decoder produces, and the events it has not handed out yet.
 *
 * @module
 */
import type { ChatEvent, MessageEndEvent, MessageStartEvent } from '../../events.ts'
import type { MessageError } from '../../message.ts'
import { streamInterrupted } from './stream-interrupted.ts'

/** The fields of a `message-end` a decoder chooses (everything but `type` and `messageId`). */
export type MessageEndFields = Omit<MessageEndEvent, 'type' | 'messageId'>

/** Options of {@link createMessageEmitter}. */
export interface MessageEmitterOptions {
  /** The caller's id (the controller's placeholder); it always wins over the wire's. */
  messageId?: string | undefined
  /** The id used when neither the caller nor the wire names the message. */
  fallbackMessageId: string
}

/** What {@link createMessageEmitter} returns. */
export interface MessageEmitter {
  /** The message id: the caller's, else the wire's (see `useWireId`), else the fallback. */
  readonly messageId: string
  /** `message-start` was emitted. */
  readonly isStarted: boolean
  /** The message ended (`end`, `fail`, `interrupt` or `abort`); later content is the decoder's to ignore. */
  readonly isTerminal: boolean
  /** A finish reason was seen (see `finishSeen`): the model finished, only the terminator may be missing. */
  readonly isFinished: boolean
  /** The message ended with `end` (status `complete`), so `reopen` may continue it. */
  readonly isComplete: boolean
  /** Adopt an id from the wire, if the caller gave none and the message has not started. */
  useWireId(id: string | undefined): void
  /** Emit `message-start` (once; later calls do nothing). */
  start(metadata?: Record<string, unknown>): void
  /** Queue events of the message, emitting `message-start` first if it has not been. */
  push(...events: ChatEvent[]): void
  /**
   * Remember what the model's finish said (finish reason, usage): the terminator is still to
   * come, but if the source ends without it, `endOfSource` completes the message with these.
   */
  finishSeen(fields: MessageEndFields): void
  /** End the message: `message-end` with the fields given at `finishSeen` and `fields` over them. */
  end(fields?: MessageEndFields): void
  /** End the message with status `error`. */
  fail(error: MessageError): void
  /** End the message with status `interrupted` (code `stream-interrupted`), `message` says what was missing. */
  interrupt(message: string): void
  /** End the message with status `cancelled` (the server aborted it). */
  abort(): void
  /**
   * Continue a `complete` message (a wire that runs again in the same stream, AG-UI's second
   * `RUN_STARTED`): a new `message-start` reopens it in the reducer, content is kept, and it
   * must end again. Does nothing unless the message is complete.
   */
  reopen(metadata?: Record<string, unknown>): void
  /**
   * The source ended. Nothing when the message already ended; `message-end` when a finish was
   * seen (the one rule for every protocol: finish reason seen, terminator lost ⇒ complete);
   * otherwise `interrupt(message)`.
   */
  endOfSource(message: string): void
  /** Hand out the queued events (and forget them). */
  take(): ChatEvent[]
}

/**
 * The message of one response: starts once, ends once, and queues events until the decoder's
 * `decode` returns them with `take()`.
 *
 * @example
 * ```ts
 * const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId: 'ollama-response' })
 * message.push({ type: 'text-start', messageId: message.messageId, id: 'text-0' }) // message-start first
 * message.finishSeen({ finishReason: 'stop' })
 * message.endOfSource('The stream ended before its last event.') // message-end (stop)
 * message.take() // [message-start, text-start, message-end]
 * ```
 */
export function createMessageEmitter(options: MessageEmitterOptions): MessageEmitter {
  let wireId: string | undefined
  let started = false
  let terminal = false
  let complete = false
  let finish: MessageEndFields | undefined
  let events: ChatEvent[] = []
  const messageId = (): string => options.messageId ?? wireId ?? options.fallbackMessageId

  function start(metadata?: Record<string, unknown>): void {
    if (started) return
    started = true
    const event: MessageStartEvent = { type: 'message-start', messageId: messageId(), role: 'assistant' }
    if (metadata !== undefined && Object.keys(metadata).length > 0) event.metadata = metadata
    events.push(event)
  }

  function finishWith(event: ChatEvent): void {
    start()
    events.push(event)
    terminal = true
  }

  return {
    get messageId() {
      return messageId()
    },
    get isStarted() {
      return started
    },
    get isTerminal() {
      return terminal
    },
    get isFinished() {
      return finish !== undefined
    },
    get isComplete() {
      return complete
    },
    useWireId(id) {
      if (!started && id !== undefined && id !== '') wireId = id
    },
    start,
    push(...pushed) {
      start()
      for (const event of pushed) events.push(event)
    },
    finishSeen(fields) {
      finish = { ...finish, ...fields }
    },
    end(fields) {
      if (terminal) return
      finishWith({ type: 'message-end', messageId: messageId(), ...finish, ...fields })
      complete = true
    },
    fail(error) {
      if (terminal) return
      finishWith({ type: 'message-error', messageId: messageId(), error })
    },
    interrupt(message) {
      if (terminal) return
      finishWith(streamInterrupted(messageId(), message))
    },
    abort() {
      if (terminal) return
      finishWith({ type: 'message-abort', messageId: messageId() })
    },
    reopen(metadata) {
      if (!complete) return
      complete = false
      terminal = false
      finish = undefined
      started = false
      start(metadata)
    },
    endOfSource(message) {
      if (terminal) return
      if (finish !== undefined) this.end()
      else this.interrupt(message)
    },
    take() {
      const taken = events
      events = []
      return taken
    },
  }
}
