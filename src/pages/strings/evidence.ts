// Text of the evidence pages (photo evidence on the worker's and the organizer's pages), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "evidence_"; the compiler checks
// that English has every Chinese key.

export const evidenceZh = {
} as const;

export const evidenceEn: Record<keyof typeof evidenceZh, string> = {
};
