/**
 * /app/sign-in: a sign-in card's link (`#code=...`) is exchanged once for a
 * session (POST /v1/sign-in), or its code typed in; a link's `#token=...` is
 * taken as it is, or a token pasted. Either way the fragment (which browsers
 * never send to the server) is wiped from the address bar and history, the
 * token kept in localStorage, and the role's page opened.
 */
import { api, ApiError, newKey, ok } from './api.js';
import { busy, byId, fail, say } from './dom.js';
import { t, text } from './page-text.js';
import { decodeToken, expired, HOMES, setToken } from './session.js';

const hash = location.hash;
if (hash) history.replaceState(null, '', location.pathname + location.search);

function accept(value: string): void {
  value = (value || '').trim();
  const claims = decodeToken(value);
  if (!claims) return fail(text.sign_in_bad);
  if (expired(claims)) return fail(text.sign_in_expired);
  const home = Object.prototype.hasOwnProperty.call(HOMES, claims.role) ? HOMES[claims.role] : undefined;
  if (!home) return fail(t('sign_in_no_pages', { role: claims.role }));
  setToken(value);
  location.replace(home);
}

// An exchange under way, kept for this tab: a reload (the fragment is gone by then) or a lost answer
// retries it with the same Idempotency-Key, and the service answers with the same session again.
const PENDING = 'jifen.sign-in';

function remember(pending: { code: string; key: string } | null): void {
  try {
    if (pending) sessionStorage.setItem(PENDING, JSON.stringify(pending));
    else sessionStorage.removeItem(PENDING);
  } catch {
    /* no storage: no retry after a reload */
  }
}

function pendingExchange(): { code: string; key: string } | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(PENDING) || 'null') as { code?: unknown; key?: unknown } | null;
    return value && typeof value.code === 'string' && typeof value.key === 'string' ? { code: value.code, key: value.key } : null;
  } catch {
    return null;
  }
}

function exchange(code: string, key = newKey()): Promise<void> {
  remember({ code, key });
  say(text.sign_in_code_working);
  return ok(api.POST('/v1/sign-in', { body: { code }, headers: { 'idempotency-key': key } }))
    .then((session) => {
      remember(null);
      accept(session.token);
    })
    .catch((error: unknown) => {
      // Refused (used, expired, revoked, unknown): said in plain words, and not tried again. Unreachable: kept for a retry.
      if (!(error instanceof ApiError) || error.status !== 0) remember(null);
      fail(error);
    });
}

const retry = pendingExchange();
if (hash.indexOf('#code=') === 0) void exchange(decodeURIComponent(hash.slice(6)).trim());
else if (hash.indexOf('#token=') === 0) accept(decodeURIComponent(hash.slice(7)));
else if (hash === '#need') fail(text.need_sign_in);
else if (hash === '#signed-out') say(text.signed_out);
else if (retry) void exchange(retry.code, retry.key);

byId<HTMLFormElement>('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = byId<HTMLInputElement>('code').value.trim();
  if (!code) return fail(text.err_sign_in_code_unknown);
  void busy(byId<HTMLFormElement>('code-form'), exchange(code));
});

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  accept(byId<HTMLInputElement>('token').value);
});
