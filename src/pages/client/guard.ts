import { fail } from './dom.js';
import { t } from './page-text.js';
import { claims, type Claims } from './session.js';

/** The signed-in caller if this page is theirs; otherwise sends them to sign in, or says whose page it is. */
export function guard(): Claims | null {
  const page = document.body.getAttribute('data-role') ?? '';
  const c = claims();
  if (!c) {
    location.replace('/app/sign-in#need');
    return null;
  }
  // An admin reads the audit page; an auditor reads the console (its forms hidden, see admin.ts).
  const role = (c.role === 'admin' && page === 'auditor') || (c.role === 'auditor' && page === 'admin') ? page : c.role;
  if (role !== page) {
    fail(t('wrong_role', { page: t('role_' + page), role: t('role_' + c.role) }));
    document.querySelectorAll<HTMLElement>('main section').forEach((s) => (s.hidden = true));
    return null;
  }
  return c;
}
