/**
 * A React root in its own container for a test; every root a test mounted is unmounted and its
 * container removed after the test (the `afterEach` is registered by importing this module in
 * a test file).
 */
import { createRoot, type Root } from 'react-dom/client'
import { afterEach } from 'vitest'

const mounted: { root: Root; container: HTMLElement }[] = []

afterEach(() => {
  for (const { root, container } of mounted.splice(0)) {
    root.unmount()
    container.remove()
  }
})

/** A fresh root attached to `document.body`. */
export function mount(): { root: Root; container: HTMLElement } {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  mounted.push({ root, container })
  return { root, container }
}
