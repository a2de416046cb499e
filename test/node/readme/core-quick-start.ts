import { collectMessage, readChatEvents } from '@sluice/core'

export async function ask(prompt: string, apiKey = 'YOUR_ANTHROPIC_API_KEY') {
  const response = await fetch('https://api.anthropic.com/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    }),
  })
  if (!response.ok || !response.body) throw new Error(`Anthropic answered HTTP ${response.status}`)
  // Either fold the whole stream into the final message…
  const message = await collectMessage(response.body, 'anthropic')
  return message
}

export async function logEvents(body: ReadableStream<Uint8Array>) {
  // …or read the normalized events one by one.
  for await (const event of readChatEvents(body, 'openai-chat')) {
    if (event.type === 'text-delta') console.log(event.delta)
  }
}
