/**
 * Fault toggles layered over the scenario: latency, speed, a dropped connection, an HTTP error.
 * They live in the URL, so a broken state can be linked.
 *
 * @module
 */
import { useId } from 'react'
import type { Faults } from '../settings/url-state.ts'

/** Props of {@link FaultPanel}. */
export interface FaultPanelProps {
  faults: Faults
  onChange(faults: Faults): void
  faultRepeat: 'once' | 'always'
  onFaultRepeatChange(repeat: 'once' | 'always'): void
  autoRetry: boolean
  onAutoRetryChange(autoRetry: boolean): void
  /** Faults only apply to the mocks. */
  disabled: boolean
}

const httpStatuses = [400, 401, 403, 404, 429, 500, 503, 529]

function withValue(faults: Faults, key: keyof Faults, raw: string): Faults {
  const next: Faults = { ...faults }
  const value = raw.trim() === '' ? Number.NaN : Number(raw)
  if (Number.isFinite(value) && value >= 0) next[key] = value
  else delete next[key]
  return next
}

/** The fault toggles. */
export function FaultPanel({
  faults,
  onChange,
  faultRepeat,
  onFaultRepeatChange,
  autoRetry,
  onAutoRetryChange,
  disabled,
}: FaultPanelProps) {
  const formId = useId()
  return (
    <section className="panel" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Faults</h2>
      <fieldset disabled={disabled}>
        <label>
          Latency before first byte (ms)
          <input
            type="number"
            min={0}
            step={100}
            placeholder="scenario"
            value={faults.latency ?? ''}
            onChange={(event) => onChange(withValue(faults, 'latency', event.target.value))}
          />
        </label>
        <label>
          Tokens per second
          <input
            type="number"
            min={1}
            step={5}
            placeholder="scenario"
            value={faults.tokensPerSecond ?? ''}
            onChange={(event) => onChange(withValue(faults, 'tokensPerSecond', event.target.value))}
          />
        </label>
        <label>
          Disconnect after events
          <input
            type="number"
            min={1}
            placeholder="never"
            value={faults.disconnectAfter ?? ''}
            onChange={(event) => onChange(withValue(faults, 'disconnectAfter', event.target.value))}
          />
        </label>
        <div className="field">
          <label htmlFor={`${formId}-select-1`}>HTTP error</label>{' '}
          <select
            id={`${formId}-select-1`}
            value={faults.httpError ?? ''}
            onChange={(event) => onChange(withValue(faults, 'httpError', event.target.value))}
          >
            <option value="">none</option>
            {httpStatuses.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${formId}-select-2`}>Faults hit</label>{' '}
          <select
            id={`${formId}-select-2`}
            value={faultRepeat}
            onChange={(event) => onFaultRepeatChange(event.target.value === 'always' ? 'always' : 'once')}
          >
            <option value="once">the first request of each message (Retry succeeds)</option>
            <option value="always">every request</option>
          </select>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={autoRetry}
            onChange={(event) => onAutoRetryChange(event.target.checked)}
          />
          Automatic retry of 429/5xx before the first byte
        </label>
      </fieldset>
    </section>
  )
}
