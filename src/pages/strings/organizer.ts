// Text of the organizer pages (src/pages/organizer-pages.tsx, client/organizer*.ts), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "organizer_"; the compiler checks
// that English has every Chinese key.

export const organizerZh = {
} as const;

export const organizerEn: Record<keyof typeof organizerZh, string> = {
};
