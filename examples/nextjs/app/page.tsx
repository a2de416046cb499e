// A Server Component: it imports a type and renders a component of @sluice/react, a client
// module, so `Markdown` renders on the server and hydrates in the browser.
import { Markdown, type ProtocolId } from '@sluice/react'
import { Chat } from './chat'

// What app/api/chat/route.ts streams back: the provider's own wire, OpenAI Chat Completions.
const protocol: ProtocolId = 'openai-chat'

export default function Page() {
  return (
    <main>
      <Markdown>{'Ask me anything. The **provider key** stays on the server.'}</Markdown>
      <Chat protocol={protocol} />
    </main>
  )
}
