import { useCallback, useRef, useState } from 'react'

/**
 * State that a parent may control (`value` + `onChange`) or leave to the component
 * (`defaultValue`), the Radix `open`/`defaultOpen`/`onOpenChange` pattern.
 *
 * @example
 * ```ts
 * const [open, setOpen] = useControllableState(props.open, props.defaultOpen ?? false, props.onOpenChange)
 * ```
 */
export function useControllableState<Value>(
  value: Value | undefined,
  defaultValue: Value | (() => Value),
  onChange: ((value: Value) => void) | undefined,
): [Value, (next: Value) => void] {
  const [uncontrolled, setUncontrolled] = useState(defaultValue)
  const controlled = value !== undefined
  const current = controlled ? value : uncontrolled
  // A latest-ref, so the setter keeps its identity while the parent passes new callbacks.
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange
  const controlledRef = useRef(controlled)
  controlledRef.current = controlled
  const setValue = useCallback((next: Value) => {
    if (!controlledRef.current) setUncontrolled(() => next)
    onChangeRef.current?.(next)
  }, [])
  return [current, setValue]
}
