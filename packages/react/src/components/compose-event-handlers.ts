/**
 * Run the user's handler first, then ours unless the user called `preventDefault()`
 * (Radix `composeEventHandlers`): props spread over a part can extend or cancel its behaviour.
 *
 * @example
 * ```tsx
 * <button onClick={composeEventHandlers(props.onClick, () => setOpen(!open))} />
 * ```
 */
export function composeEventHandlers<Event extends { defaultPrevented: boolean }>(
  userHandler: ((event: Event) => void) | undefined,
  ownHandler: (event: Event) => void,
): (event: Event) => void {
  return (event) => {
    userHandler?.(event)
    if (!event.defaultPrevented) ownHandler(event)
  }
}
