/**
 * The auditor's page: the weekly chart (inline SVG drawn from
 * /v1/audit/weekly, with the same figures as a table), the trial balance,
 * verification, the latest signed checkpoint, exports of a seq range (and
 * how to verify one offline), and the anomalies with the records behind them.
 */
import type { components } from './contract.js';
import { answered, api, ApiError, ok } from './api.js';
import { byId, el, fail, fill, pairs } from './dom.js';
import { hundredths, points, time } from './format.js';
import { guard } from './guard.js';
import { hasText, lang, t, text } from './page-text.js';
import { searchPage } from './auditor-search.js';

type Week = components['schemas']['WeeklyTotals']['items'][number];
type Anomaly = components['schemas']['Anomalies']['items'][number];
type EvidenceRecord = Anomaly['records'][number];
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
      if (!byId('verify-command').getAttribute('data-file')) verifyCommand('jifen-ledger-1-' + v.to_seq + '.ndjson');
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

const CHECKPOINTS_FILE = 'jifen-checkpoints.json';
const JWKS_FILE = 'jifen-jwks.json';

/** The command that verifies an NDJSON export offline (scripts/verify.ts), with the files this page saves. */
function verifyCommand(file: string): void {
  const code = byId('verify-command');
  code.textContent = 'npm run verify -- --file ' + file + ' --checkpoints ' + CHECKPOINTS_FILE + ' --jwks ' + JWKS_FILE;
  code.setAttribute('data-file', file);
}

/**
 * Saves a Blob as a file: an object URL on a transient <a download>. The
 * export was fetched with the token in the Authorization header, so no
 * address (and no log or history) ever holds the token.
 */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A seq typed in a box: undefined when empty, null when not a whole number from 1. */
function seqValue(id: string): number | undefined | null {
  const value = byId<HTMLInputElement>(id).value.trim();
  if (!value) return undefined;
  return /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}

function exportLedger(format: 'csv' | 'ndjson'): void {
  const out = byId('export-result');
  const show = (message: string, good: boolean) => {
    out.textContent = message;
    out.className = 'message ' + (good ? 'ok' : 'error');
  };
  const from = seqValue('export-from');
  const to = seqValue('export-to');
  if (from === null || to === null) return show(text.auditor_export_bad_seq, false);
  if (from !== undefined && to !== undefined && from > to) return show(text.auditor_export_bad_range, false);
  out.className = 'message';
  out.textContent = text.auditor_export_working;
  const query = { format, ...(from !== undefined ? { from_seq: from } : {}), ...(to !== undefined ? { to_seq: to } : {}) };
  answered(api.GET('/v1/audit/export', { params: { query }, parseAs: 'blob' }))
    .then(({ data, response }) => {
      // The service names the file by the range it sent: jifen-ledger-{from}-{to}.{format}.
      const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') || '');
      const file = named ? named[1]! : 'jifen-ledger.' + format;
      save(data as unknown as Blob, file);
      out.setAttribute('data-file', file);
      const range = /-(\d+)-(\d+)\.[a-z]+$/.exec(file);
      const first = range ? Number(range[1]) : 1;
      const last = range ? Number(range[2]) : 0;
      if (last < first) show(t('auditor_export_empty', { file, head: last }), true);
      else show(t('auditor_export_done', { file, from: first, to: last, n: last - first + 1 }), true);
      if (format === 'ndjson') {
        if (first === 1) verifyCommand(file);
        const note = byId('offline-result');
        note.textContent = first === 1 ? '' : t('auditor_offline_not_from_start', { file });
        note.className = first === 1 ? '' : 'message error';
      }
    })
    .catch((error: unknown) => show(error instanceof Error ? error.message : String(error), false));
}

function saveJson(file: string, load: () => Promise<unknown>): void {
  const out = byId('offline-result');
  load()
    .then((value) => {
      save(new Blob([JSON.stringify(value)], { type: 'application/json' }), file);
      out.textContent = t('auditor_offline_saved', { file });
      out.className = 'message ok';
    })
    .catch(fail);
}

/** The page's word for a record's status or kind, or null when it has none. */
function recordKind(r: EvidenceRecord): string | null {
  if (!r.kind) return null;
  const key = r.type === 'claim' ? 'auditor_claim_' + r.kind : r.type === 'transaction' ? 'kind_' + r.kind : r.type === 'redemption' ? 'auditor_redemption_' + r.kind : 'auditor_failure_' + r.kind;
  return hasText(key) ? t(key) : null;
}

/** One record behind a finding, as people know it: what, when, who, how many points. */
function recordItem(r: EvidenceRecord): HTMLElement {
  const what = lang === 'en' ? r.what_en || r.what_zh : r.what_zh;
  const parts = [
    t('auditor_record_' + r.type),
    time(r.at),
    r.occurred_on ? t('auditor_record_activity_day', { d: r.occurred_on }) : null,
    r.member,
    what,
    r.points !== null ? t('points', { n: r.points }) : null,
    recordKind(r),
  ];
  return el('li', { 'data-record-id': r.id, 'data-type': r.type, 'data-points': r.points, text: parts.filter((p) => p).join(' · ') });
}

/** A finding: what it is, its figures, what it means (with the rule that found it), and its records, one click away. */
function anomalyItem(a: Anomaly, thresholds: Record<string, string>): HTMLElement {
  const says = hasText('anomaly_says_' + a.kind) ? t('anomaly_says_' + a.kind, a.facts) : t('anomaly_says_other', a.facts);
  const means = hasText('auditor_means_' + a.kind) ? t('auditor_means_' + a.kind, thresholds) : text.auditor_means_other;
  const records = a.records.length
    ? el('ul', { class: 'list' }, a.records.map(recordItem))
    : el('p', { class: 'note', text: text.auditor_records_none });
  return el('li', { 'data-kind': a.kind }, [
    el('strong', { text: t('anomaly_' + a.kind) }),
    el('p', { class: 'note', text: (a.subject_name || a.subject) + ' · ' + says }),
    el('p', { class: 'note', 'data-means': a.kind, text: means }),
    el('details', {}, [el('summary', { text: t('auditor_records_open', { n: a.records.length }) }), records]),
  ]);
}

const me = guard();
if (me && document.getElementById('audit-search')) searchPage();
else if (me) {
  byId('export-csv').addEventListener('click', () => exportLedger('csv'));
  byId('export-ndjson').addEventListener('click', () => exportLedger('ndjson'));
  byId('save-checkpoints').addEventListener('click', () => saveJson(CHECKPOINTS_FILE, () => ok(api.GET('/v1/audit/checkpoints'))));
  byId('save-jwks').addEventListener('click', () =>
    saveJson(JWKS_FILE, () =>
      fetch('/.well-known/jwks.json', { credentials: 'omit', cache: 'no-store' }).then((res) => {
        if (!res.ok) throw new ApiError(text.err_network, res.status);
        return res.json() as Promise<unknown>;
      }),
    ),
  );

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
      fill(byId('anomalies'), result.items, (a) => anomalyItem(a, result.thresholds), text.anomalies_none);
    })
    .catch(fail);
}
