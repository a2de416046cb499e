/**
 * Attachments in the composer: the controller hook, the previews, the picker and a drop zone.
 *
 * @module
 */

export { AttachmentDropZone, type AttachmentDropZoneProps } from './attachment-drop-zone.tsx'
export {
  type AttachmentLimits,
  defaultAttachmentLimits,
  formatFileSize,
  inlineImageTypes,
  matchesAccept,
} from './attachment-limits.ts'
export { AttachmentList, type AttachmentListProps } from './attachment-list.tsx'
export { AttachmentPicker, type AttachmentPickerProps } from './attachment-picker.tsx'
export {
  type Attachment,
  type AttachmentLabels,
  type AttachmentsController,
  type AttachmentsOptions,
  defaultAttachmentLabels,
  type UploadFile,
  type UploadFileOptions,
  useAttachments,
} from './use-attachments.ts'
