/**
 * /app/assets/common.js, on every page: what the frame does itself (the
 * sign-out button, and a print button wherever a page has one). The shared code the page scripts use is imported by
 * each of them as modules (session.ts, api.ts, dom.ts, format.ts, guard.ts).
 */
import { signOut } from './session.js';

const out = document.getElementById('sign-out');
if (out) {
  out.addEventListener('click', () => {
    signOut();
    location.assign('/app/sign-in#signed-out');
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-print]')) {
  button.addEventListener('click', () => window.print());
}
