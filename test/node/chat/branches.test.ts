/**
 * Branches: editing a question or regenerating an answer keeps the earlier version; the
 * request carries only the shown path; the tree survives a save (snapshotMessages) and a load
 * (setMessages), including hostile saved data.
 */
import fc from 'fast-check'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  selectBranchInfo,
  selectStreamingBranches,
  snapshotMessages,
} from '../../../packages/core/src/branches.ts'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import type { Transport } from '../../../packages/core/src/chat/transport.ts'
import { type Message, messageText } from '../../../packages/core/src/message.ts'
import {
  activePath,
  appendChild,
  renameInTree,
  treeFromPath,
  treeFromSaved,
} from '../../../packages/core/src/message-tree.ts'
import { createChatStore } from '../../../packages/core/src/store.ts'
import { bodyOf, controlledBody, messagesOf, openaiDelta, openaiFinish, sseHeaders } from './helpers.ts'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const api = 'https://api.test/v1/chat/completions'

/** A server that answers "Take N" to the Nth request and records each request's messages. */
function countingServer(): { bodies: { role: string; content: unknown }[][] } {
  const bodies: { role: string; content: unknown }[][] = []
  server.use(
    http.post(api, async ({ request }) => {
      const body = (await request.json()) as { messages: { role: string; content: unknown }[] }
      bodies.push(body.messages)
      return new HttpResponse(bodyOf(openaiDelta(`Take ${bodies.length}`) + openaiFinish()), {
        headers: sseHeaders,
      })
    }),
  )
  return { bodies }
}

/** A server that answers the first requests with `quick` at once, and the next from `slow`. */
function quickThenSlow(quick: readonly string[]): ReturnType<typeof controlledBody> {
  const slow = controlledBody()
  let turn = 0
  server.use(
    http.post(api, () => {
      const text = quick[turn++]
      const body = text === undefined ? slow.stream : bodyOf(openaiDelta(text) + openaiFinish())
      return new HttpResponse(body, { headers: sseHeaders })
    }),
  )
  return slow
}

const texts = (messages: readonly Message[]) => messages.map((message) => messageText(message))
const contentText = (content: unknown) =>
  typeof content === 'string' ? content : (content as { text: string }[]).map((part) => part.text).join('')

describe('regenerate and edit keep the earlier version', () => {
  it('regenerate makes a second version of the answer; switching shows the first again', async () => {
    const { bodies } = countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    await chat.regenerate()
    const state = chat.getState()
    expect(texts(messagesOf(state))).toEqual(['Hi', 'Take 2'])
    const answer = state.messageIds[1]!
    expect(chat.branches(answer)).toMatchObject({ index: 1, count: 2 })
    chat.switchBranch(answer, 'previous')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Take 1'])
    expect(chat.branches(chat.getState().messageIds[1]!)).toMatchObject({ index: 0, count: 2 })
    // The second request carried only the question, not the first answer.
    expect(bodies[1]!.map((message) => message.role)).toEqual(['user'])
  })

  it('edit makes a second version of the question with its own answer; the old continuation is kept', async () => {
    const { bodies } = countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Paris?')
    await chat.send('And its river?')
    const firstQuestion = chat.getState().messageIds[0]!
    await chat.edit(firstQuestion, 'Lisbon?')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Lisbon?', 'Take 3'])
    // The request for the edit saw the new question only.
    expect(bodies[2]!.map((message) => contentText(message.content))).toEqual(['Lisbon?'])
    chat.switchBranch(chat.getState().messageIds[0]!, 0)
    expect(texts(messagesOf(chat.getState()))).toEqual(['Paris?', 'Take 1', 'And its river?', 'Take 2'])
    chat.switchBranch(firstQuestion, 'next')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Lisbon?', 'Take 3'])
    // A send continues the shown branch, and the request carries exactly that path.
    await chat.send('Its river?')
    expect(bodies[3]!.map((message) => contentText(message.content))).toEqual([
      'Lisbon?',
      'Take 3',
      'Its river?',
    ])
  })

  it('regenerate an earlier answer: a new version of it; the later turns are kept beside it', async () => {
    const { bodies } = countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Paris?')
    await chat.send('And its river?')
    const firstAnswer = chat.getState().messageIds[1]!
    await chat.regenerate(firstAnswer)
    expect(texts(messagesOf(chat.getState()))).toEqual(['Paris?', 'Take 3'])
    // The model saw the conversation up to the question that answer replied to.
    expect(bodies[2]!.map((message) => contentText(message.content))).toEqual(['Paris?'])
    const newAnswer = chat.getState().messageIds[1]!
    expect(chat.branches(newAnswer)).toMatchObject({ index: 1, count: 2 })
    // The first version comes back with its whole continuation.
    chat.switchBranch(newAnswer, 'previous')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Paris?', 'Take 1', 'And its river?', 'Take 2'])
    // A send on the new version continues it.
    chat.switchBranch(chat.getState().messageIds[1]!, 'next')
    await chat.send('Its museums?')
    expect(bodies[3]!.map((message) => contentText(message.content))).toEqual([
      'Paris?',
      'Take 3',
      'Its museums?',
    ])
  })

  it('regenerate of a message that is not an answer says so, and changes nothing', async () => {
    const { bodies } = countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    const before = chat.getState().messageIds
    await expect(chat.regenerate(before[0]!)).rejects.toThrow(
      `regenerate: message "${before[0]}" is a user message. Pass the id of an answer`,
    )
    await expect(chat.regenerate('constructor')).rejects.toThrow(/no message has the id "constructor"/)
    expect(chat.getState().messageIds).toEqual(before)
    expect(bodies).toHaveLength(1)
  })

  it('edit of a message that is not a user message says so', async () => {
    countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    await expect(chat.edit(chat.getState().messageIds[1]!, 'x')).rejects.toThrow(/is an assistant message/)
    await expect(chat.edit('nope', 'x')).rejects.toThrow(/no message has the id "nope"/)
  })

  it('an answer keeps streaming into a version the user switched away from', async () => {
    const slow = quickThenSlow(['First'])
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    const done = chat.regenerate()
    slow.send(openaiDelta('Sec'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const streamingId = chat.getState().messageIds[1]!
    chat.switchBranch(streamingId, 'previous')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'First'])
    // The picker on the shown answer knows that version 2 streams.
    expect(selectStreamingBranches(chat.getState().messageIds[1]!)(chat.getState())).toEqual([1])
    slow.send(openaiDelta('ond') + openaiFinish())
    slow.close()
    await done
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'First'])
    chat.switchBranch(chat.getState().messageIds[1]!, 'next')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Second'])
    expect(chat.getState().messages[streamingId]?.status).toBe('complete')
  })
})

describe('the picker knows a version streams however deep the answer is', () => {
  it('a later turn of version 2 streams while version 1 of the first question is shown', async () => {
    const slow = quickThenSlow(['Take 1', 'Take 2'])
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Hi')
    const question = chat.getState().messageIds[0]!
    await chat.edit(question, 'Hello')
    const done = chat.send('More')
    slow.send(openaiDelta('Deep'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hello', 'Take 2', 'More', 'Deep'])
    const edited = chat.getState().messageIds[0]!
    chat.switchBranch(edited, 'previous')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Take 1'])
    // Version 2 of the first question streams three messages down: its answer's next turn.
    const picker = selectStreamingBranches(chat.getState().messageIds[0]!)
    expect(picker(chat.getState())).toEqual([1])
    slow.send(openaiFinish())
    slow.close()
    await done
    expect(picker(chat.getState())).toEqual([])
  })
})

describe('an answer the server names (WebSocket, Socket.IO)', () => {
  /** A transport like the socket ones: the server names each answer (`srv-N`) in its first frame. */
  function namingTransport(): { transport: Transport; release: () => void } {
    let count = 0
    let release = () => {}
    const transport: Transport = {
      keepsMessageIds: true,
      async *request() {
        count++
        const messageId = `srv-${count}`
        // The second answer's first frame waits until the test lets it go.
        if (count === 2) await new Promise<void>((resolve) => (release = resolve))
        yield { type: 'message-start', messageId }
        yield { type: 'text-delta', messageId, id: 't', delta: `Take ${count}` }
        yield { type: 'message-end', messageId }
      },
    }
    return { transport, release: () => release() }
  }

  it('a regenerated answer stays a version of its turn though the user switched back before its first frame', async () => {
    const { transport, release } = namingTransport()
    const chat = createChat({ api: 'ws://127.0.0.1:1/chat', protocol: 'agent-events', transport })
    await chat.send('Hi')
    expect(chat.getState().messageIds[1]).toBe('srv-1')
    const done = chat.regenerate()
    await new Promise((resolve) => setTimeout(resolve, 10))
    // The placeholder of version 2 is shown; the user goes back to version 1 before any byte.
    chat.switchBranch(chat.getState().messageIds[1]!, 'previous')
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Take 1'])
    release()
    await done
    // Version 1 is still shown, alone on its path: the new answer did not land under it.
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Take 1'])
    expect(chat.branches('srv-1')).toMatchObject({ index: 0, count: 2 })
    chat.switchBranch('srv-1', 'next')
    expect(chat.getState().messageIds).toEqual([chat.getState().messageIds[0], 'srv-2'])
    expect(texts(messagesOf(chat.getState()))).toEqual(['Hi', 'Take 2'])
    expect(chat.getState().messages['srv-2']?.status).toBe('complete')
    // No placeholder is left behind in any branch.
    expect(Object.keys(chat.getState().messages)).toHaveLength(3)
  })
})

describe('saving and loading the tree', () => {
  it('snapshotMessages → setMessages restores every version and the shown path', async () => {
    countingServer()
    const chat = createChat({ api, protocol: 'openai-chat' })
    await chat.send('Paris?')
    await chat.regenerate()
    await chat.edit(chat.getState().messageIds[0]!, 'Lisbon?')
    chat.switchBranch(chat.getState().messageIds[0]!, 'previous')
    const saved = JSON.parse(JSON.stringify(snapshotMessages(chat.getState()))) as Message[]
    expect(saved).toHaveLength(5)
    const reloaded = createChat({ api, protocol: 'openai-chat', initialMessages: saved })
    expect(texts(messagesOf(reloaded.getState()))).toEqual(texts(messagesOf(chat.getState())))
    const answer = reloaded.getState().messageIds[1]!
    expect(reloaded.branches(answer)).toMatchObject({ index: 1, count: 2 })
    expect(reloaded.branches(reloaded.getState().messageIds[0]!)).toMatchObject({ index: 0, count: 2 })
    // The live messages carry no saved-form fields.
    expect('parentId' in reloaded.getState().messages[answer]!).toBe(false)
  })

  it('a history saved without tree fields loads as one path', () => {
    const store = createChatStore({
      messages: [
        { id: 'u1', role: 'user', status: 'complete', parts: [] },
        { id: 'a1', role: 'assistant', status: 'complete', parts: [] },
      ],
    })
    expect(store.getState().messageIds).toEqual(['u1', 'a1'])
  })

  it('hostile saved data: prototype ids, cycles and a 20,000-deep chain load without throwing', () => {
    const message = (id: string, parentId?: string | null): Message => ({
      id,
      role: 'user',
      status: 'complete',
      parts: [],
      ...(parentId !== undefined ? { parentId } : {}),
    })
    const cyclic = [
      message('__proto__', 'constructor'),
      message('constructor', '__proto__'),
      message('x', 'x'),
    ]
    const store = createChatStore({ messages: cyclic })
    expect(new Set(snapshotMessages(store.getState()).map((saved) => saved.id))).toEqual(
      new Set(['__proto__', 'constructor', 'x']),
    )
    expect(({} as Record<string, unknown>).parentId).toBeUndefined()
    const deep = Array.from({ length: 20_000 }, (_, index) => message(`m${index}`))
    const started = performance.now()
    const deepStore = createChatStore({ messages: deep })
    expect(deepStore.getState().messageIds).toHaveLength(20_000)
    expect(snapshotMessages(deepStore.getState())).toHaveLength(20_000)
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})

describe('tree invariants under random operations (property)', () => {
  type Operation =
    | { kind: 'append' }
    | { kind: 'branch'; at: number }
    | { kind: 'switch'; at: number; to: number }
    | { kind: 'remove'; at: number }
    | { kind: 'reload' }
  const operation: fc.Arbitrary<Operation> = fc.oneof(
    fc.constant({ kind: 'append' as const }),
    fc.record({ kind: fc.constant('branch' as const), at: fc.nat(40) }),
    fc.record({ kind: fc.constant('switch' as const), at: fc.nat(40), to: fc.nat(5) }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat(40) }),
    fc.constant({ kind: 'reload' as const }),
  )

  it('the shown path is a root-to-leaf chain of known messages; a save and load keeps it exactly', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        let store = createChatStore()
        let next = 0
        const add = () =>
          store.getState().upsertMessage({ id: `m${next++}`, role: 'user', status: 'complete', parts: [] })
        for (const step of operations) {
          const ids = store.getState().messageIds
          if (step.kind === 'append') add()
          else if (step.kind === 'branch' && ids.length > 0) {
            store.getState().openBranchBeside(ids[step.at % ids.length]!)
            add()
          } else if (step.kind === 'switch' && ids.length > 0) {
            const info = selectBranchInfo(ids[step.at % ids.length]!)(store.getState())
            store.getState().showBranch(info.siblingIds[step.to % info.count]!)
          } else if (step.kind === 'remove' && ids.length > 0)
            store.getState().removeMessage(ids[step.at % ids.length]!)
          else if (step.kind === 'reload') {
            const saved = JSON.parse(JSON.stringify(snapshotMessages(store.getState()))) as Message[]
            const before = store.getState().messageIds
            store = createChatStore({ messages: saved })
            expect(store.getState().messageIds).toEqual(before)
          }
          const state = store.getState()
          const { tree } = state
          // The shown path: each message the child of the one before it, ending at a leaf.
          state.messageIds.forEach((id, index) => {
            expect(tree.parent.get(id) ?? null).toBe(index === 0 ? null : state.messageIds[index - 1])
            expect(Object.hasOwn(state.messages, id)).toBe(true)
          })
          const last = state.messageIds.at(-1) ?? null
          if (last === null) expect(tree.parent.size).toBe(0)
          else expect(tree.children.get(last) ?? []).toHaveLength(0)
          // Every message is in the tree and nothing is lost.
          expect(tree.parent.size).toBe(Object.keys(state.messages).length)
          expect(snapshotMessages(state)).toHaveLength(tree.parent.size)
        }
      }),
      { seed: 20261202, numRuns: 300 },
    )
  })

  it('treeFromSaved never hangs or throws on any parentId graph', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'constructor', ''),
            parentId: fc.option(fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'constructor', '', 'zz'), {
              nil: undefined,
            }),
            inactiveBranch: fc.option(fc.boolean(), { nil: undefined }),
          }),
          { maxLength: 20 },
        ),
        (saved) => {
          const tree = treeFromSaved(saved)
          const path = activePath(tree)
          expect(new Set(path).size).toBe(path.length)
          for (const id of path) expect(tree.parent.has(id)).toBe(true)
        },
      ),
      { seed: 7, numRuns: 500 },
    )
  })

  it('appendChild keeps the input tree untouched (structural sharing, no mutation)', () => {
    const tree = treeFromPath(['u1', 'a1'])
    const next = appendChild(tree, 'u1', 'a2')
    expect(activePath(tree)).toEqual(['u1', 'a1'])
    expect(activePath(next)).toEqual(['u1', 'a2'])
  })

  it('renameInTree keeps the place: the same parent, the same order of versions, the same shown one, the children', () => {
    // u1 has two answers, a1 (hidden) and a2 (shown, followed by u2).
    const tree = appendChild(appendChild(treeFromPath(['u1', 'a1']), 'u1', 'a2'), 'a2', 'u2')
    const renamed = renameInTree(tree, 'a2', 'srv')
    expect(activePath(renamed)).toEqual(['u1', 'srv', 'u2'])
    expect(renamed.children.get('u1')).toEqual(['a1', 'srv'])
    expect(renamed.parent.get('u2')).toBe('srv')
    expect(activePath(tree)).toEqual(['u1', 'a2', 'u2'])
    // A hidden version keeps its place and stays hidden.
    const hidden = renameInTree(tree, 'a1', 'srv')
    expect(activePath(hidden)).toEqual(['u1', 'a2', 'u2'])
    expect(hidden.children.get('u1')).toEqual(['srv', 'a2'])
    // Unknown ids and taken names change nothing.
    expect(renameInTree(tree, 'nope', 'srv')).toBe(tree)
    expect(renameInTree(tree, 'a1', 'u2')).toBe(tree)
  })
})

describe('feedback', () => {
  it('setFeedback keeps the rating on the message, reports it, clears it, and it is saved', async () => {
    countingServer()
    const seen: (string | undefined)[] = []
    const chat = createChat({
      api,
      protocol: 'openai-chat',
      onFeedback: (_message, feedback) => seen.push(feedback),
    })
    await chat.send('Hi')
    const answer = chat.getState().messageIds[1]!
    chat.setFeedback(answer, 'positive')
    expect(chat.getState().messages[answer]?.feedback).toBe('positive')
    expect(snapshotMessages(chat.getState())[1]?.feedback).toBe('positive')
    chat.setFeedback(answer, undefined)
    expect('feedback' in chat.getState().messages[answer]!).toBe(false)
    expect(seen).toEqual(['positive', undefined])
    expect(() => chat.setFeedback('missing', 'negative')).toThrow(/no message has the id "missing"/)
  })
})
