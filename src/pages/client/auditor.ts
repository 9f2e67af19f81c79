/**
 * The auditor's page: the weekly chart (inline SVG drawn from
 * /v1/audit/weekly, with the same figures as a table), the trial balance,
 * verification, the latest signed checkpoint and the anomalies.
 */
import type { components } from './contract.js';
import { api, ApiError, ok } from './api.js';
import { byId, el, fail, fill, pairs } from './dom.js';
import { hundredths, points, time } from './format.js';
import { guard } from './guard.js';
import { hasText, t, text } from './page-text.js';
import { searchPage } from './auditor-search.js';

type Week = components['schemas']['WeeklyTotals']['items'][number];
type Series = 'issued' | 'redeemed' | 'expired';

const SVG = 'http://www.w3.org/2000/svg';
const SERIES: ReadonlyArray<readonly [Series, string]> = [['issued', '#1e6b34'], ['redeemed', '#a4161a'], ['expired', '#6b6b6b']];

function svg(tag: string, attrs: Record<string, string | number>, textValue?: string): SVGElement {
  const node = document.createElementNS(SVG, tag) as SVGElement;
  Object.keys(attrs).forEach((name) => node.setAttribute(name, String(attrs[name])));
  if (textValue !== undefined) node.textContent = textValue;
  return node;
}

function chart(weeks: Week[]): void {
  const W = 340, H = 200, left = 8, top = 18, bottom = 24, plotH = H - top - bottom;
  let max = 0;
  weeks.forEach((w) => SERIES.forEach((s) => (max = Math.max(max, hundredths(w[s[0]])))));
  const figure = byId('chart');
  const picture = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': t('chart_label', { n: weeks.length }) });
  picture.appendChild(svg('line', { x1: left, x2: W - left, y1: top + plotH, y2: top + plotH, stroke: '#767676' }));
  picture.appendChild(svg('text', { x: left, y: 12, 'font-size': 11, fill: '#4a4a4a' }, max ? points(max) : '0'));
  const slot = (W - 2 * left) / weeks.length, bar = Math.max(2, (slot - 4) / 3);
  weeks.forEach((w, i) => {
    SERIES.forEach((s, k) => {
      const value = Math.max(0, hundredths(w[s[0]]));
      const h = max ? Math.round((value / max) * plotH) : 0;
      const rect = svg('rect', { x: left + i * slot + 2 + k * bar, y: top + plotH - h, width: bar - 1, height: h, fill: s[1] });
      rect.appendChild(svg('title', {}, t(s[0]) + ' ' + w[s[0]]));
      picture.appendChild(rect);
    });
    if (i % 2 === weeks.length % 2) {
      picture.appendChild(svg('text', { x: left + i * slot + slot / 2, y: H - 6, 'font-size': 10, 'text-anchor': 'middle', fill: '#4a4a4a' }, w.week_start.slice(5)));
    }
  });
  figure.insertBefore(picture, figure.firstChild);
  figure.setAttribute('aria-busy', 'false');
  const body = document.querySelector('#weekly-table tbody')!;
  weeks
    .slice()
    .reverse()
    .forEach((w) => {
      body.appendChild(
        el('tr', {}, [el('th', { scope: 'row', text: w.week_start }), el('td', { class: 'num', text: w.issued }), el('td', { class: 'num', text: w.redeemed }), el('td', { class: 'num', text: w.expired })]),
      );
    });
}

function verify(): void {
  const out = byId('verify-result');
  out.textContent = text.loading;
  ok(api.GET('/v1/audit/verify'))
    .then((v) => {
      if (v.ok) out.textContent = t('verify_ok', { n: v.checked, balances: v.balances_checked });
      else if (v.first_bad_seq) out.textContent = t('verify_bad', { seq: v.first_bad_seq, reason: v.reason || '' });
      else out.textContent = t('verify_mismatch', { n: v.balance_mismatches.length });
      out.className = 'message ' + (v.ok ? 'ok' : 'error');
      out.setAttribute('data-ok', String(v.ok));
    })
    .catch((error: unknown) => {
      out.textContent = '';
      fail(error);
    });
}

const me = guard();
if (me && document.getElementById('audit-search')) searchPage();
else if (me) {
  ok(api.GET('/v1/audit/weekly', { params: { query: { weeks: 12 } } }))
    .then((result) => chart(result.items))
    .catch(fail);

  ok(api.GET('/v1/audit/trial-balance'))
    .then((tb) => {
      const verdict = byId('tb-verdict');
      verdict.textContent = t(tb.balanced ? 'tb_ok' : 'tb_bad', { total: tb.total });
      verdict.className = 'message ' + (tb.balanced ? 'ok' : 'error');
      verdict.setAttribute('data-balanced', String(tb.balanced));
      const body = document.querySelector('#trial-balance tbody')!;
      tb.by_kind.forEach((row) => {
        body.appendChild(el('tr', {}, [el('th', { scope: 'row', text: t('acct_' + row.kind) }), el('td', { class: 'num', text: String(row.accounts) }), el('td', { class: 'num', text: row.posted })]));
      });
    })
    .catch(fail);

  byId('verify-again').addEventListener('click', verify);
  verify();

  ok(api.GET('/v1/audit/checkpoints/latest'))
    .then((cp) => {
      pairs(byId('checkpoint'), [
        [text.cp_seq, '#' + cp.seq],
        [text.cp_hash, cp.hash.slice(0, 16) + '…'],
        [text.cp_issued, time(cp.issued_at)],
        [text.cp_kid, cp.kid],
      ]);
    })
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) byId('checkpoint').appendChild(el('dd', { text: text.checkpoint_none }));
      else fail(error);
    });

  ok(api.GET('/v1/audit/anomalies'))
    .then((result) => {
      fill(
        byId('anomalies'),
        result.items,
        (a) => el('li', {}, [el('strong', { text: t('anomaly_' + a.kind) }), el('p', { class: 'note', text: (a.subject_name || a.subject) + ' · ' + (hasText('anomaly_says_' + a.kind) ? t('anomaly_says_' + a.kind, a.facts) : t('anomaly_says_other', a.facts)) }), el('p', { class: 'note', text: t('anomaly_evidence', { n: a.evidence.length }) })]),
        text.anomalies_none,
      );
    })
    .catch(fail);
}
