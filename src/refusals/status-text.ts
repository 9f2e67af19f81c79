// Imports nothing: the pages' browser scripts bundle it, and the whole catalogue would weigh on every page.

/** The page text that explains an answer by its status alone. */
export type StatusTextKey =
  | 'err_validation_failed'
  | 'err_unauthorized'
  | 'err_forbidden'
  | 'err_not_found'
  | 'err_conflict'
  | 'err_refused'
  | 'err_server'
  | 'err_generic';

/**
 * Which page text explains an answer whose code has no sentence of its own, by its status: the one rule the
 * catalogue's page texts and the browser's explain() both follow.
 */
export function statusTextKey(status: number): StatusTextKey {
  if (status === 400) return 'err_validation_failed';
  if (status === 401) return 'err_unauthorized';
  if (status === 403) return 'err_forbidden';
  if (status === 404) return 'err_not_found';
  if (status === 409 || status === 410) return 'err_conflict';
  if (status === 422) return 'err_refused';
  if (status >= 500) return 'err_server';
  return 'err_generic';
}
