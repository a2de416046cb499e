import { type Chat, createChat, toAnthropicRequest } from '@sluice/core'
import { AttachmentDropZone, ChatProvider, Composer, type UploadFile, useAttachments } from '@sluice/react'
import type { ReactNode } from 'react'

/** Your upload endpoint answers `{ "url": "https://…" }` for a POSTed file. */
export function uploadTo(endpoint: string): UploadFile {
  return async (file, { signal }) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': file.type, 'x-file-name': encodeURIComponent(file.name) },
      body: file,
      signal,
    })
    if (!response.ok) throw new Error(`the upload answered ${response.status}`)
    const { url } = (await response.json()) as { url: string }
    return url
  }
}

/** A chat whose requests carry the attached files as Anthropic image / document blocks. */
export function createAttachmentsChat(options: { fetch?: typeof fetch } = {}): Chat {
  return createChat({
    api: '/api/anthropic/v1/messages',
    protocol: 'anthropic',
    body: (messages) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      ...toAnthropicRequest(messages),
    }),
    ...options,
  })
}

/** The thread (yours, e.g. `<MessageList />`) takes dropped files too; the composer has the picker and paste. */
export function AttachmentsChat({ chat, children }: { chat: Chat; children: ReactNode }) {
  const attachments = useAttachments({
    uploadFile: uploadTo('/api/uploads'),
    maxFiles: 5,
    maxFileSize: 10 * 1024 * 1024,
    accept: ['image/*', 'application/pdf'],
  })
  return (
    <ChatProvider chat={chat}>
      <AttachmentDropZone attachments={attachments} className="sluice-chat">
        {children}
        <Composer attachments={attachments} />
      </AttachmentDropZone>
    </ChatProvider>
  )
}
