// Text of the merchant pages (src/pages/merchant-pages.tsx, client/merchant*.ts), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "merchant_"; the compiler checks
// that English has every Chinese key.

export const merchantZh = {
} as const;

export const merchantEn: Record<keyof typeof merchantZh, string> = {
};
