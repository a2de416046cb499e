/**
 * The labels object in Chromium, by role: strings given to a `ChatProvider`, a `LabelsProvider`
 * or a component's `labels` prop reach the accessible names (component over provider over the
 * English defaults, nested providers merged); plurals follow `Intl.PluralRules` of the locale
 * (English, Polish, Arabic) and numbers its digits and separators.
 */
import { createChat, type ReasoningPart, type ToolCallPart } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { BranchPicker } from '../../../packages/react/src/components/branch-picker.tsx'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { Composer } from '../../../packages/react/src/components/composer.tsx'
import { FeedbackButtons } from '../../../packages/react/src/components/feedback-buttons.tsx'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import { Reasoning } from '../../../packages/react/src/components/reasoning.tsx'
import { ToolCallCard } from '../../../packages/react/src/components/tool-call-card.tsx'
import { ChatProvider, LabelsProvider } from '../../../packages/react/src/hooks/chat-context.tsx'
import {
  createLabelFormat,
  defaultLabels,
  type LabelFormat,
  type LabelsOverride,
} from '../../../packages/react/src/labels.ts'
import { Markdown } from '../../../packages/react/src/markdown/index.ts'
import '../../../packages/react/src/theme.css'
import { expectNoAxeViolations, makeMessage, text } from './helpers.ts'

function reasoning(seconds: number): ReasoningPart {
  return {
    type: 'reasoning',
    id: `r${seconds}`,
    text: 'Hmm.',
    state: 'done',
    startedAt: 0,
    endedAt: seconds * 1000,
  }
}

const german = {
  composer: { input: 'Nachricht', send: 'Senden' },
  messageList: { log: 'Verlauf' },
  message: { copy: 'Kopieren' },
  attachments: {
    attach: 'Dateien anhängen',
    list: 'Anhänge',
    remove: (name: string) => `${name} entfernen`,
  },
} satisfies LabelsOverride

describe('overrides reach the accessible names', () => {
  test('ChatProvider labels: the composer, the log, the rows and the attachments; the rest stays English', async () => {
    const chat = createChat({ api: '/api/chat', protocol: 'text', retry: false })
    chat.setMessages([
      { id: 'u1', role: 'user', status: 'complete', parts: [text('t1', 'Hallo')] },
      makeMessage('a1', 'complete', [text('t2', 'Guten Tag!')]),
    ])
    const screen = await render(
      <ChatProvider chat={chat} labels={german}>
        <div style={{ height: 400, display: 'flex', flexDirection: 'column' }}>
          <MessageList />
          <Composer attachments />
        </div>
      </ChatProvider>,
    )
    await expect.element(screen.getByRole('textbox', { name: 'Nachricht' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Senden' })).toBeVisible()
    await expect.element(screen.getByRole('log', { name: 'Verlauf' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Kopieren' }).first()).toBeInTheDocument()
    // Not overridden: the English default.
    await expect.element(screen.getByRole('button', { name: 'Regenerate' })).toBeInTheDocument()
    await expect.element(screen.getByRole('button', { name: 'Dateien anhängen' })).toBeVisible()
    const input = screen.container.querySelector<HTMLInputElement>('input[type="file"]')
    const file = new File([new Uint8Array(8)], 'punkt.png', { type: 'image/png' })
    const transfer = new DataTransfer()
    transfer.items.add(file)
    if (input === null) throw new Error('the file input is missing')
    input.files = transfer.files
    input.dispatchEvent(new Event('change', { bubbles: true }))
    await expect.element(screen.getByRole('list', { name: 'Anhänge' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'punkt.png entfernen' })).toBeVisible()
    await expectNoAxeViolations(screen.container)
  })

  test('a component prop wins over the provider, which wins over the defaults; nested providers merge', async () => {
    const screen = await render(
      <LabelsProvider labels={{ feedback: { positive: 'Gut' }, composer: { send: 'Envoyer' } }}>
        <LabelsProvider labels={{ composer: { stop: 'Arrêter' } }}>
          <FeedbackButtons value={undefined} onChange={() => {}} labels={{ negative: 'Schlecht' }} />
          <FeedbackButtons value="positive" onChange={() => {}} data-testid="second" />
          <Composer onSend={() => {}} />
          <Composer
            status="streaming"
            onSend={() => {}}
            onStop={() => {}}
            labels={{ composer: { input: 'Question' } }}
          />
        </LabelsProvider>
      </LabelsProvider>,
    )
    // Prop ("Schlecht") over nothing; provider ("Gut") where the prop gives nothing.
    await expect.element(screen.getByRole('button', { name: 'Schlecht' })).toBeVisible()
    expect(screen.getByRole('button', { name: 'Gut' }).elements()).toHaveLength(2)
    await expect.element(screen.getByRole('button', { name: 'Bad response' })).toBeVisible()
    // The inner provider kept the outer one's Send and added its Stop.
    await expect.element(screen.getByRole('button', { name: 'Envoyer' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Arrêter' })).toBeVisible()
    await expect.element(screen.getByRole('textbox', { name: 'Question' })).toBeVisible()
    await expect.element(screen.getByRole('textbox', { name: 'Message' })).toBeVisible()
  })

  test('strings a prop names directly (Composer label) still win; the code block and the branch picker take labels too', async () => {
    const screen = await render(
      <LabelsProvider
        labels={{
          codeBlock: { copyCode: 'Code kopieren', copy: 'Kopieren' },
          branchPicker: { group: 'Versionen', previous: 'Vorherige', next: 'Nächste' },
        }}
      >
        <Composer onSend={() => {}} label="Frage" />
        <Markdown>{'```ts\nconst a = 1\n```'}</Markdown>
        <BranchPicker index={0} count={2} onSwitch={() => {}} labels={{ next: 'Weiter' }} />
      </LabelsProvider>,
    )
    await expect.element(screen.getByRole('textbox', { name: 'Frage' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Code kopieren' })).toHaveTextContent('Kopieren')
    const group = screen.getByRole('group', { name: 'Versionen' })
    await expect.element(group.getByRole('button', { name: 'Vorherige' })).toBeDisabled()
    await expect.element(group.getByRole('button', { name: 'Weiter' })).toBeEnabled()
    await expect.element(group).toHaveTextContent('1 / 2')
  })

  test('the English defaults are the DOM contract names', () => {
    expect(defaultLabels.composer).toEqual({ input: 'Message', send: 'Send', stop: 'Stop' })
    expect(defaultLabels.status.retry).toBe('Retry')
    const format = createLabelFormat('en')
    expect([
      defaultLabels.branchPicker.group,
      defaultLabels.branchPicker.previous,
      defaultLabels.branchPicker.next,
      defaultLabels.branchPicker.count(2, 3, format),
      defaultLabels.queue.list,
      defaultLabels.queue.remove,
      defaultLabels.queue.sendNow,
      defaultLabels.feedback.positive,
      defaultLabels.feedback.negative,
      defaultLabels.suggestions.group,
      defaultLabels.attachments.attach,
      defaultLabels.attachments.list,
      defaultLabels.attachments.remove('a.png', format),
      defaultLabels.messageList.jumpToLatest,
    ]).toEqual([
      'Versions',
      'Previous version',
      'Next version',
      '2 / 3',
      'Queued messages',
      'Remove',
      'Send now',
      'Good response',
      'Bad response',
      'Suggestions',
      'Attach files',
      'Attachments',
      'Remove a.png',
      'Jump to latest',
    ])
  })
})

describe('plurals through Intl.PluralRules, numbers through Intl.NumberFormat', () => {
  const thoughtFor = (words: (seconds: number, format: LabelFormat) => string) => ({
    reasoning: { thoughtFor: words },
  })

  test('English: "Thought for 1 second" / "2 seconds", by plural forms and by Intl units', async () => {
    const byForms = thoughtFor(
      (seconds, format) => `Thought for ${format.plural(seconds, { one: '# second', other: '# seconds' })}`,
    )
    const byUnit = thoughtFor((seconds, format) => `Took ${format.unit(seconds, 'second', 'long')}`)
    const screen = await render(
      <>
        <LabelsProvider labels={byForms}>
          <Reasoning part={reasoning(1)} />
          <Reasoning part={reasoning(2)} />
        </LabelsProvider>
        <LabelsProvider labels={byUnit}>
          <Reasoning part={reasoning(1)} />
          <Reasoning part={reasoning(2)} />
        </LabelsProvider>
      </>,
    )
    await expect.element(screen.getByRole('button', { name: /Thought for 1 second$/ })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Thought for 2 seconds' })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: /Took 1 second$/ })).toBeVisible()
    await expect.element(screen.getByRole('button', { name: 'Took 2 seconds' })).toBeVisible()
  })

  test('Polish: one, few and many forms (1 sekunda, 2 sekundy, 5 sekund, 22 sekundy)', async () => {
    const polish = thoughtFor(
      (seconds, format) =>
        `Myślenie: ${format.plural(seconds, { one: '# sekunda', few: '# sekundy', many: '# sekund', other: '# sekundy' })}`,
    )
    const screen = await render(
      <LabelsProvider labels={polish} locale="pl">
        {[1, 2, 5, 22].map((seconds) => (
          <Reasoning key={seconds} part={reasoning(seconds)} />
        ))}
      </LabelsProvider>,
    )
    const names = screen
      .getByRole('button')
      .elements()
      .map((button) => button.textContent)
    expect(names).toEqual([
      'Myślenie: 1 sekunda',
      'Myślenie: 2 sekundy',
      'Myślenie: 5 sekund',
      'Myślenie: 22 sekundy',
    ])
  })

  test('Arabic: zero, one, two, few, many and other, in Arabic-Indic digits', async () => {
    const forms = {
      zero: 'zero #',
      one: 'one #',
      two: 'two #',
      few: 'few #',
      many: 'many #',
      other: 'other #',
    }
    const arabic = { step: { step: (step: number, format: LabelFormat) => format.plural(step, forms) } }
    const steps = [0, 1, 2, 3, 11, 100]
    const message = makeMessage(
      'a1',
      'complete',
      steps.map((step) => ({ type: 'step-start' as const, stepId: `iteration-${step}` })),
    )
    const screen = await render(
      <ChatProvider chat={createChat({ api: '/api/chat', protocol: 'text' })} labels={arabic} locale="ar-EG">
        <ChatMessage message={message} />
      </ChatProvider>,
    )
    const digits = new Intl.NumberFormat('ar-EG')
    const names = screen
      .getByRole('separator')
      .elements()
      .map((element) => element.getAttribute('aria-label'))
    expect(names).toEqual(
      ['zero', 'one', 'two', 'few', 'many', 'other'].map(
        (form, index) => `${form} ${digits.format(steps[index] ?? 0)}`,
      ),
    )
    // The digits are the locale's own: "٣", not "3".
    expect(names[3]).toBe('few ٣')
  })

  test('a locale alone formats the English words\' numbers: "took 1,2 s" in German, "Version ٢ of ٣" in Arabic', async () => {
    const tool: ToolCallPart = {
      type: 'tool-call',
      toolCallId: 'call_1',
      toolName: 'get_weather',
      state: 'output-available',
      inputText: '{}',
      input: {},
      output: 'sunny',
    }
    const screen = await render(
      <>
        <LabelsProvider locale="de">
          <ToolCallCard part={tool} executionTimeMs={1234} />
        </LabelsProvider>
        <LabelsProvider locale="ar-EG">
          <BranchPicker index={1} count={3} onSwitch={() => {}} />
        </LabelsProvider>
      </>,
    )
    await expect.element(screen.getByRole('button', { name: /get_weather/ })).toHaveTextContent('took 1,2 s')
    await expect.element(screen.getByRole('group', { name: 'Versions' })).toHaveTextContent('٢ / ٣')
    await screen.getByRole('button', { name: 'Next version' }).click()
    await expect
      .poll(() => screen.container.querySelector('[data-sluice="branch-picker-announcer"]')?.textContent)
      .toBe('Version ٣ of ٣')
  })
})
