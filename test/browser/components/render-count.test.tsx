/**
 * Render counts of the real components while one answer streams into a 50-message thread: a
 * memoised component that re-renders because of an unstable prop or name is a bug users feel as
 * jank, and nothing else in the suite would notice it.
 *
 * What is counted, per update:
 * - `ChatMessage` renders per message id, with React's `<Profiler>`: the module is wrapped (below)
 *   in a `memo` with the same default comparison as the real `ChatMessage`, whose subtree sits in
 *   a `<Profiler id={message.id}>`, so `MessageList`'s own default rows are measured unchanged.
 * - part renders per message (`renderPart` is called by every `MessagePartView` render);
 * - markdown paragraph renders (a counting `p` in `markdown.components`): a paragraph of the
 *   answer may render while it is the growing tail and once more when it becomes final, never
 *   after.
 */
import { type ChatEvent, createChat, createChatStore, type Message, type MessagePart } from '@sluice/core'
import { Children, type ComponentProps, type ReactNode, useCallback } from 'react'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import type {
  MessageMarkdownOptions,
  PartRenderer,
} from '../../../packages/react/src/components/message-part-view.tsx'
import { type UseStreamingChatResult, useStreamingChat } from '../../../packages/react/src/hooks/index.ts'
import { controlledFetch, nextFrames } from './helpers.ts'

const counters = vi.hoisted(() => ({
  /** ChatMessage commits per message id (Profiler `onRender` calls). */
  messages: new Map<string, number>(),
  /** MessagePartView renders per message id (from the part id, `<message id>/<part>`). */
  parts: new Map<string, number>(),
  /** Paragraph renders per paragraph label (`A7` for the answer's 7th, `m12` for history). */
  paragraphs: new Map<string, number>(),
}))

vi.mock('../../../packages/react/src/components/chat-message.tsx', async (importOriginal) => {
  const actual =
    await importOriginal<typeof import('../../../packages/react/src/components/chat-message.tsx')>()
  const { memo, Profiler, createElement } = await import('react')
  const onRender = (id: string) => counters.messages.set(id, (counters.messages.get(id) ?? 0) + 1)
  // Same memo comparison as the real `ChatMessage` (its exported comparator), so this wrapper
  // re-renders exactly when the real component would.
  const ChatMessage = memo(function CountedChatMessage(props: ComponentProps<typeof actual.ChatMessage>) {
    return createElement(
      Profiler,
      { id: props.message.id, onRender },
      createElement(actual.ChatMessage, props),
    )
  }, actual.chatMessagePropsAreEqual)
  return { ...actual, ChatMessage }
})

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

function resetCounters(): void {
  counters.messages.clear()
  counters.parts.clear()
  counters.paragraphs.clear()
}

afterEach(resetCounters)

/** Counts part renders by message (part ids carry the message id); keeps the default rendering. */
const countParts: PartRenderer = (part) => {
  const id =
    part.type === 'text' || part.type === 'reasoning'
      ? part.id
      : part.type === 'tool-call'
        ? part.toolCallId
        : undefined
  if (id !== undefined) bump(counters.parts, id.split('/')[0] ?? id)
  return undefined
}

/** A `p` that counts its renders by the label its text starts with (`A7`, `m12`). */
function CountingParagraph(props: ComponentProps<'p'>) {
  const first = Children.toArray(props.children)[0]
  const label = typeof first === 'string' ? /^(A\d+|m\d+)\b/.exec(first)?.[1] : undefined
  bump(counters.paragraphs, label ?? '?')
  return <p {...props} />
}

/** Module scope, for the chat test; the `useStreamingChat` test writes its options inline. */
const markdown: MessageMarkdownOptions = { components: { p: CountingParagraph } }

const HISTORY_SIZE = 50
const PARAGRAPHS = 12

/** 50 earlier messages of mixed kinds: questions, markdown answers with lists and code, tool calls, reasoning. */
function history(): Message[] {
  return Array.from({ length: HISTORY_SIZE }, (_, index): Message => {
    const id = `m${index}`
    if (index % 2 === 0) {
      return {
        id,
        role: 'user',
        status: 'complete',
        parts: [{ type: 'text', id: `${id}/text`, text: `${id} question number ${index}?`, state: 'done' }],
      }
    }
    const parts: MessagePart[] = []
    if (index % 5 === 1) {
      parts.push({
        type: 'reasoning',
        id: `${id}/reasoning`,
        text: `${id} thinking about it.`,
        state: 'done',
        startedAt: 0,
        endedAt: 2000,
      })
    }
    if (index % 3 === 0) {
      parts.push({
        type: 'tool-call',
        toolCallId: `${id}/call`,
        toolName: 'search',
        state: 'output-available',
        inputText: '{"query":"weather"}',
        input: { query: 'weather' },
        output: { temperature: 18 },
      })
    }
    parts.push({
      type: 'text',
      id: `${id}/text`,
      text: `${id} answer with **bold** text.\n\n- one\n- two\n\n\`\`\`ts\nconst value${index} = ${index}\n\`\`\`\n\n${id} closing words.`,
      state: 'done',
    })
    return { id, role: 'assistant', status: 'complete', parts }
  })
}

/**
 * The answer, as word-sized chunks: 12 paragraphs of 12 words (`A1 …`, bold in the middle), a
 * list after the 6th. A paragraph's label always arrives whole, in its first chunk.
 */
function answerChunks(): string[] {
  const chunks: string[] = []
  for (let paragraph = 1; paragraph <= PARAGRAPHS; paragraph++) {
    if (paragraph > 1) chunks.push('\n\n')
    const words = [
      `A${paragraph}`,
      'the',
      'answer',
      'goes',
      '**on',
      'and**',
      'on',
      'with',
      'more',
      'words',
      'than',
      'before.',
    ]
    chunks.push(...words.map((word, index) => (index === 0 ? word : ` ${word}`)))
    if (paragraph === 6) chunks.push('\n\n- first item', '\n- second item')
  }
  return chunks
}

/** The label of the last paragraph present in `text` (the growing tail), e.g. `A7`. */
function tailParagraph(text: string): number {
  const labels = [...text.matchAll(/(?:^|\n\n)A(\d+)\b/g)]
  return Number(labels.at(-1)?.[1] ?? 0)
}

interface Update {
  /** The answer's text after the update. */
  text: string
  messages: Map<string, number>
  parts: Map<string, number>
  paragraphs: Map<string, number>
}

function snapshot(text: string): Update {
  const update = {
    text,
    messages: new Map(counters.messages),
    parts: new Map(counters.parts),
    paragraphs: new Map(counters.paragraphs),
  }
  resetCounters()
  return update
}

/** Every per-update expectation of the streaming phase, collected so one failure shows them all. */
function problemsOf(updates: readonly Update[], answerId: string): string[] {
  const problems: string[] = []
  const finishedRenders = new Map<number, number>()
  for (const [index, update] of updates.entries()) {
    const at = `update ${index + 1} ("…${update.text.slice(-12).replace(/\n/g, '⏎')}")`
    const rendered = [...update.messages.keys()]
    if (rendered.join() !== answerId)
      problems.push(`${at}: ChatMessage rendered for [${rendered.join(', ')}]`)
    // History part ids are `<message id>/<part>`; the answer's part id is the protocol's own.
    const earlierParts = [...update.parts.keys()].filter((owner) => /^m\d+$/.test(owner))
    if (earlierParts.length > 0)
      problems.push(`${at}: parts of earlier messages rendered: [${earlierParts.join(', ')}]`)
    const tail = tailParagraph(update.text)
    for (const [label, count] of update.paragraphs) {
      const number = label.startsWith('A') ? Number(label.slice(1)) : Number.NaN
      if (Number.isNaN(number)) {
        problems.push(`${at}: paragraph "${label}" (not the answer's) rendered ${count}×`)
      } else if (number < tail) {
        // A finished paragraph: allowed to render once, when it stops being the tail.
        finishedRenders.set(number, (finishedRenders.get(number) ?? 0) + count)
        if (number < tail - 1)
          problems.push(`${at}: finished paragraph A${number} rendered (the tail is A${tail})`)
      }
    }
  }
  // The counters really see the answer's paragraphs: each one rendered while it grew.
  const seen = new Set(updates.flatMap((update) => [...update.paragraphs.keys()]))
  for (let number = 1; number <= PARAGRAPHS; number++)
    if (!seen.has(`A${number}`))
      problems.push(`paragraph A${number} never rendered: the counting \`p\` saw nothing`)
  for (const [number, count] of finishedRenders)
    if (count > 1)
      problems.push(
        `paragraph A${number} rendered ${count}× after it was finished (at most once: when it becomes final)`,
      )
  return problems
}

/**
 * A screen over `useStreamingChat` on a text stream the test feeds, with the history already in
 * it; `Thread` draws the messages. `box.send` sends from the test.
 */
function chatScreen(Thread: (props: { chat: UseStreamingChatResult }) => ReactNode) {
  const stream = controlledFetch()
  const box: { send?: (text: string) => Promise<void> } = {}
  const initialMessages = history()
  function Screen() {
    const chat = useStreamingChat({
      api: '/api/chat',
      protocol: 'text',
      fetch: stream.fetch,
      retry: false,
      initialMessages,
    })
    box.send = chat.send
    return <Thread chat={chat} />
  }
  return { stream, box, Screen }
}

function mountedIds(container: HTMLElement): string[] {
  return [...container.querySelectorAll('[data-sluice="message"]')].map(
    (element) => element.getAttribute('data-message-id') ?? '',
  )
}

describe('render counts while one answer streams into 50 messages', () => {
  test('chat store + MessageList (selector rows): only the answer re-renders, and only its tail paragraph', async () => {
    const store = createChatStore({ messages: history() })
    const chat = createChat({ api: '/api/chat', protocol: 'text', store })
    const screen = await render(
      <MessageList
        chat={chat}
        markdown={markdown}
        renderPart={countParts}
        overscan={100}
        style={{ height: 3000 }}
      />,
    )
    await nextFrames(3)
    // Every message is mounted, so "0 renders" below is about live rows, not virtualized-away ones.
    expect(mountedIds(screen.container)).toHaveLength(HISTORY_SIZE)
    expect(counters.messages.size).toBe(HISTORY_SIZE)
    resetCounters()

    // The user's question and the answer's placeholder arrive.
    store.getState().apply([
      { type: 'message-start', messageId: 'question', role: 'user' },
      { type: 'text-delta', messageId: 'question', id: 'question/text', delta: 'One more, please.' },
      { type: 'message-end', messageId: 'question' },
      { type: 'message-start', messageId: 'answer' },
    ])
    await nextFrames(3)
    const appended = snapshot('')
    // The previous last message is no longer last (Retry and Resume), so it may render once; no other earlier one.
    expect([...appended.messages.keys()].filter((id) => !['m49', 'question', 'answer'].includes(id))).toEqual(
      [],
    )
    expect(appended.messages.get('m49') ?? 0).toBeLessThanOrEqual(1)

    const updates: Update[] = []
    let text = ''
    for (const delta of answerChunks()) {
      text += delta
      const event: ChatEvent = { type: 'text-delta', messageId: 'answer', id: 'answer/text', delta }
      store.getState().apply([event])
      await nextFrames(2)
      updates.push(snapshot(text))
    }
    store.getState().apply([{ type: 'message-end', messageId: 'answer', finishReason: 'stop' }])
    await nextFrames(3)
    const ended = snapshot(text)

    expect(screen.container.querySelector('[data-message-id="answer"]')?.getAttribute('data-status')).toBe(
      'complete',
    )
    expect(screen.container.querySelectorAll('[data-message-id="answer"] p')).toHaveLength(PARAGRAPHS)
    // Every update was seen: the answer rendered for each one.
    expect(updates.filter((update) => (update.messages.get('answer') ?? 0) > 0)).toHaveLength(updates.length)
    expect(problemsOf(updates, 'answer')).toEqual([])
    // The end renders the answer (status, actions) and nothing else: no paragraph re-renders.
    expect([...ended.messages.keys()]).toEqual(['answer'])
    expect([...ended.paragraphs.keys()].filter((label) => label !== `A${PARAGRAPHS}`)).toEqual([])
  })

  test('useStreamingChat + MessageList messages={messages} (a new array per update): only the answer re-renders', async () => {
    const { stream, box, Screen } = chatScreen(function Thread({ chat }) {
      const regenerate = useCallback(() => void chat.regenerate(), [chat.regenerate])
      return (
        <MessageList
          messages={chat.messages}
          onRegenerate={regenerate}
          // Inline, as apps write it: a new object on every render of this screen (every token).
          // MessageList compares markdown options by content; before it did, every row re-rendered.
          markdown={{ components: { p: CountingParagraph } }}
          renderPart={countParts}
          overscan={100}
          style={{ height: 3000 }}
        />
      )
    })
    const screen = await render(<Screen />)
    await nextFrames(3)
    expect(mountedIds(screen.container)).toHaveLength(HISTORY_SIZE)
    resetCounters()

    const sent = box.send!('One more, please.')
    await stream.requested
    await nextFrames(3)
    const ids = mountedIds(screen.container)
    const answerId = ids.at(-1)!
    const questionId = ids.at(-2)!
    const appended = snapshot('')
    expect(
      [...appended.messages.keys()].filter(
        (id) => ![`m${HISTORY_SIZE - 1}`, questionId, answerId].includes(id),
      ),
    ).toEqual([])

    const updates: Update[] = []
    let text = ''
    for (const chunk of answerChunks()) {
      text += chunk
      stream.push(chunk)
      // The chat applies what arrived once per animation frame.
      await nextFrames(2)
      updates.push(snapshot(text))
    }
    stream.close()
    await sent
    await nextFrames(3)
    const ended = snapshot(text)

    expect(
      screen.container.querySelector(`[data-message-id="${answerId}"]`)?.getAttribute('data-status'),
    ).toBe('complete')
    expect(screen.container.querySelectorAll(`[data-message-id="${answerId}"] p`)).toHaveLength(PARAGRAPHS)
    // A frame with no new text would render nothing at all; the chunks here each arrive in their own frame.
    expect(updates.filter((update) => (update.messages.get(answerId) ?? 0) > 0).length).toBeGreaterThan(
      updates.length * 0.9,
    )
    expect(problemsOf(updates, answerId)).toEqual([])
    expect([...ended.messages.keys()]).toEqual([answerId])
  })

  test('useStreamingChat + messages.map(ChatMessage) with inline markdown options: only the answer re-renders', async () => {
    const { stream, box, Screen } = chatScreen(({ chat }) => (
      <div>
        {chat.messages.map((message) => (
          <ChatMessage
            key={message.id}
            message={message}
            // Inline, as apps write it: a new object per render of this screen (every token).
            markdown={{ components: { p: CountingParagraph } }}
            renderPart={countParts}
          />
        ))}
      </div>
    ))
    const screen = await render(<Screen />)
    await nextFrames(3)
    resetCounters()
    const sent = box.send!('One more, please.')
    await stream.requested
    await nextFrames(3)
    const ids = mountedIds(screen.container)
    const answerId = ids.at(-1)!
    resetCounters()
    let text = ''
    const earlierRenders: string[] = []
    for (const chunk of answerChunks()) {
      text += chunk
      stream.push(chunk)
      await nextFrames(2)
      const update = snapshot(text)
      for (const [id, count] of update.messages) if (id !== answerId) earlierRenders.push(`${id}×${count}`)
      resetCounters()
    }
    stream.close()
    await sent
    await nextFrames(3)
    expect(
      screen.container.querySelector(`[data-message-id="${answerId}"]`)?.getAttribute('data-status'),
    ).toBe('complete')
    expect(earlierRenders).toEqual([])
  })
})
