/**
 * Every built-in string of `@sluice/react`'s components in one object, with English defaults.
 * Plain data and pure functions, no React: the provider and the hook are `LabelsProvider` and
 * `useLabels` (or the `labels` / `locale` props of `ChatProvider`).
 *
 * Strings that carry a number are functions of that number and a {@link LabelFormat}, which
 * formats numbers, units and plurals for the labels' locale through `Intl` (never by gluing an
 * English "s" onto a word).
 *
 * @module
 */

/** The plural categories of `Intl.PluralRules` (`one`, `few`, `many`…); `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

/**
 * Locale-aware formatting for label functions, bound to the labels' `locale`. Every method goes
 * through `Intl` (formatters are cached per locale).
 */
export interface LabelFormat {
  /** The BCP 47 locale everything is formatted for (`'en'` by default). */
  readonly locale: string
  /** A number in the locale's digits and separators: `1,006` in English, `١٬٠٠٦` in Arabic. */
  number(value: number, options?: Intl.NumberFormatOptions): string
  /**
   * A number with a unit (`Intl.NumberFormat` style `unit`), pluralised by `Intl`:
   * `unit(2, 'second', 'long')` is "2 seconds" in English, "2 sekundy" in Polish.
   */
  unit(value: number, unit: string, display?: 'long' | 'short' | 'narrow'): string
  /**
   * The form of `forms` for `count`'s plural category (`Intl.PluralRules`), `#` replaced by the
   * formatted count; `other` when the locale's category has no form.
   */
  plural(count: number, forms: PluralForms, options?: Intl.PluralRulesOptions): string
  /** Items joined as the locale joins them ("a, b and c"; `Intl.ListFormat`). */
  list(items: readonly string[], type?: 'conjunction' | 'disjunction' | 'unit'): string
}

/** A label with a number in it: the number(s), then the formatter of the labels' locale. */
type Counted<Args extends unknown[]> = (...args: [...Args, format: LabelFormat]) => string

/**
 * Every built-in string of the components, grouped by component. Replace any of them through a
 * `LabelsProvider` / `ChatProvider` (`labels`, deep-partial) or a component's `labels` prop.
 */
export interface ChatLabels {
  composer: {
    /** The textbox's accessible name (DOM contract). */
    input: string
    send: string
    stop: string
  }
  messageList: {
    /** The log's accessible name. */
    log: string
    jumpToLatest: string
  }
  /** What the list announces once when an answer ends. */
  announcements: {
    /** A completed answer with no text. */
    complete: string
    error: (reason: string, format: LabelFormat) => string
    /** The reason when the error has no message. */
    unknownError: string
    interrupted: string
    cancelled: string
  }
  message: {
    /** Read by screen readers before a message's content, by role. */
    author: { user: string; assistant: string; system: string; tool: string }
    copy: string
    /** The tooltip for two seconds after a copy (the name stays `copy`). */
    copied: string
    edit: string
    regenerate: string
  }
  editor: {
    input: string
    cancel: string
    resend: string
  }
  /** An answer's token counts (`ChatMessageUsage`). */
  usage: {
    /** The answer's own tokens, counted while it streams and final after ("42 tokens"). */
    tokens: Counted<[tokens: number]>
    /** The prompt's tokens, once the answer ended and the backend counted them ("12 in the prompt"). */
    promptTokens: Counted<[tokens: number]>
  }
  status: {
    error: string
    interrupted: string
    cancelled: string
    httpStatus: Counted<[status: number]>
    retry: string
    resume: string
  }
  reasoning: {
    thinking: string
    /** Without event times. */
    reasoning: string
    thoughtFor: Counted<[seconds: number]>
  }
  tool: {
    inputStreaming: string
    inputAvailable: string
    running: Counted<[seconds: number]>
    done: string
    doneIn: Counted<[seconds: number]>
    failed: string
    cancelled: string
    /** The backend's execution time after the state. */
    took: Counted<[milliseconds: number]>
    input: string
    output: string
    /** A failed call without an error text. */
    error: string
  }
  typingIndicator: {
    label: string
  }
  step: {
    /** A numbered step of unknown count. */
    step: Counted<[step: number]>
    stepOf: Counted<[step: number, count: number]>
  }
  branchPicker: {
    group: string
    previous: string
    next: string
    /** The visible "N / M" (DOM contract). */
    count: Counted<[current: number, count: number]>
    /** Announced once after a switch. */
    announce: Counted<[current: number, count: number]>
  }
  queue: {
    list: string
    remove: string
    sendNow: string
    edit: string
    editInput: string
    save: string
    cancel: string
    moveUp: string
    moveDown: string
    clear: string
  }
  feedback: {
    positive: string
    negative: string
  }
  suggestions: {
    group: string
  }
  attachments: {
    attach: string
    list: string
    remove: (name: string, format: LabelFormat) => string
    attached: (name: string, format: LabelFormat) => string
    removed: (name: string, format: LabelFormat) => string
    uploading: (name: string, format: LabelFormat) => string
    drop: string
    /** A byte count: "512 B", "1.5 KB". */
    fileSize: Counted<[bytes: number]>
    /** The name of a file that has none, in refusals. */
    unnamedFile: string
    tooMany: (name: string, max: number, format: LabelFormat) => string
    notAccepted: (name: string, type: string, accepted: readonly string[], format: LabelFormat) => string
    inlineImagesOnly: (name: string, format: LabelFormat) => string
    inlineTooLarge: (name: string, size: string, max: string, format: LabelFormat) => string
    tooLarge: (name: string, size: string, max: string, format: LabelFormat) => string
    uploadFailed: (name: string, reason: string, format: LabelFormat) => string
    /** The reason when an upload failed without one. */
    unknownUploadError: string
  }
  file: {
    /** A file with neither name nor media type. */
    unnamed: string
    loadImage: string
    imageFailed: string
  }
  codeBlock: {
    /** The button's accessible name. */
    copyCode: string
    copy: string
    copied: string
    failed: string
  }
}

/** A deep-partial of a labels group: any subset of strings and functions, nested groups too. */
export type LabelsOverride<T = ChatLabels> = {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown
    ? T[K] | undefined
    : T[K] extends object
      ? LabelsOverride<T[K]> | undefined
      : T[K] | undefined
}

/** The labels components read: every string, plus the locale and its formatter. */
export type Labels = ChatLabels & {
  readonly locale: string
  readonly format: LabelFormat
}

/**
 * A short duration as the components show it: `"3 s"`, `"1 min 5 s"`, numbers in the locale's
 * digits.
 *
 * @example
 * ```ts
 * compactSeconds(65, createLabelFormat('en')) // '1 min 5 s'
 * ```
 */
export function compactSeconds(seconds: number, format: LabelFormat): string {
  if (seconds < 60) return `${format.number(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  return rest === 0
    ? `${format.number(minutes)} min`
    : `${format.number(minutes)} min ${format.number(rest)} s`
}

/**
 * A tool's run time: `340 ms` under a second, `1.2 s` up to a minute, then `2 min 5 s`.
 *
 * @example
 * ```ts
 * compactMilliseconds(1234, createLabelFormat('en')) // '1.2 s'
 * ```
 */
export function compactMilliseconds(ms: number, format: LabelFormat): string {
  if (ms < 999.5) return `${format.number(Math.round(ms))} ms`
  if (ms < 60_000) {
    const tenths = { minimumFractionDigits: 1, maximumFractionDigits: 1 }
    return `${format.number(ms / 1000, tenths)} s`
  }
  const seconds = Math.round(ms / 1000)
  return `${format.number(Math.floor(seconds / 60))} min ${format.number(seconds % 60)} s`
}

/**
 * A byte count as people read it: `512 B`, `1.5 KB`, `20 MB` (powers of 1024), the number in
 * the locale's digits.
 *
 * @example
 * ```ts
 * compactFileSize(1536, createLabelFormat('en')) // '1.5 KB'
 * ```
 */
export function compactFileSize(bytes: number, format: LabelFormat): string {
  // Grouped from five digits on only: "1023 B", as people write byte counts.
  const digits = { useGrouping: 'min2' } as const
  if (!Number.isFinite(bytes) || bytes < 1024)
    return `${format.number(Math.max(0, Math.round(bytes)), digits)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10
  return `${format.number(rounded, digits)} ${units[unit]}`
}

/**
 * The English labels: the names the DOM contract lists ("Message", "Send", "Stop", "Retry",
 * "Versions", "Previous version", "Next version", "N / M", "Queued messages", "Remove",
 * "Send now", "Good response", "Bad response", "Suggestions", "Attach files", "Attachments",
 * "Remove <file name>", "Jump to latest") and every other built-in string.
 *
 * @example
 * ```ts
 * defaultLabels.composer.send // 'Send'
 * defaultLabels.reasoning.thoughtFor(4, createLabelFormat('en')) // 'Thought for 4 s'
 * ```
 */
export const defaultLabels: ChatLabels = {
  composer: { input: 'Message', send: 'Send', stop: 'Stop' },
  messageList: { log: 'Messages', jumpToLatest: 'Jump to latest' },
  announcements: {
    complete: 'The answer is complete.',
    error: (reason) => `The answer failed: ${reason}`,
    unknownError: 'unknown error',
    interrupted: 'The answer was interrupted.',
    cancelled: 'The answer was stopped.',
  },
  message: {
    author: { user: 'You', assistant: 'Assistant', system: 'System', tool: 'Tool' },
    copy: 'Copy',
    copied: 'Copied',
    edit: 'Edit',
    regenerate: 'Regenerate',
  },
  editor: { input: 'Edit message', cancel: 'Cancel', resend: 'Resend' },
  usage: {
    tokens: (tokens, format) => format.plural(tokens, { one: '# token', other: '# tokens' }),
    promptTokens: (tokens, format) => `${format.number(tokens)} in the prompt`,
  },
  status: {
    error: 'Something went wrong while writing this answer.',
    interrupted: 'The connection was lost before the answer finished.',
    cancelled: 'Stopped',
    // An HTTP status is a code, not a quantity: never grouped ("HTTP 429").
    httpStatus: (status, format) => `HTTP ${format.number(status, { useGrouping: false })}`,
    retry: 'Retry',
    resume: 'Resume',
  },
  reasoning: {
    thinking: 'Thinking…',
    reasoning: 'Reasoning',
    thoughtFor: (seconds, format) => `Thought for ${compactSeconds(seconds, format)}`,
  },
  tool: {
    inputStreaming: 'Preparing input',
    inputAvailable: 'Ready to run',
    running: (seconds, format) => `Running ${compactSeconds(seconds, format)}`,
    done: 'Done',
    doneIn: (seconds, format) => `Done in ${compactSeconds(seconds, format)}`,
    failed: 'Failed',
    cancelled: 'Cancelled',
    took: (milliseconds, format) => `took ${compactMilliseconds(milliseconds, format)}`,
    input: 'Input',
    output: 'Output',
    error: 'The tool failed.',
  },
  typingIndicator: { label: 'Waiting for the answer' },
  step: {
    step: (step, format) => `Step ${format.number(step)}`,
    stepOf: (step, count, format) => `Step ${format.number(step)} of ${format.number(count)}`,
  },
  branchPicker: {
    group: 'Versions',
    previous: 'Previous version',
    next: 'Next version',
    count: (current, count, format) => `${format.number(current)} / ${format.number(count)}`,
    announce: (current, count, format) => `Version ${format.number(current)} of ${format.number(count)}`,
  },
  queue: {
    list: 'Queued messages',
    remove: 'Remove',
    sendNow: 'Send now',
    edit: 'Edit',
    editInput: 'Edit queued message',
    save: 'Save',
    cancel: 'Cancel',
    moveUp: 'Move up',
    moveDown: 'Move down',
    clear: 'Clear queue',
  },
  feedback: { positive: 'Good response', negative: 'Bad response' },
  suggestions: { group: 'Suggestions' },
  attachments: {
    attach: 'Attach files',
    list: 'Attachments',
    remove: (name) => `Remove ${name}`,
    attached: (name) => `Attached ${name}`,
    removed: (name) => `Removed ${name}`,
    uploading: (name) => `Uploading ${name}`,
    drop: 'Drop files to attach them',
    fileSize: (bytes, format) => compactFileSize(bytes, format),
    unnamedFile: 'The file',
    tooMany: (name, max, format) =>
      `${name} was not attached: ${format.plural(max, {
        one: 'at most # file can be attached to one message.',
        other: 'at most # files can be attached to one message.',
      })}`,
    notAccepted: (name, type, accepted, format) =>
      `${name} was not attached: ${type || 'this type'} is not accepted (accepted: ${format.list(accepted, 'unit')}).`,
    inlineImagesOnly: (name) =>
      `${name} was not attached: without an upload (uploadFile) only PNG, JPEG, GIF and WebP images can be sent.`,
    inlineTooLarge: (name, size, max) =>
      `${name} was not attached: it is ${size}, and images sent without an upload (uploadFile) may be at most ${max}.`,
    tooLarge: (name, size, max) => `${name} was not attached: it is ${size}; the limit is ${max}.`,
    uploadFailed: (name, reason) =>
      `${name} could not be uploaded: ${reason}. Remove it to send the message.`,
    unknownUploadError: 'the upload failed',
  },
  file: {
    unnamed: 'File',
    loadImage: 'Load image',
    imageFailed: 'The image could not be loaded.',
  },
  codeBlock: { copyCode: 'Copy code', copy: 'Copy', copied: 'Copied', failed: 'Copy failed' },
}

const formats = new Map<string, LabelFormat>()

/**
 * The {@link LabelFormat} of a locale (one per locale, its `Intl` formatters cached). An
 * unknown or malformed locale falls back to the runtime's default, as `Intl` does.
 *
 * @example
 * ```ts
 * const format = createLabelFormat('pl')
 * format.plural(5, { one: '# plik', few: '# pliki', many: '# plików', other: '# pliku' }) // '5 plików'
 * ```
 */
export function createLabelFormat(locale = 'en'): LabelFormat {
  const cached = formats.get(locale)
  if (cached !== undefined) return cached
  let resolved: string
  try {
    resolved = Intl.getCanonicalLocales(locale)[0] ?? 'en'
  } catch {
    // A malformed tag: Intl would throw on every call; format for the runtime's locale instead.
    resolved = new Intl.NumberFormat().resolvedOptions().locale
  }
  const numberFormats = new Map<string, Intl.NumberFormat>()
  const numberFormat = (options: Intl.NumberFormatOptions) => {
    const key = JSON.stringify(options)
    let formatter = numberFormats.get(key)
    if (formatter === undefined) {
      formatter = new Intl.NumberFormat(resolved, options)
      numberFormats.set(key, formatter)
    }
    return formatter
  }
  const pluralRules = new Map<string, Intl.PluralRules>()
  const listFormats = new Map<string, Intl.ListFormat>()
  const format: LabelFormat = {
    locale: resolved,
    number: (value, options = {}) => numberFormat(options).format(value),
    unit: (value, unit, display = 'short') =>
      numberFormat({ style: 'unit', unit, unitDisplay: display }).format(value),
    plural(count, forms, options = {}) {
      const key = JSON.stringify(options)
      let rules = pluralRules.get(key)
      if (rules === undefined) {
        rules = new Intl.PluralRules(resolved, options)
        pluralRules.set(key, rules)
      }
      const category = rules.select(count)
      const form = Object.hasOwn(forms, category) ? (forms[category] ?? forms.other) : forms.other
      return form.replaceAll('#', format.number(count))
    },
    list(items, type = 'conjunction') {
      let formatter = listFormats.get(type)
      if (formatter === undefined) {
        formatter = new Intl.ListFormat(resolved, { type })
        listFormats.set(type, formatter)
      }
      return formatter.format(items)
    },
  }
  formats.set(locale, format)
  return format
}

/** Keys never copied from an override: an app's labels object is data, never a prototype. */
const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype'])

function isGroup(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `base` with `override` laid over it, group by group: a given string or function replaces
 * the base's, `undefined` keeps it, nested groups merge. Returns `base` itself when the
 * override changes nothing.
 *
 * @example
 * ```ts
 * mergeLabels(defaultLabels, { composer: { send: 'Envoyer' } }).composer // { input: 'Message', send: 'Envoyer', stop: 'Stop' }
 * ```
 */
export function mergeLabels<T extends object>(base: T, override: LabelsOverride<T> | undefined): T {
  if (override === undefined) return base
  let result: Record<string, unknown> | undefined
  const source = base as Record<string, unknown>
  for (const key of Object.keys(override)) {
    if (unsafeKeys.has(key) || !Object.hasOwn(source, key)) continue
    const value = (override as Record<string, unknown>)[key]
    if (value === undefined) continue
    const current = source[key]
    const next = isGroup(current) && isGroup(value) ? mergeLabels(current, value) : value
    if (next === current) continue
    result ??= { ...source }
    result[key] = next
  }
  return (result ?? base) as T
}

/**
 * Labels ready for the components: `base` (English by default) with `override` over it, and
 * the formatter of `locale`.
 *
 * @example
 * ```ts
 * const labels = resolveLabels({ composer: { send: 'إرسال' } }, 'ar')
 * labels.branchPicker.count(2, 3, labels.format) // '٢ / ٣'
 * ```
 */
export function resolveLabels(
  override?: LabelsOverride | undefined,
  locale?: string | undefined,
  base: Labels = englishLabels,
): Labels {
  const format = locale === undefined ? base.format : createLabelFormat(locale)
  const { locale: _locale, format: _format, ...strings } = base
  const merged = mergeLabels<ChatLabels>(strings, override)
  if (merged === strings && format === base.format) return base
  return { ...merged, locale: format.locale, format }
}

/**
 * The English labels with their formatter: what components use without a provider.
 *
 * @example
 * ```ts
 * englishLabels.format.number(1006) // '1,006'
 * ```
 */
export const englishLabels: Labels = { ...defaultLabels, locale: 'en', format: createLabelFormat('en') }
