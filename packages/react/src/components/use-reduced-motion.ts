import { useSyncExternalStore } from 'react'

const QUERY = '(prefers-reduced-motion: reduce)'

function subscribe(onChange: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {}
  const list = window.matchMedia(QUERY)
  list.addEventListener('change', onChange)
  return () => list.removeEventListener('change', onChange)
}

function getSnapshot(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.matchMedia === 'function' &&
    window.matchMedia(QUERY).matches
  )
}

/**
 * Whether the user asked the system for less motion. Components expose it as
 * `data-motion="reduced"` so custom styles (and the default theme) can stop animating
 * without a media query of their own; on the server it is `false`.
 *
 * @example
 * ```tsx
 * const reduced = useReducedMotion()
 * return <span data-motion={reduced ? 'reduced' : 'full'} />
 * ```
 */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, getSnapshot, () => false)
}
