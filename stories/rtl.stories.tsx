import {
  BranchPicker,
  ChatMessage,
  Composer,
  FeedbackButtons,
  type FeedbackValue,
  type LabelsOverride,
  LabelsProvider,
  type QueuedItem,
  QueuedMessages,
  Suggestions,
} from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, waitFor } from 'storybook/test'
import { message, reasoningPart, textPart, toolCallPart } from './support/messages.ts'

/**
 * Arabic labels for every component: plurals through `format.plural` / `format.unit`
 * (`Intl.PluralRules`: Arabic has zero, one, two, few, many and other), numbers in the
 * locale's digits.
 */
const arabic = {
  composer: { input: 'رسالة', send: 'إرسال', stop: 'إيقاف' },
  messageList: { log: 'الرسائل', jumpToLatest: 'الانتقال إلى الأحدث' },
  announcements: {
    complete: 'اكتملت الإجابة.',
    error: (reason) => `فشلت الإجابة: ${reason}`,
    unknownError: 'خطأ غير معروف',
    interrupted: 'انقطعت الإجابة.',
    cancelled: 'أُوقفت الإجابة.',
  },
  message: {
    author: { user: 'أنت', assistant: 'المساعد', system: 'النظام', tool: 'أداة' },
    copy: 'نسخ',
    copied: 'تم النسخ',
    edit: 'تعديل',
    regenerate: 'إعادة التوليد',
  },
  editor: { input: 'تعديل الرسالة', cancel: 'إلغاء', resend: 'إعادة الإرسال' },
  status: {
    error: 'حدث خطأ أثناء كتابة هذه الإجابة.',
    interrupted: 'انقطع الاتصال قبل اكتمال الإجابة.',
    cancelled: 'أُوقفت',
    retry: 'إعادة المحاولة',
    resume: 'متابعة',
  },
  reasoning: {
    thinking: 'يفكّر…',
    reasoning: 'التفكير',
    thoughtFor: (seconds, format) => `فكّر لمدة ${format.unit(seconds, 'second', 'long')}`,
  },
  tool: {
    inputStreaming: 'تحضير المدخلات',
    inputAvailable: 'جاهز للتشغيل',
    running: (seconds, format) => `قيد التشغيل ${format.unit(seconds, 'second', 'long')}`,
    done: 'تم',
    doneIn: (seconds, format) => `تم خلال ${format.unit(seconds, 'second', 'long')}`,
    failed: 'فشل',
    cancelled: 'أُلغي',
    took: (milliseconds, format) => `استغرق ${format.unit(milliseconds, 'millisecond', 'short')}`,
    input: 'المدخلات',
    output: 'المخرجات',
    error: 'فشلت الأداة.',
  },
  typingIndicator: { label: 'بانتظار الإجابة' },
  step: {
    step: (step, format) => `الخطوة ${format.number(step)}`,
    stepOf: (step, count, format) => `الخطوة ${format.number(step)} من ${format.number(count)}`,
  },
  branchPicker: {
    group: 'النسخ',
    previous: 'النسخة السابقة',
    next: 'النسخة التالية',
    announce: (current, count, format) => `النسخة ${format.number(current)} من ${format.number(count)}`,
  },
  queue: {
    list: 'الرسائل المنتظرة',
    remove: 'إزالة',
    sendNow: 'إرسال الآن',
    edit: 'تعديل',
    editInput: 'تعديل الرسالة المنتظرة',
    save: 'حفظ',
    cancel: 'إلغاء',
    moveUp: 'نقل إلى الأعلى',
    moveDown: 'نقل إلى الأسفل',
    clear: 'مسح قائمة الانتظار',
  },
  feedback: { positive: 'إجابة جيدة', negative: 'إجابة سيئة' },
  suggestions: { group: 'اقتراحات' },
  attachments: {
    attach: 'إرفاق ملفات',
    list: 'المرفقات',
    remove: (name) => `إزالة ${name}`,
    attached: (name) => `أُرفق ${name}`,
    removed: (name) => `أُزيل ${name}`,
    uploading: (name) => `جارٍ رفع ${name}`,
    drop: 'أفلت الملفات لإرفاقها',
    tooMany: (name, max, format) =>
      `لم يُرفق ${name}: ${format.plural(max, {
        zero: 'لا يمكن إرفاق أي ملف.',
        one: 'يمكن إرفاق ملف واحد على الأكثر.',
        two: 'يمكن إرفاق ملفين على الأكثر.',
        few: 'يمكن إرفاق # ملفات على الأكثر.',
        many: 'يمكن إرفاق # ملفًا على الأكثر.',
        other: 'يمكن إرفاق # ملف على الأكثر.',
      })}`,
  },
  file: { unnamed: 'ملف', loadImage: 'تحميل الصورة', imageFailed: 'تعذّر تحميل الصورة.' },
  codeBlock: { copyCode: 'نسخ الشيفرة', copy: 'نسخ', copied: 'تم النسخ', failed: 'تعذّر النسخ' },
} satisfies LabelsOverride

const question = message('question-1', 'user', 'complete', [textPart('ما طول نهر النيل؟')])
const answer = message('answer-1', 'assistant', 'complete', [
  reasoningPart('يسأل المستخدم عن طول النيل. أتحقق من المصدر.', 'done', 2),
  { ...toolCallPart('output-available'), toolName: 'search' },
  textPart(
    'يبلغ طول **نهر النيل** نحو ٦٬٦٥٠ كيلومترًا، وهو من أطول أنهار العالم.\n\n```python\nlength_km = 6650\n```',
  ),
])
const followUp = message('question-2', 'user', 'complete', [textPart('وكم دولة يمر بها؟')])
const streaming = message('answer-2', 'assistant', 'streaming', [
  textPart('يمر النيل بإحدى عشرة دولة، منها', 'streaming', 'text-2'),
])

function RightToLeftThread({ onSend }: { onSend: (text: string) => void }) {
  const [version, setVersion] = useState(1)
  const [feedback, setFeedback] = useState<FeedbackValue | undefined>('positive')
  const [queue, setQueue] = useState<QueuedItem[]>([{ id: 'queued-1', text: 'وما أطول نهر في آسيا؟' }])
  return (
    <div dir="rtl" lang="ar" style={{ maxWidth: 720, marginInline: 'auto' }}>
      <LabelsProvider labels={arabic} locale="ar-EG">
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <ChatMessage message={question} />
          <ChatMessage message={answer} onRegenerate={() => {}}>
            <BranchPicker index={version} count={3} onSwitch={setVersion} />
            <FeedbackButtons value={feedback} onChange={setFeedback} />
          </ChatMessage>
          <Suggestions suggestions={['أعطني مثالًا', 'لخّص في سطر واحد']} onSelect={onSend} />
          <ChatMessage message={followUp} onEdit={() => {}} />
          <ChatMessage message={streaming} />
          <ChatMessage message={message('answer-3', 'assistant', 'pending', [])} />
          <QueuedMessages
            items={queue}
            onRemove={(id) => setQueue((items) => items.filter((item) => item.id !== id))}
            onSendNow={(id) => setQueue((items) => items.filter((item) => item.id !== id))}
          />
          <Composer onSend={onSend} status="streaming" onStop={() => {}} queue attachments />
        </div>
      </LabelsProvider>
    </div>
  )
}

/**
 * Right to left: a whole thread (reasoning, a tool card, markdown with code, the branch picker,
 * feedback, suggestions, a streaming answer, the typing indicator, the queue and the composer)
 * in `dir="rtl"` with Arabic labels and the `ar-EG` locale. The user's bubbles sit on the left,
 * the answers start on the right, the chevrons point the other way.
 */
const meta = {
  title: 'Theme/Right to left',
  component: RightToLeftThread,
  args: { onSend: fn() },
  parameters: { layout: 'padded' },
} satisfies Meta<typeof RightToLeftThread>

export default meta
type Story = StoryObj<typeof meta>

/** Every component in Arabic, mirrored; switching a version announces it in Arabic digits. */
export const ArabicThread: Story = {
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    await expect(canvas.getByRole('textbox', { name: 'رسالة' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'إرسال' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'إيقاف' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'إرفاق ملفات' })).toBeInTheDocument()
    await expect(canvas.getByRole('list', { name: 'الرسائل المنتظرة' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'إجابة جيدة' })).toHaveAttribute('aria-pressed', 'true')
    await expect(canvas.getByRole('status')).toHaveTextContent('بانتظار الإجابة')
    await expect(canvas.getByRole('button', { name: /فكّر لمدة/ })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'نسخ الشيفرة' })).toBeInTheDocument()

    // Mirrored: the question's bubble ends on the left, the answer starts on the right.
    const bubble = canvasElement
      .querySelector('[data-message-id="question-1"] [data-sluice="message-content"]')
      ?.getBoundingClientRect()
    const thread = canvasElement.querySelector('[dir="rtl"]')?.getBoundingClientRect()
    if (bubble === undefined || thread === undefined) throw new Error('The thread did not render.')
    await expect(bubble.left - thread.left).toBeLessThan(thread.right - bubble.right)

    // The picker: "٢ / ٣", Previous on the right; Next shows version 3, announced once.
    const group = canvas.getByRole('group', { name: 'النسخ' })
    await expect(group).toHaveTextContent('٢ / ٣')
    const previous = canvas.getByRole('button', { name: 'النسخة السابقة' }).getBoundingClientRect()
    const next = canvas.getByRole('button', { name: 'النسخة التالية' }).getBoundingClientRect()
    await expect(previous.left).toBeGreaterThan(next.left)
    await userEvent.click(canvas.getByRole('button', { name: 'النسخة التالية' }))
    await expect(group).toHaveTextContent('٣ / ٣')
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-sluice="branch-picker-announcer"]')).toHaveTextContent(
        'النسخة ٣ من ٣',
      ),
    )

    await userEvent.click(canvas.getByRole('button', { name: 'أعطني مثالًا' }))
    await expect(args.onSend).toHaveBeenCalledWith('أعطني مثالًا')
  },
}

const englishAnswer = message('answer-en', 'assistant', 'complete', [
  textPart('The Nile is about 6,650 km long, one of the longest rivers on Earth!'),
])
const mixedAnswer = message('answer-mixed', 'assistant', 'complete', [
  textPart(
    'يبلغ طول النيل نحو ٦٬٦٥٠ كيلومترًا.\n\nIn English: about 4,130 miles!\n\n- Uganda, Sudan, Egypt\n- أوغندا والسودان ومصر',
  ),
])

/**
 * Mixed directions in a right-to-left thread: an English question and answer read left to right
 * (their "!" at their end), and each paragraph and list item of a mixed answer starts at its own
 * edge; the thread itself stays mirrored.
 */
export const MixedDirections: Story = {
  render: () => (
    <div dir="rtl" lang="ar" style={{ maxWidth: 720, marginInline: 'auto' }}>
      <LabelsProvider labels={arabic} locale="ar-EG">
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <ChatMessage
            message={message('question-en', 'user', 'complete', [textPart('How long is the Nile?')])}
          />
          <ChatMessage message={englishAnswer} />
          <ChatMessage message={question} />
          <ChatMessage message={mixedAnswer} />
          <Suggestions suggestions={['Tell me more', 'لخّص في سطر واحد']} onSelect={() => {}} />
        </div>
      </LabelsProvider>
    </div>
  ),
  play: async ({ canvas, canvasElement }) => {
    const textOf = (id: string) =>
      canvasElement.querySelector(`[data-message-id="${id}"] [data-sluice="message-text"]`) as HTMLElement
    await expect(getComputedStyle(textOf('question-en')).direction).toBe('ltr')
    await expect(getComputedStyle(textOf('answer-en')).direction).toBe('ltr')
    await expect(getComputedStyle(textOf('question-1')).direction).toBe('rtl')
    await expect(getComputedStyle(textOf('answer-mixed')).direction).toBe('rtl')
    // Each paragraph of the mixed answer starts at its own edge.
    const [arabicParagraph, englishParagraph] = Array.from(textOf('answer-mixed').querySelectorAll('p'))
    const startEdge = (element: Element | undefined) => {
      const node = element?.firstChild
      if (!element || !node) throw new Error('The mixed answer did not render its paragraphs.')
      const range = document.createRange()
      range.setStart(node, 0)
      range.setEnd(node, 1)
      const first = range.getBoundingClientRect()
      const box = element.getBoundingClientRect()
      return first.left - box.left < box.right - first.right ? 'left' : 'right'
    }
    await expect(startEdge(arabicParagraph)).toBe('right')
    await expect(startEdge(englishParagraph)).toBe('left')
    await expect(getComputedStyle(canvas.getByRole('button', { name: 'Tell me more' })).direction).toBe('ltr')
  },
}
