// Text of the worker pages (src/pages/worker-pages.tsx, client/worker*.ts), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "worker_"; the compiler checks
// that English has every Chinese key.

export const workerZh = {
} as const;

export const workerEn: Record<keyof typeof workerZh, string> = {
};
