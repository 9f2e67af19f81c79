// Text of the auditor pages (src/pages/auditor-page.tsx, client/auditor*.ts), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "auditor_"; the compiler checks
// that English has every Chinese key.

export const auditorZh = {
} as const;

export const auditorEn: Record<keyof typeof auditorZh, string> = {
};
