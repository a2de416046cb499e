/**
 * The playground's layout: conversations on the left, the chat in the middle, what runs and how
 * it performs on the right. Everything that selects what runs is in the URL.
 *
 * @module
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { createLiveMetrics } from './chat/live-metrics.ts'
import { mockRequestConfig, type RequestConfig, realRequestConfig } from './chat/request-config.ts'
import { BackendPanel } from './components/backend-panel.tsx'
import { ConversationPane } from './components/conversation-pane.tsx'
import { ConversationSidebar } from './components/conversation-sidebar.tsx'
import { FaultPanel } from './components/fault-panel.tsx'
import { MetricsPanel } from './components/metrics-panel.tsx'
import { ScenarioPicker } from './components/scenario-picker.tsx'
import { configureMocks } from './mocks/mock-handlers.ts'
import { type BackendSettings, loadApiKey, loadBackendSettings } from './settings/backend-settings.ts'
import { useUrlState } from './settings/url-state.ts'

function newConversationId(): string {
  return `c-${crypto.randomUUID().slice(0, 8)}`
}

/** The whole playground. */
export function App() {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1 } } }))
  const [state, update] = useUrlState()
  const [draftId, setDraftId] = useState(newConversationId)
  const [backend, setBackend] = useState<BackendSettings>(loadBackendSettings)
  const [faultRepeat, setFaultRepeat] = useState<'once' | 'always'>('once')
  const [autoRetry, setAutoRetry] = useState(false)
  const [metrics] = useState(createLiveMetrics)
  const conversationId = state.conversation ?? draftId

  // Render-time, not an effect: the mocks must know the scenario before any request this render allows.
  configureMocks({ scenario: state.scenario, faults: state.faults, faultRepeat })

  const config: RequestConfig = useMemo(
    () =>
      state.backend === 'real' ? realRequestConfig(backend, loadApiKey) : mockRequestConfig(state.provider),
    [state.backend, state.provider, backend],
  )
  // The protocol and transport of a chat are fixed when it is created: a new pane for each.
  const paneKey =
    state.backend === 'real'
      ? `real|${config.protocol}|${config.api}|${config.transport}|${String(autoRetry)}`
      : `mock|${state.provider}|${String(autoRetry)}`

  useEffect(() => {
    document.title = `Sluice playground · ${state.backend === 'real' ? 'real backend' : `${state.provider} · ${state.scenario}`}`
  }, [state.backend, state.provider, state.scenario])

  return (
    <QueryClientProvider client={queryClient}>
      <div className="playground">
        <header className="playground-header">
          <h1>
            Sluice <span>playground</span>
          </h1>
          <ScenarioPicker state={state} onChange={update} />
        </header>
        <ConversationSidebar
          openId={conversationId}
          onOpen={(id) => update({ conversation: id })}
          onNew={() => {
            setDraftId(newConversationId())
            update({ conversation: undefined })
          }}
        />
        <main className="playground-main">
          <ConversationPane
            key={paneKey}
            conversationId={conversationId}
            config={config}
            autoRetry={autoRetry}
            metrics={metrics}
            onConversationStarted={() => {
              if (state.conversation === undefined) update({ conversation: conversationId })
            }}
          />
        </main>
        <aside className="playground-inspector" aria-label="Inspector">
          <MetricsPanel metrics={metrics} />
          <FaultPanel
            faults={state.faults}
            onChange={(faults) => update({ faults })}
            faultRepeat={faultRepeat}
            onFaultRepeatChange={setFaultRepeat}
            autoRetry={autoRetry}
            onAutoRetryChange={setAutoRetry}
            disabled={state.backend === 'real'}
          />
          <BackendPanel
            mode={state.backend}
            onModeChange={(mode) => update({ backend: mode })}
            settings={backend}
            onSettingsChange={setBackend}
          />
        </aside>
      </div>
    </QueryClientProvider>
  )
}
