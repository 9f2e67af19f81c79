// Text of the evidence pages (photo evidence on the worker's and the organizer's pages), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "evidence_"; the compiler checks
// that English has every Chinese key.

export const evidenceZh = {
  evidence_photo: '拍照',
  evidence_photo_hint: '用手机相机拍一张现场照片；照片会缩小，并去掉拍摄位置等信息',
  evidence_photo_uploading: '正在上传照片…',
  evidence_photo_unreadable: '这张照片打不开，请重新拍一张。',
  evidence_photo_loading: '正在加载照片…',
  evidence_photo_alt: '{name} 上报时拍的照片',
} as const;

export const evidenceEn: Record<keyof typeof evidenceZh, string> = {
  evidence_photo: 'Take a photo',
  evidence_photo_hint: 'Take a photo of the spot with your phone; it is made smaller and its location is removed',
  evidence_photo_uploading: 'Uploading the photo…',
  evidence_photo_unreadable: 'That photo cannot be opened. Take it again.',
  evidence_photo_loading: 'Loading the photo…',
  evidence_photo_alt: 'Photo taken by {name} with the report',
};
