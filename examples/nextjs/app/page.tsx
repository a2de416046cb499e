// A Server Component. It imports a type and renders a component of @sluice/react, a client
// module, so `Markdown` renders on the server and hydrates in the browser; and it calls a pure
// helper on the server, from @sluice/react/helpers (a function imported from @sluice/react itself
// would be a client reference here, which cannot be called).
import { Markdown, type ProtocolId } from '@sluice/react'
import { sanitizeUrl } from '@sluice/react/helpers'
import { Chat } from './chat'

// What app/api/chat/route.ts streams back: the provider's own wire, OpenAI Chat Completions.
const protocol: ProtocolId = 'openai-chat'
// A link from configuration is untrusted too: only plain http(s) reaches the href.
const source = sanitizeUrl(process.env.SOURCE_URL ?? 'https://github.com/sluice-dev/sluice', {
  purpose: 'link',
})

export default function Page() {
  return (
    <main>
      <Markdown>{'Ask me anything. The **provider key** stays on the server.'}</Markdown>
      {source !== null && <a href={source.url}>Source</a>}
      <Chat protocol={protocol} />
    </main>
  )
}
