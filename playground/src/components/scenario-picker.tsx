/**
 * Provider and scenario pickers; both write the URL.
 *
 * @module
 */
import { type ProtocolId, protocolIds } from '@sluice/core'
import { useId } from 'react'
import { scenarioDescriptions } from '../mocks/scenarios.ts'
import {
  type PlaygroundUrlState,
  type ScenarioId,
  scenarioIds,
  type UrlStateChange,
} from '../settings/url-state.ts'

/** What each protocol is, for the picker. */
export const protocolLabels: Record<ProtocolId, string> = {
  'openai-chat': 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  ollama: 'Ollama (NDJSON)',
  gemini: 'Gemini',
  'ai-sdk': 'AI SDK UI stream',
  'ag-ui': 'AG-UI',
  'stream-chunk': 'stream-chunk',
  'stream-delta': 'stream-delta',
  'agent-events': 'agent-events',
  'message-events': 'message-events (WebSocket)',
  text: 'Plain text',
}

/** Props of {@link ScenarioPicker}. */
export interface ScenarioPickerProps {
  state: PlaygroundUrlState
  onChange(change: UrlStateChange): void
}

/** The pickers in the header. */
export function ScenarioPicker({ state, onChange }: ScenarioPickerProps) {
  const real = state.backend === 'real'
  const providerId = useId()
  const scenarioId = useId()
  // Labels point at their select (`htmlFor`) instead of wrapping it, so the accessible name is
  // the label alone, not the label plus every option.
  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={providerId}>Provider</label>
        <select
          id={providerId}
          value={state.provider}
          disabled={real}
          onChange={(event) => onChange({ provider: event.target.value as ProtocolId })}
        >
          {protocolIds.map((id) => (
            <option key={id} value={id}>
              {protocolLabels[id]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={scenarioId}>Scenario</label>
        <select
          id={scenarioId}
          value={state.scenario}
          disabled={real}
          onChange={(event) => onChange({ scenario: event.target.value as ScenarioId })}
        >
          {scenarioIds.map((id) => (
            <option key={id} value={id}>
              {id}: {scenarioDescriptions[id]}
            </option>
          ))}
        </select>
      </div>
      {real ? (
        <span className="picker-badge">Real backend</span>
      ) : (
        <span className="picker-badge">Mocked</span>
      )}
    </div>
  )
}
