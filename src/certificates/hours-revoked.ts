/**
 * The reason a certificate shows when hours it certifies were revoked after it
 * was issued (the server writes it, the pages recognise it to say so in words).
 * No imports: the browser bundle reads it too.
 */
export const HOURS_REVOKED_REASON = 'hours revoked';
