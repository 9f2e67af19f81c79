/**
 * /app/sign-in: takes the token from the link's fragment (`#token=...`,
 * which browsers never send to the server, so it stays out of logs), keeps
 * it in localStorage, wipes the fragment from the address bar and history,
 * and opens the role's page. A pasted token works the same way.
 */
import { byId, fail, say } from './dom.js';
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

if (hash.indexOf('#token=') === 0) accept(decodeURIComponent(hash.slice(7)));
else if (hash === '#need') fail(text.need_sign_in);
else if (hash === '#signed-out') say(text.signed_out);

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  accept(byId<HTMLInputElement>('token').value);
});
