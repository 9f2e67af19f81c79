/**
 * The auditor's search (/app/auditor/search): the form's choices live in the
 * address (?kind=&member=&merchant=&org=&actor=&from=&to=), so a search can
 * be shared and the back button undoes a step. Each transaction shows its
 * postings by name and links to where it came from: ?claim= and
 * ?redemption= open that record here with its transactions, ?tx= one
 * transaction (the one a reversal reverses, or the reversal of it).
 */
import type { components, paths } from './contract.js';
import { api, ApiError, ok } from './api.js';
import { busy, byId, el, fail, fill, pairs } from './dom.js';
import { activityName, hundredths, points, time } from './format.js';
import { hasText, t, text } from './page-text.js';

type Tx = components['schemas']['AuditTransaction'];
type Posting = Tx['postings'][number];
type Who = NonNullable<Tx['actor_who']>;
type SearchQuery = NonNullable<paths['/v1/audit/transactions']['get']['parameters']['query']>;

const PAGE = 25;
// The address's keys and the search's, for what the form sets.
const FORM_KEYS = ['kind', 'member', 'merchant', 'org', 'actor', 'from', 'to'] as const;

const here = new URLSearchParams(location.search);
const merchants = new Map<string, string>();

/** A link to this page with these parameters (and the language, if the address names one). */
function link(params: Record<string, string>): string {
  const q = new URLSearchParams(params);
  const lang = here.get('lang');
  if (lang) q.set('lang', lang);
  return '?' + q.toString();
}

const whoText = (w: Who | null | undefined, fallback: string) =>
  !w ? fallback : w.member_no ? t('auditor_account_member', { name: w.name || text.member_unnamed, no: w.member_no }) : w.name || fallback;

/** An account as people know it: the member and number, the shop, the org's budget, or the programme's own. */
function accountText(p: Posting): string {
  if (p.account_kind === 'worker') return whoText(p.owner, t('auditor_account_unknown', { id: p.account_id }));
  if (p.account_kind === 'merchant' && p.owner?.name) return t('auditor_account_merchant', { name: p.owner.name });
  if (p.account_kind === 'budget' && p.owner?.name) return t('auditor_account_budget', { name: p.owner.name });
  if (hasText('acct_' + p.account_kind) && !p.owner_id) return t('acct_' + p.account_kind);
  return t('auditor_account_unknown', { id: p.account_id });
}

/** Who acted: the role in words, with the name where the API knows it. */
function actorText(tx: Tx): string {
  const role = tx.actor.split(':')[0]!;
  const roleWords = role === 'system' ? text.auditor_actor_system : hasText('role_' + role) ? t('role_' + role) : role;
  const subject = tx.actor.slice(role.length + 1);
  return `${roleWords} ${tx.actor_who ? whoText(tx.actor_who, subject) : subject}`.trim();
}

/** What the transaction moved: the sum of its credits. */
const moved = (tx: Tx) => points(tx.postings.reduce((n, p) => n + Math.max(0, hundredths(p.amount)), 0));

function signed(amount: string): string {
  return hundredths(amount) > 0 ? '+' + amount : amount;
}

/** One transaction: kind, amount, when and who, memo, postings by name, and its links. */
function row(tx: Tx): HTMLLIElement {
  const links: HTMLElement[] = [];
  // Not a link to the record this page already shows.
  const claimShown = here.get('claim'), redemptionShown = here.get('redemption');
  if (tx.claim_count === 1 && tx.claim_ids[0] !== claimShown) links.push(el('a', { href: link({ claim: tx.claim_ids[0]! }), 'data-link': 'claim', text: text.auditor_link_claim }));
  else if (tx.claim_count > 1) {
    links.push(el('span', { text: t('auditor_link_claims', { n: tx.claim_count }) }));
    tx.claim_ids.forEach((id, i) => links.push(el('a', { href: link({ claim: id }), 'data-link': 'claim', text: t('auditor_link_claim_n', { n: i + 1 }) })));
  }
  if (tx.redemption_id && tx.redemption_id !== redemptionShown) links.push(el('a', { href: link({ redemption: tx.redemption_id }), 'data-link': 'redemption', text: text.auditor_link_redemption }));
  if (tx.reverses_id) links.push(el('a', { href: link({ tx: tx.reverses_id }), 'data-link': 'reverses', text: text.auditor_link_reverses }));
  if (tx.reversed_by) links.push(el('a', { href: link({ tx: tx.reversed_by }), 'data-link': 'reversed-by', text: text.auditor_link_reversed_by }));
  if (here.get('tx') !== tx.id) links.push(el('a', { href: link({ tx: tx.id }), 'data-link': 'transaction', text: text.auditor_link_transaction }));
  return el('li', { 'data-tx-id': tx.id, 'data-kind': tx.kind, 'data-seq': tx.seq, 'data-amount': moved(tx) }, [
    el('div', { class: 'line' }, [el('strong', { text: hasText('kind_' + tx.kind) ? t('kind_' + tx.kind) : tx.kind }), el('span', { class: 'num', text: t('auditor_tx_amount', { n: moved(tx) }) })]),
    el('p', { class: 'note', text: t('auditor_tx_when_who', { when: time(tx.created_at), actor: actorText(tx), seq: tx.seq }) }),
    tx.memo ? el('p', { 'data-memo': true, text: tx.memo }) : null,
    el(
      'ul',
      { class: 'postings', 'aria-label': text.auditor_tx_postings },
      tx.postings.map((p) =>
        el('li', { class: 'line', 'data-account-id': p.account_id, 'data-posting': p.amount }, [el('span', { text: accountText(p) }), el('span', { class: 'num', text: signed(p.amount) })]),
      ),
    ),
    el('p', { class: 'row' }, links),
  ]);
}

/** Local days (YYYY-MM-DD, the phone's time zone) as the search's instants: from the first day's start to the last day's end. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString() : undefined;
}

/** The search the address asks for. */
function queryFromAddress(): SearchQuery {
  const q: SearchQuery = { limit: PAGE };
  const kind = here.get('kind'), member = here.get('member'), merchant = here.get('merchant'), org = here.get('org'), actor = here.get('actor');
  if (kind) q.kind = kind;
  if (member) q.member_id = member;
  if (merchant) q.merchant_id = merchant;
  if (org) q.org_id = org;
  if (actor) q.actor = actor;
  const from = dayStart(here.get('from') ?? ''), to = dayStart(here.get('to') ?? '', 1);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

/** A list of transactions, page by page ("more" follows the cursor). */
function listInto(list: HTMLElement, query: SearchQuery, more?: HTMLButtonElement, count?: HTMLElement): Promise<Tx[]> {
  let shown: Tx[] = [];
  let cursor: string | null = null;
  const load = (): Promise<Tx[]> =>
    ok(api.GET('/v1/audit/transactions', { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } })).then((page) => {
      shown = shown.concat(page.items);
      cursor = page.next_cursor;
      fill(list, shown, row, text.nothing_yet);
      list.setAttribute('data-count', String(shown.length));
      if (more) more.hidden = !cursor;
      if (count) count.textContent = t(cursor ? 'auditor_results_count_more' : 'auditor_results_count', { n: shown.length });
      return shown;
    });
  if (more) more.onclick = () => void load().catch(fail);
  return load();
}

/** The record section: a heading, its facts, and its transactions. */
function showRecord(heading: string, facts: ReadonlyArray<readonly [string, string | null | undefined]>, query: SearchQuery, kind: string): Promise<Tx[]> {
  const section = byId('record');
  section.hidden = false;
  section.setAttribute('data-record', kind);
  byId('record-heading').textContent = heading;
  pairs(byId('record-facts'), facts);
  return listInto(byId('record-transactions'), query).then((shown) => {
    section.scrollIntoView();
    return shown;
  });
}

async function showClaim(id: string): Promise<void> {
  const [claim, types] = await Promise.all([ok(api.GET('/v1/claims/{id}', { params: { path: { id } } })), ok(api.GET('/v1/activity-types'))]);
  const type = types.items.find((a) => a.code === claim.activity_code);
  const who = claim.member_no ? t('auditor_account_member', { name: claim.member_name || text.member_unnamed, no: claim.member_no }) : claim.member_id;
  await showRecord(
    t('auditor_search_record_claim', { who }),
    [
      [text.auditor_f_status, t('auditor_claim_status_' + claim.status)],
      [text.auditor_f_activity, activityName(type) || claim.activity_code],
      [text.auditor_f_occurred, time(claim.occurred_at)],
      [text.auditor_f_points, t('points', { n: claim.points })],
      [text.auditor_f_credited, claim.points_credited !== null ? t('points', { n: claim.points_credited }) : null],
      [text.auditor_f_submitted, t('auditor_who_at', { who: claim.submitted_by, when: time(claim.created_at) })],
      [text.auditor_f_decided, claim.decided_by && claim.decided_at ? t('auditor_who_at', { who: claim.decided_by, when: time(claim.decided_at) }) : null],
      [text.auditor_f_revoked, claim.revoked_by && claim.revoked_at ? t('auditor_who_at', { who: claim.revoked_by, when: time(claim.revoked_at) }) : null],
      [text.auditor_f_reason, claim.revocation_reason || claim.reason],
    ],
    { claim_id: id, limit: PAGE },
    'claim',
  );
  byId('record').setAttribute('data-claim-id', id);
}

async function showRedemption(id: string): Promise<void> {
  const r = await ok(api.GET('/v1/redemptions/{id}', { params: { path: { id } } }));
  const [catalog, txs] = await Promise.all([
    ok(api.GET('/v1/merchants/{id}/rewards', { params: { path: { id: r.merchant_id } } })).catch(() => ({ items: [] as Array<{ id: string; name: string }> })),
    ok(api.GET('/v1/audit/transactions', { params: { query: { redemption_id: id, limit: PAGE } } })),
  ]);
  const worker = txs.items.flatMap((tx) => tx.postings).find((p) => p.account_kind === 'worker');
  const memo = txs.items.find((tx) => tx.kind !== 'redemption_refund')?.memo;
  await showRecord(
    t('auditor_search_record_redemption', { who: worker ? accountText(worker) : r.member_id }),
    [
      [text.auditor_f_shop, merchants.get(r.merchant_id) ?? r.merchant_id],
      [text.auditor_f_reward, catalog.items.find((w) => w.id === r.reward_id)?.name ?? memo ?? r.reward_id],
      [text.auditor_f_quantity, String(r.quantity)],
      [text.auditor_f_points, t('points', { n: r.points })],
      [text.auditor_f_when, time(r.created_at)],
      [text.auditor_f_pickup, r.hold_id ? text.auditor_pickup_hold : text.auditor_pickup_code],
      [text.auditor_f_refund, r.refunded ? text.auditor_refunded_yes : text.auditor_refunded_no],
      [text.auditor_f_refundable_until, r.refunded ? null : time(r.refundable_until)],
    ],
    { redemption_id: id, limit: PAGE },
    'redemption',
  );
  byId('record').setAttribute('data-redemption-id', id);
}

async function showTransaction(id: string): Promise<void> {
  const page = await ok(api.GET('/v1/audit/transactions', { params: { query: { transaction_id: id, limit: 1 } } }));
  const tx = page.items[0];
  if (!tx) throw new Error(text.auditor_record_missing);
  await showRecord(t('auditor_search_record_transaction', { seq: tx.seq }), [], { transaction_id: id, limit: 1 }, 'transaction');
}

/** The member picker: a name or number typed, the matches offered, one picked (the search carries its id). */
function memberPicker(form: HTMLFormElement): void {
  const q = byId<HTMLInputElement>('search-member-q'), options = byId('search-member-options'), chosen = byId('search-member-chosen');
  const choose = (id: string, who: string) => {
    form.setAttribute('data-member-id', id);
    chosen.hidden = !id;
    chosen.textContent = id ? t('auditor_search_member_chosen', { who }) : '';
    options.hidden = true;
    options.textContent = '';
  };
  byId('search-member-find').addEventListener('click', () => {
    const typed = q.value.trim();
    if (!typed) return choose('', '');
    ok(api.GET('/v1/members', { params: { query: { q: typed, limit: 10 } } }))
      .then((page) => {
        options.hidden = false;
        fill(
          options,
          page.items,
          (m) => {
            const who = t('auditor_account_member', { name: m.display_name || text.member_unnamed, no: m.member_no });
            const pick = el('button', { type: 'button', class: 'secondary', 'data-member-no': m.member_no, text: t('auditor_search_member_pick', { who }) });
            pick.addEventListener('click', () => choose(m.id, who));
            return el('li', {}, [pick]);
          },
          text.auditor_search_member_none,
        );
        // One match is the one meant.
        if (page.items.length === 1) {
          const m = page.items[0]!;
          choose(m.id, t('auditor_account_member', { name: m.display_name || text.member_unnamed, no: m.member_no }));
        }
      })
      .catch(fail);
  });
  const member = here.get('member');
  if (member) {
    form.setAttribute('data-member-id', member);
    ok(api.GET('/v1/members/{id}', { params: { path: { id: member } } }))
      .then((m) => {
        q.value = m.member_no;
        choose(m.id, t('auditor_account_member', { name: m.display_name || text.member_unnamed, no: m.member_no }));
      })
      .catch(fail);
  }
}

/** Fills the shop and org pickers (every shop, every org in tree order), then the form from the address. */
async function fillPickers(): Promise<void> {
  const shop = byId<HTMLSelectElement>('search-merchant'), org = byId<HTMLSelectElement>('search-org');
  let cursor: string | undefined;
  do {
    const page: { items: Array<{ id: string; name: string }>; next_cursor: string | null } = await ok(api.GET('/v1/merchants', { params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } } }));
    page.items.forEach((m) => {
      merchants.set(m.id, m.name);
      shop.appendChild(el('option', { value: m.id, text: m.name }));
    });
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  const walk = (nodes: components['schemas']['OrgNode'][]) =>
    nodes.forEach((n) => {
      org.appendChild(el('option', { value: n.id, text: '\u3000'.repeat(n.depth) + n.name }));
      walk(n.children);
    });
  cursor = undefined;
  do {
    const page: { items: components['schemas']['OrgNode'][]; next_cursor?: string | null } = await ok(api.GET('/v1/orgs', { params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } } }));
    walk(page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  byId<HTMLSelectElement>('search-kind').value = here.get('kind') ?? '';
  shop.value = here.get('merchant') ?? '';
  org.value = here.get('org') ?? '';
  byId<HTMLInputElement>('search-actor').value = here.get('actor') ?? '';
  byId<HTMLInputElement>('search-from').value = here.get('from') ?? '';
  byId<HTMLInputElement>('search-to').value = here.get('to') ?? '';
}

/** The search page. */
export function searchPage(): void {
  const form = byId<HTMLFormElement>('audit-search');
  memberPicker(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
    const chosen: Record<(typeof FORM_KEYS)[number], string> = {
      kind: value('search-kind'),
      member: form.getAttribute('data-member-id') ?? '',
      merchant: value('search-merchant'),
      org: value('search-org'),
      actor: value('search-actor'),
      from: value('search-from'),
      to: value('search-to'),
    };
    if (chosen.from && chosen.to && chosen.from > chosen.to) {
      byId('search-from').focus();
      return fail(text.auditor_search_dates_backwards);
    }
    const params: Record<string, string> = {};
    FORM_KEYS.forEach((key) => chosen[key] && (params[key] = chosen[key]));
    location.assign(link(params));
  });
  form.addEventListener('reset', () => {
    form.removeAttribute('data-member-id');
    byId('search-member-chosen').hidden = true;
    byId('search-member-options').hidden = true;
  });
  void busy(form, fillPickers())
    .then(() => {
      const claim = here.get('claim'), redemption = here.get('redemption'), tx = here.get('tx');
      const results = byId('results').closest('section')!;
      if (claim || redemption || tx) {
        results.hidden = true;
        return (claim ? showClaim(claim) : redemption ? showRedemption(redemption) : showTransaction(tx!)).then(() => undefined);
      }
      return listInto(byId('results'), queryFromAddress(), byId<HTMLButtonElement>('results-more'), byId('results-count')).then(() => undefined);
    })
    .catch((error: unknown) => fail(error instanceof ApiError && error.status === 404 ? new Error(text.auditor_record_missing) : error));
}
