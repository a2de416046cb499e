/**
 * The built-in strings shared by a tree of components: the provider holds them, components
 * below read them with {@link useLabels}.
 *
 * @module
 */
import { createContext, type ReactNode, useContext, useMemo } from 'react'
import {
  type ChatLabels,
  englishLabels,
  type Labels,
  type LabelsOverride,
  mergeLabels,
  resolveLabels,
} from '../labels.ts'

/**
 * The labels of the nearest {@link LabelsProvider} (or `ChatProvider` with `labels`): English
 * without one.
 *
 * @example
 * ```tsx
 * const labels = useContext(LabelsContext) // prefer useLabels()
 * ```
 */
export const LabelsContext = createContext<Labels>(englishLabels)
LabelsContext.displayName = 'SluiceLabelsContext'

/** Props of {@link LabelsProvider}. */
export interface LabelsProviderProps {
  /** Strings to replace, any subset of any group; the rest comes from the provider above (or English). */
  labels?: LabelsOverride | undefined
  /** The locale numbers and plurals are formatted for; the provider above's by default (`'en'`). */
  locale?: string | undefined
  children?: ReactNode
}

/**
 * Replace the built-in strings of every component below: buttons, statuses, announcements,
 * tool states, errors. Nested providers merge (the inner one wins string by string); a
 * component's own `labels` prop wins over both. Strings with numbers are functions receiving a
 * locale-aware formatter (`Intl.NumberFormat`, `Intl.PluralRules`).
 *
 * The labels are compared by identity: define them at module scope or memoize them, so the
 * components below do not re-render on each render of the provider's parent.
 *
 * @example
 * ```tsx
 * const french = {
 *   composer: { input: 'Message', send: 'Envoyer', stop: 'Arrêter' },
 *   reasoning: { thoughtFor: (seconds, format) => `Réflexion : ${format.unit(seconds, 'second', 'long')}` },
 * } satisfies LabelsOverride
 * <LabelsProvider labels={french} locale="fr"><Thread /></LabelsProvider>
 * ```
 */
export function LabelsProvider({ labels, locale, children }: LabelsProviderProps): ReactNode {
  const parent = useContext(LabelsContext)
  const value = useMemo(() => resolveLabels(labels, locale, parent), [labels, locale, parent])
  return <LabelsContext.Provider value={value}>{children}</LabelsContext.Provider>
}

/**
 * The labels a component shows: the nearest provider's (or English), with `override` over
 * them: a deep-partial of every group, or of one group (`useLabels('composer', { send: … })`).
 * Memoized on the override's identity.
 *
 * @example
 * ```tsx
 * function SendButton({ labels }: { labels?: LabelsOverride<ChatLabels['composer']> }) {
 *   const { composer } = useLabels('composer', labels)
 *   return <button type="submit">{composer.send}</button>
 * }
 * const { format, reasoning } = useLabels({ reasoning: { thinking: 'Pondering…' } })
 * ```
 */
export function useLabels(override?: LabelsOverride | undefined): Labels
export function useLabels<G extends keyof ChatLabels>(
  group: G,
  override: LabelsOverride<ChatLabels[G]> | undefined,
): Labels
export function useLabels<G extends keyof ChatLabels>(
  groupOrOverride?: G | LabelsOverride | undefined,
  groupOverride?: LabelsOverride<ChatLabels[G]> | undefined,
): Labels {
  const labels = useContext(LabelsContext)
  return useMemo(() => {
    if (typeof groupOrOverride !== 'string') return resolveLabels(groupOrOverride, undefined, labels)
    if (groupOverride === undefined) return labels
    const merged = mergeLabels(labels[groupOrOverride], groupOverride)
    return merged === labels[groupOrOverride] ? labels : { ...labels, [groupOrOverride]: merged }
  }, [labels, groupOrOverride, groupOverride])
}
