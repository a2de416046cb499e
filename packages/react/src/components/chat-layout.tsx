import { type ComponentPropsWithoutRef, forwardRef } from 'react'

/** Props of {@link ChatLayout}: those of a `div`. */
export type ChatLayoutProps = ComponentPropsWithoutRef<'div'>

/**
 * The layout of a whole chat, for the default theme: a column as tall as the window (or as
 * its parent, when that has a height) in which a `MessageList` takes the space a `Composer`
 * leaves, so the list scrolls inside, virtualizes and sticks to the bottom, and the composer
 * stays in view. The same as `<div className="sluice-chat">`: the class is added to yours.
 * Set the CSS custom property `--sluice-chat-height` for another height.
 *
 * Root: `data-sluice="chat"`, class `sluice-chat`.
 *
 * @example
 * ```tsx
 * <ChatLayout>
 *   <MessageList chat={chat.chat} />
 *   <Composer chat={chat.chat} />
 * </ChatLayout>
 * ```
 */
export const ChatLayout = forwardRef<HTMLDivElement, ChatLayoutProps>(function ChatLayout(
  { className, ...props },
  ref,
) {
  return (
    <div
      data-sluice="chat"
      className={className === undefined || className === '' ? 'sluice-chat' : `sluice-chat ${className}`}
      {...props}
      ref={ref}
    />
  )
})
