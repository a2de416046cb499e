import type { Message } from '@sluice/core'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, test } from 'vitest'
import { visuallyHidden } from '../../packages/react/src/components/visually-hidden.ts'
import { ChatMessage } from '../../packages/react/src/index.ts'
import { executed, findDangers, isEvil, requested, settle, watchForXss } from './xss-checks.ts'
import { xssCorpus } from './xss-corpus.ts'

watchForXss()

/** The one inline style the components set themselves (screen-reader-only text), as the DOM writes it. */
function componentStyles(): string[] {
  const probe = document.createElement('span')
  Object.assign(probe.style, {
    ...visuallyHidden,
    width: '1px',
    height: '1px',
    padding: '0px',
    margin: '-1px',
    border: '0px',
  })
  return [probe.getAttribute('style') ?? '']
}

const containers: HTMLElement[] = []
afterEach(() => {
  for (const container of containers.splice(0)) container.remove()
})

/** One assistant message carrying the payload everywhere model output can appear. */
function hostileMessage(id: string, payload: string, status: Message['status']): Message {
  return {
    id,
    role: 'assistant',
    status,
    parts: [
      { type: 'reasoning', id: 'r', text: payload, state: status === 'streaming' ? 'streaming' : 'done' },
      { type: 'text', id: 't', text: payload, state: status === 'streaming' ? 'streaming' : 'done' },
      {
        type: 'tool-call',
        toolCallId: `call-${id}`,
        toolName: payload.slice(0, 40),
        state: 'output-available',
        inputText: JSON.stringify({ query: payload }),
        input: { query: payload },
        output: { html: payload },
      },
      {
        type: 'tool-call',
        toolCallId: `error-${id}`,
        toolName: 'fetch',
        state: 'output-error',
        inputText: payload,
        errorText: payload,
      },
      { type: 'source', url: 'javascript:window.__xss("source")', title: payload },
      {
        type: 'file',
        url: 'data:text/html,<script>window.__xss("file")</script>',
        mediaType: 'text/html',
        name: payload,
      },
    ],
    ...(status === 'error' ? { error: { message: payload } } : {}),
  }
}

describe('the XSS corpus through ChatMessage', () => {
  test.each(['complete', 'streaming', 'error'] as const)(
    'a message whose status is %s: no script runs, no dangerous URL or handler in the DOM, nothing fetched',
    async (status) => {
      const container = document.createElement('div')
      document.body.append(container)
      containers.push(container)
      const root = createRoot(container)
      const dangers: string[] = []
      for (const payload of xssCorpus) {
        flushSync(() =>
          root.render(<ChatMessage message={hostileMessage(payload.id, payload.markdown, status)} />),
        )
        // Every message renders something: the scan below must have looked at real output.
        expect(container.querySelector(`[data-message-id="${payload.id}"]`)).not.toBeNull()
        for (const danger of findDangers(container, [], componentStyles()))
          dangers.push(`${payload.id}: ${danger}`)
      }
      await settle()
      root.unmount()
      expect(dangers).toEqual([])
      expect(executed).toEqual([])
      expect(requested.filter(isEvil)).toEqual([])
    },
  )

  test('tool input and output with HTML are shown as text, never parsed', () => {
    const container = document.createElement('div')
    document.body.append(container)
    containers.push(container)
    const root = createRoot(container)
    const html = '<img src=x onerror="window.__xss(1)"><b>bold</b>'
    flushSync(() => root.render(<ChatMessage message={hostileMessage('html', html, 'complete')} />))
    const card = container.querySelector('[data-tool-call-id="call-html"]')
    expect(card).not.toBeNull()
    card?.querySelectorAll('button[aria-expanded="false"]').forEach((button) => {
      flushSync(() => (button as HTMLButtonElement).click())
    })
    expect(card?.textContent).toContain('<b>bold</b>')
    expect(card?.querySelector('b')).toBeNull()
    expect(container.querySelector('img[src="x"]')).toBeNull()
    root.unmount()
  })
})
