/**
 * /app/sign-in: takes the token from the link's fragment (`#token=...`,
 * which browsers never send to the server, so it stays out of logs), keeps
 * it in localStorage, wipes the fragment from the address bar and history,
 * and opens the role's page. A pasted token works the same way.
 */
export const SIGN_IN_JS = String.raw`(function () {
  'use strict';
  var J = window.Jifen;
  var hash = location.hash;
  if (hash) history.replaceState(null, '', location.pathname + location.search);

  function accept(value) {
    value = (value || '').trim();
    var claims = J.decodeToken(value);
    if (!claims) return J.fail(J.text.sign_in_bad);
    if (J.expired(claims)) return J.fail(J.text.sign_in_expired);
    var home = J.homes[claims.role];
    if (!home) return J.fail(J.t('sign_in_no_pages', { role: claims.role }));
    J.setToken(value);
    location.replace(home);
  }

  if (hash.indexOf('#token=') === 0) accept(decodeURIComponent(hash.slice(7)));
  else if (hash === '#need') J.fail(J.text.need_sign_in);
  else if (hash === '#signed-out') J.say(J.text.signed_out);

  J.byId('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    accept(J.byId('token').value);
  });
})();
`;
