/**
 * The auditor's page: the weekly chart (inline SVG drawn from
 * /v1/audit/weekly, with the same figures as a table), the trial balance,
 * verification, the latest signed checkpoint and the anomalies.
 */
export const AUDITOR_JS = String.raw`(function () {
  'use strict';
  var J = window.Jifen, t = J.t, byId = J.byId, el = J.el;
  var me = J.guard();
  if (!me) return;
  var SVG = 'http://www.w3.org/2000/svg';
  var SERIES = [['issued', '#1e6b34'], ['redeemed', '#a4161a'], ['expired', '#6b6b6b']];

  function svg(tag, attrs, textValue) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, String(attrs[name])); });
    if (textValue !== undefined) node.textContent = textValue;
    return node;
  }

  function chart(weeks) {
    var W = 340, H = 200, left = 8, top = 18, bottom = 24, plotH = H - top - bottom;
    var max = 0;
    weeks.forEach(function (w) { SERIES.forEach(function (s) { max = Math.max(max, J.hundredths(w[s[0]])); }); });
    var figure = byId('chart');
    var picture = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': t('chart_label', { n: weeks.length }) });
    picture.appendChild(svg('line', { x1: left, x2: W - left, y1: top + plotH, y2: top + plotH, stroke: '#767676' }));
    picture.appendChild(svg('text', { x: left, y: 12, 'font-size': 11, fill: '#4a4a4a' }, max ? J.points(max) : '0'));
    var slot = (W - 2 * left) / weeks.length, bar = Math.max(2, (slot - 4) / 3);
    weeks.forEach(function (w, i) {
      SERIES.forEach(function (s, k) {
        var value = Math.max(0, J.hundredths(w[s[0]]));
        var h = max ? Math.round((value / max) * plotH) : 0;
        var rect = svg('rect', { x: left + i * slot + 2 + k * bar, y: top + plotH - h, width: bar - 1, height: h, fill: s[1] });
        rect.appendChild(svg('title', {}, t(s[0]) + ' ' + w[s[0]]));
        picture.appendChild(rect);
      });
      if (i % 2 === weeks.length % 2) {
        picture.appendChild(svg('text', { x: left + i * slot + slot / 2, y: H - 6, 'font-size': 10, 'text-anchor': 'middle', fill: '#4a4a4a' }, w.week_start.slice(5)));
      }
    });
    figure.insertBefore(picture, figure.firstChild);
    figure.setAttribute('aria-busy', 'false');
    var body = document.querySelector('#weekly-table tbody');
    weeks.slice().reverse().forEach(function (w) {
      body.appendChild(el('tr', {}, [
        el('th', { scope: 'row', text: w.week_start }),
        el('td', { class: 'num', text: w.issued }),
        el('td', { class: 'num', text: w.redeemed }),
        el('td', { class: 'num', text: w.expired })
      ]));
    });
  }

  J.api('GET', '/v1/audit/weekly?weeks=12').then(function (result) { chart(result.items); }).catch(J.fail);

  J.api('GET', '/v1/audit/trial-balance').then(function (tb) {
    var verdict = byId('tb-verdict');
    verdict.textContent = t(tb.balanced ? 'tb_ok' : 'tb_bad', { total: tb.total });
    verdict.className = 'message ' + (tb.balanced ? 'ok' : 'error');
    verdict.setAttribute('data-balanced', String(tb.balanced));
    var body = document.querySelector('#trial-balance tbody');
    tb.by_kind.forEach(function (row) {
      body.appendChild(el('tr', {}, [
        el('th', { scope: 'row', text: t('acct_' + row.kind) }),
        el('td', { class: 'num', text: String(row.accounts) }),
        el('td', { class: 'num', text: row.posted })
      ]));
    });
  }).catch(J.fail);

  function verify() {
    var out = byId('verify-result');
    out.textContent = J.text.loading;
    J.api('GET', '/v1/audit/verify').then(function (v) {
      if (v.ok) out.textContent = t('verify_ok', { n: v.checked, balances: v.balances_checked });
      else if (v.first_bad_seq) out.textContent = t('verify_bad', { seq: v.first_bad_seq, reason: v.reason || '' });
      else out.textContent = t('verify_mismatch', { n: v.balance_mismatches.length });
      out.className = 'message ' + (v.ok ? 'ok' : 'error');
      out.setAttribute('data-ok', String(v.ok));
    }).catch(function (error) { out.textContent = ''; J.fail(error); });
  }
  byId('verify-again').addEventListener('click', verify);
  verify();

  J.api('GET', '/v1/audit/checkpoints/latest').then(function (cp) {
    J.pairs(byId('checkpoint'), [
      [J.text.cp_seq, '#' + cp.seq],
      [J.text.cp_hash, cp.hash.slice(0, 16) + '…'],
      [J.text.cp_issued, J.time(cp.issued_at)],
      [J.text.cp_kid, cp.kid]
    ]);
  }).catch(function (error) {
    if (error.status === 404) byId('checkpoint').appendChild(el('dd', { text: J.text.checkpoint_none }));
    else J.fail(error);
  });

  J.api('GET', '/v1/audit/anomalies').then(function (result) {
    J.fill(byId('anomalies'), result.items, function (a) {
      return el('li', {}, [
        el('strong', { text: t('anomaly_' + a.kind) }),
        el('p', { class: 'note', text: a.subject + ' · ' + a.detail }),
        el('p', { class: 'note', text: t('anomaly_evidence', { n: a.evidence.length }) })
      ]);
    }, J.text.anomalies_none);
  }).catch(J.fail);
})();
`;
