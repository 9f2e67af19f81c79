/**
 * Shared browser code of every page (served as /app/assets/common.js): the
 * page's text, the bearer token kept in localStorage, API calls that turn a
 * problem+json answer into plain words, amounts in integer hundredths (no
 * floats), and small DOM helpers. Plain ES2017, no build step; it must not
 * contain a backtick or a dollar-brace, since it lives in a template string.
 */
export const COMMON_JS = String.raw`(function () {
  'use strict';
  var text = JSON.parse(document.getElementById('jifen-text').textContent);
  var lang = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  var TOKEN_KEY = 'jifen.token';
  var HOMES = { worker: '/app/worker', merchant: '/app/merchant', organizer: '/app/organizer', auditor: '/app/auditor', admin: '/app/auditor' };

  function t(key, vars) {
    var s = Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key;
    return s.replace(/\{(\w+)\}/g, function (all, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all;
    });
  }

  function decodeToken(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var bytes = atob(part + '==='.slice((part.length + 3) % 4));
      var utf8 = '';
      for (var i = 0; i < bytes.length; i++) utf8 += '%' + ('0' + bytes.charCodeAt(i).toString(16)).slice(-2);
      var claims = JSON.parse(decodeURIComponent(utf8));
      return claims && typeof claims.role === 'string' ? claims : null;
    } catch (e) {
      return null;
    }
  }
  function token() {
    try { return localStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }
  function expired(claims) {
    return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now();
  }
  function claims() {
    var value = token();
    var c = value ? decodeToken(value) : null;
    return c && !expired(c) ? c : null;
  }
  function setToken(value) { localStorage.setItem(TOKEN_KEY, value); }
  function signOut() {
    try { localStorage.removeItem(TOKEN_KEY); } catch (e) { /* nothing kept */ }
  }

  // Idempotency keys from the CSPRNG (crypto.randomUUID needs a secure context; this does not).
  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += ('0' + bytes[i].toString(16)).slice(-2);
    return 'web-' + hex;
  }

  // A problem+json answer in plain words: by its code, else by its status. Never the raw body.
  function explain(status, problem) {
    var code = problem && typeof problem.code === 'string' ? problem.code : '';
    if (code && Object.prototype.hasOwnProperty.call(text, 'err_' + code)) return text['err_' + code];
    if (status === 400) return text.err_validation_failed;
    if (status === 401) return text.err_unauthorized;
    if (status === 403) return text.err_forbidden;
    if (status === 404) return text.err_not_found;
    if (status === 409 || status === 410) return text.err_conflict;
    if (status === 422) return text.err_refused;
    if (status >= 500) return text.err_server;
    return t('err_generic', { status: status });
  }

  /** Calls the API with the token; resolves with the JSON body, rejects with an Error in plain words. */
  function api(method, path, body, options) {
    options = options || {};
    var headers = { accept: 'application/json' };
    var value = token();
    if (value) headers.authorization = 'Bearer ' + value;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['idempotency-key'] = options.key || newKey();
    var init = { method: method, headers: headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(path, init).then(function (res) {
      return res.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        if (res.ok) return options.withResponse ? { data: data, response: res } : data;
        var error = new Error(explain(res.status, data));
        error.status = res.status;
        error.code = data && data.code;
        error.errors = data && Array.isArray(data.errors) ? data.errors : [];
        throw error;
      });
    }, function () {
      var error = new Error(text.err_network);
      error.status = 0;
      throw error;
    });
  }

  function byId(id) { return document.getElementById(id); }
  function say(message) {
    byId('message').textContent = message || '';
    if (message) byId('error').textContent = '';
  }
  function fail(error) {
    var message = error ? (error.message || String(error)) : '';
    byId('error').textContent = message;
    if (message) byId('message').textContent = '';
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function fill(list, items, render, emptyText) {
    list.textContent = '';
    if (!items.length) list.appendChild(el('li', { class: 'note', text: emptyText || text.nothing_yet }));
    items.forEach(function (item) { list.appendChild(render(item)); });
    list.setAttribute('aria-busy', 'false');
  }
  function pairs(dl, rows) {
    dl.textContent = '';
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === '') return;
      dl.appendChild(el('dt', { text: row[0] }));
      dl.appendChild(el('dd', { text: String(row[1]) }));
    });
    dl.setAttribute('aria-busy', 'false');
  }

  // Amounts: decimal strings with two decimals to integer hundredths and back.
  function hundredths(s) {
    var m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(s).trim());
    if (!m) return NaN;
    var value = parseInt(m[2], 10) * 100 + parseInt(((m[3] || '') + '00').slice(0, 2), 10);
    return m[1] ? -value : value;
  }
  function points(n) {
    var sign = n < 0 ? '-' : '';
    var abs = Math.abs(n);
    return sign + Math.floor(abs / 100) + '.' + ('0' + (abs % 100)).slice(-2);
  }
  function time(iso) {
    return new Date(iso).toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  function hm(iso) {
    return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  }
  function date(iso) {
    return new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
  }
  // The value of a datetime-local input for a moment, in the phone's time zone.
  function localInput(d) {
    var shifted = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
    return shifted.toISOString().slice(0, 16);
  }
  function activityName(type) {
    return type && type.name ? (type.name[lang] || type.name.zh) : '';
  }

  // A form's submit button is disabled while its request runs.
  function busy(form, promise) {
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    return promise.then(function (value) {
      if (button) button.disabled = false;
      return value;
    }, function (error) {
      if (button) button.disabled = false;
      throw error;
    });
  }

  /** The signed-in caller if this page is theirs; otherwise sends them to sign in, or says whose page it is. */
  function guard() {
    var page = document.body.getAttribute('data-role');
    var c = claims();
    if (!c) {
      location.replace('/app/sign-in#need');
      return null;
    }
    var role = c.role === 'admin' && page === 'auditor' ? 'auditor' : c.role;
    if (role !== page) {
      fail(t('wrong_role', { page: t('role_' + page), role: t('role_' + c.role) }));
      Array.prototype.forEach.call(document.querySelectorAll('main section'), function (s) { s.hidden = true; });
      return null;
    }
    return c;
  }

  var out = byId('sign-out');
  if (out) out.addEventListener('click', function () {
    signOut();
    location.assign('/app/sign-in#signed-out');
  });

  window.Jifen = {
    lang: lang, text: text, t: t, api: api, hm: hm, claims: claims, decodeToken: decodeToken, expired: expired, setToken: setToken,
    signOut: signOut, homes: HOMES, byId: byId, say: say, fail: fail, el: el, fill: fill, pairs: pairs, hundredths: hundredths,
    points: points, time: time, date: date, localInput: localInput, activityName: activityName, busy: busy, guard: guard
  };
})();
`;
