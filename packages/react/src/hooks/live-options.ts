/**
 * A stable options object that always reads the latest options a component rendered with.
 *
 * @module
 */

/**
 * The controller reads `options.*` when it needs them (per request, per callback), so handing
 * it this view passes option changes through without recreating the chat: a new `body`,
 * `headers` or `onFinish` closure applies to the next request or event. `overrides` win over
 * what the component passed.
 *
 * @example
 * ```ts
 * const latest = useRef(options)
 * const [chat] = useState(() => createChat(createLiveOptions(latest)))
 * ```
 */
export function createLiveOptions<Options extends object>(
  latest: { readonly current: Options },
  overrides: Partial<Options> = {},
): Options {
  return new Proxy({} as Options, {
    get: (_target, key) =>
      Reflect.has(overrides, key) ? Reflect.get(overrides, key) : Reflect.get(latest.current, key),
    has: (_target, key) => Reflect.has(overrides, key) || Reflect.has(latest.current, key),
  })
}
