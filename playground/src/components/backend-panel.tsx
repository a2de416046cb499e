/**
 * Point the playground at a real backend: a provider's API, an Ollama host, any SSE / NDJSON /
 * WebSocket endpoint with a chosen protocol, or one of the repository's reference backends
 * (`npm run dev:backends`). The key stays in this tab's `sessionStorage`.
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'
import { type FormEvent, useId, useState } from 'react'
import { realEndpoint } from '../chat/request-config.ts'
import {
  type BackendSettings,
  type BackendTransport,
  defaultModels,
  exampleUrls,
  loadApiKey,
  referenceBackends,
  saveApiKey,
  saveBackendSettings,
} from '../settings/backend-settings.ts'
import { readUrlState, updateUrlState } from '../settings/url-state.ts'
import { protocolLabels } from './scenario-picker.tsx'

/** Props of {@link BackendPanel}. */
export interface BackendPanelProps {
  mode: 'mock' | 'real'
  onModeChange(mode: 'mock' | 'real'): void
  settings: BackendSettings
  onSettingsChange(settings: BackendSettings): void
}

/** The backend form. */
export function BackendPanel({ mode, onModeChange, settings, onSettingsChange }: BackendPanelProps) {
  const formId = useId()
  const [draft, setDraft] = useState(settings)
  const [apiKey, setApiKey] = useState(loadApiKey)
  const endpoint = draft.url.trim() === '' ? '' : realEndpoint(draft)
  const urlTarget = readUrlState().backendTarget

  const submit = (event: FormEvent) => {
    event.preventDefault()
    saveBackendSettings(draft)
    saveApiKey(apiKey)
    // The form's choice replaces a backend the page URL named.
    if (urlTarget !== undefined) updateUrlState({ backendTarget: undefined })
    onSettingsChange(draft)
    onModeChange('real')
  }

  return (
    <section className="panel" aria-labelledby="backend-heading">
      <h2 id="backend-heading">
        Backend <span className="panel-hint">{mode === 'real' ? 'real' : 'mocks'}</span>
      </h2>
      <details open={mode === 'real'}>
        <summary>Use a real backend</summary>
        <form className="backend-form" onSubmit={submit}>
          {urlTarget === undefined ? null : (
            <p className="panel-hint">
              The page URL names this backend: <code>{urlTarget.url}</code> ({urlTarget.protocol}).
            </p>
          )}
          <div className="field">
            <label htmlFor={`${formId}-select-0`}>Reference backend</label>{' '}
            <select
              id={`${formId}-select-0`}
              value=""
              onChange={(event) => {
                const chosen = referenceBackends[Number(event.target.value)]
                if (chosen !== undefined) setDraft({ ...chosen.settings })
              }}
            >
              <option value="">Choose one (npm run dev:backends)…</option>
              {referenceBackends.map((backend, index) => (
                <option key={backend.label} value={index}>
                  {backend.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-select-1`}>Protocol</label>{' '}
            <select
              id={`${formId}-select-1`}
              value={draft.protocol}
              onChange={(event) => {
                const protocol = event.target.value as ProtocolId
                setDraft({
                  ...draft,
                  protocol,
                  url: exampleUrls[protocol] ?? '',
                  model: defaultModels[protocol] ?? '',
                })
              }}
            >
              {protocolIds.map((id) => (
                <option key={id} value={id}>
                  {protocolLabels[id]}
                </option>
              ))}
            </select>
          </div>
          <label>
            URL
            <input
              type="url"
              required
              value={draft.url}
              placeholder={exampleUrls[draft.protocol] ?? 'https://example.com/api/chat or wss://…'}
              onChange={(event) => setDraft({ ...draft, url: event.target.value })}
            />
          </label>
          <label>
            Model
            <input
              value={draft.model}
              onChange={(event) => setDraft({ ...draft, model: event.target.value })}
            />
          </label>
          <label>
            API key (kept in this tab only)
            <input
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
            />
          </label>
          <div className="field">
            <label htmlFor={`${formId}-select-2`}>Transport</label>{' '}
            <select
              id={`${formId}-select-2`}
              value={draft.transport}
              onChange={(event) => setDraft({ ...draft, transport: event.target.value as BackendTransport })}
            >
              <option value="auto">auto (WebSocket for ws://, else fetch)</option>
              <option value="fetch">fetch (POST)</option>
              <option value="eventsource">EventSource (GET)</option>
              <option value="websocket">WebSocket</option>
            </select>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.inlineTags}
              onChange={(event) => setDraft({ ...draft, inlineTags: event.target.checked })}
            />
            Read &lt;think&gt; and &lt;tool_call&gt; tags
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.resume === true}
              onChange={(event) => setDraft({ ...draft, resume: event.target.checked })}
            />
            Resumable streams (a @sluice/server relay: reload, second tab, Stop stops the model)
          </label>
          {endpoint === '' ? null : (
            <p className="panel-hint">
              Requests go to <code>{endpoint}</code>. The server must allow this page's origin (CORS); see the
              README.
            </p>
          )}
          <div className="backend-actions">
            <button type="submit">Connect</button>
            {mode === 'real' ? (
              <button type="button" onClick={() => onModeChange('mock')}>
                Back to mocks
              </button>
            ) : null}
          </div>
        </form>
      </details>
    </section>
  )
}
