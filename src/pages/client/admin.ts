/**
 * The admin console (/app/admin/…): the org tree and budgets, activity types
 * and campaigns, merchants, members, corrections and checkpoints, and the
 * register of certificates. Auditors
 * read the same pages; the forms (`data-admin-only`) are hidden for them,
 * and the API refuses their writes anyway.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, has, say } from './dom.js';
import { activityName, date, localInput, time } from './format.js';
import { guard } from './guard.js';
import { t, text } from './page-text.js';
import { kindsUnder, type OrgKind } from '../../orgs/kinds.js';
import { badField, fillOrgPickers, loadOrgs, typedPoints, value, type Org } from './admin-shared.js';
import { merchantsPage } from './admin-merchants.js';
import { membersPage } from './admin-members.js';
import { certificatesPage } from './admin-certificates.js';

type ActivityType = components['schemas']['ActivityType'];
type ActivityTypeInput = components['schemas']['ActivityTypeInput'];
type CampaignInput = components['schemas']['CampaignInput'];
type Transaction = components['schemas']['Transaction'];

const me = guard();
if (me) {
  const readOnly = me.role !== 'admin';
  if (readOnly) {
    document.querySelectorAll<HTMLElement>('[data-admin-only]').forEach((e) => (e.hidden = true));
    say(text.admin_read_only);
  }
  let orgs: Org[] = [];
  const orgsLoaded = loadOrgs().then((list) => {
    orgs = list;
    fillOrgPickers(list);
    return list;
  });
  const orgsNow = () => orgs;
  orgsLoaded.catch(fail);

  if (has('org-tree')) orgsPage();
  if (has('types')) activitiesPage();
  if (has('merchants')) merchantsPage(orgsLoaded);
  if (has('members')) membersPage(orgsLoaded, orgsNow);
  if (has('checkpoints')) ledgerPage();
  if (has('register')) certificatesPage(!readOnly);

  /** Reloads the tree (and the pickers) after an org was added. */
  function reloadOrgs(): Promise<Org[]> {
    return loadOrgs().then((list) => {
      orgs = list;
      fillOrgPickers(list);
      return list;
    });
  }

  function orgsPage(): void {
    const tree = byId('org-tree'), parent = byId<HTMLSelectElement>('org-parent'), kind = byId<HTMLSelectElement>('org-kind');
    function showTree(list: Org[]) {
      return Promise.all(list.map((org) => ok(api.GET('/v1/orgs/{id}/budget', { params: { path: { id: org.id } } })).catch(() => null))).then((budgets) =>
        fill(tree, list, (org) => {
          const b = budgets[list.indexOf(org)];
          const own = b && b.allocated !== '0.00';
          const kindName = t('org_kind_' + org.kind);
          const line = own ? t('admin_org_line', { kind: kindName, remaining: b!.remaining }) : t('admin_org_line_none', { kind: kindName });
          return el('li', { 'data-org-id': org.id, 'data-depth': org.depth, class: 'depth-' + Math.min(org.depth, 5) }, [
            el('strong', { text: org.name }),
            el('p', { class: 'note', 'data-remaining': own ? b!.remaining : '', text: line }),
          ]);
        }),
      );
    }
    // Only the kinds the chosen parent may hold (the API's rule, src/orgs/kinds.ts).
    function offerKinds() {
      const p = orgs.find((o) => o.id === parent.value);
      const allowed = kindsUnder(p ? (p.kind as OrgKind) : null);
      Array.from(kind.options).forEach((o) => (o.hidden = o.disabled = !allowed.includes(o.value as OrgKind)));
      if (kind.selectedOptions[0]?.disabled) kind.value = allowed[0] ?? '';
    }
    orgsLoaded.then(showTree).then(offerKinds).catch(fail);
    parent.addEventListener('change', offerKinds);
    const allocations = byId('allocations');
    function loadAllocations() {
      return ok(api.GET('/v1/budget-allocations', { params: { query: { limit: 100 } } }))
        .then((page) =>
          fill(allocations, page.items, (a) =>
            el('li', { 'data-tx': a.transaction_id }, [
              el('div', { class: 'line' }, [el('strong', { text: a.org_name }), el('span', { class: 'amount', text: t('points', { n: a.amount }) })]),
              el('p', { class: 'note', text: [t('admin_alloc_line', { date: time(a.created_at), memo: a.memo || '' }), a.reversed_by ? text.admin_alloc_reversed : ''].filter(Boolean).join(' · ') }),
            ]),
          ),
        )
        .catch(fail);
    }
    loadAllocations();
    const orgForm = byId<HTMLFormElement>('org-form');
    orgForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = value('org-name');
      if (!name) return fail(badField('org-name'));
      const body = { name, kind: kind.value as OrgKind, ...(parent.value ? { parent_id: parent.value } : {}) };
      busy(orgForm, ok(api.POST('/v1/orgs', { body })))
        .then((org) => {
          say(t('admin_org_added', { name: org.name }));
          byId<HTMLInputElement>('org-name').value = '';
          return reloadOrgs().then((list) => {
            parent.value = org.id;
            offerKinds();
            return showTree(list);
          });
        })
        .catch(fail);
    });
    const allocForm = byId<HTMLFormElement>('alloc-form');
    allocForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const orgId = byId<HTMLSelectElement>('alloc-org').value;
      const amount = typedPoints('alloc-amount');
      if (!amount) return fail(badField('alloc-amount'));
      const memo = value('alloc-memo');
      busy(allocForm, ok(api.POST('/v1/budget-allocations', { body: { org_id: orgId, amount, ...(memo ? { memo } : {}) } })))
        .then((a) => {
          say(t('admin_alloc_done', { org: orgs.find((o) => o.id === a.org_id)?.name ?? '', n: a.amount }));
          allocForm.reset();
          byId<HTMLSelectElement>('alloc-org').value = orgId;
          return Promise.all([showTree(orgs), loadAllocations()]);
        })
        .catch(fail);
    });
  }

  function rate(type: Pick<ActivityType, 'unit' | 'points_per_unit'>): string {
    return t('admin_type_rate_' + type.unit, { n: type.points_per_unit });
  }

  function activitiesPage(): void {
    const list = byId('types'), form = byId<HTMLFormElement>('type-form'), code = byId<HTMLInputElement>('type-code');
    const known: Record<string, ActivityType> = {};
    function load() {
      return ok(api.GET('/v1/activity-types')).then((page) => {
        page.items.forEach((type) => (known[type.code] = type));
        const activity = byId<HTMLSelectElement>('campaign-activity');
        Array.from(activity.options).forEach((o) => o.value && o.remove());
        page.items.forEach((type) => activity.appendChild(el('option', { value: type.code, text: activityName(type) })));
        fill(list, page.items, item);
      });
    }
    function item(type: ActivityType): HTMLLIElement {
      const cap = (v: string | null) => (v ? t('points', { n: v }) : text.admin_type_no_cap);
      const history = el('ul', { class: 'list', hidden: true });
      const li = el('li', { 'data-code': type.code }, [
        el('div', { class: 'line' }, [el('strong', { text: activityName(type) }), el('span', { class: 'badge', text: t('admin_type_version', { v: type.version }) })]),
        el('p', { class: 'note', text: [rate(type), t('admin_type_caps', { daily: cap(type.daily_cap), monthly: cap(type.monthly_cap) }), type.requires_evidence ? text.admin_type_evidence : ''].filter(Boolean).join(' · ') }),
        el('div', { class: 'row' }, [
          readOnly ? null : el('button', { type: 'button', class: 'secondary', 'data-action': 'edit', text: text.admin_type_edit }),
          el('button', { type: 'button', class: 'secondary', 'data-action': 'history', 'aria-expanded': 'false', text: text.admin_type_versions }),
        ]),
        history,
      ]);
      li.addEventListener('click', (event) => {
        const action = (event.target as Element).getAttribute('data-action');
        if (action === 'edit') edit(type);
        if (action === 'history') {
          const button = event.target as HTMLButtonElement;
          history.hidden = !history.hidden;
          button.setAttribute('aria-expanded', String(!history.hidden));
          if (!history.hidden)
            ok(api.GET('/v1/activity-types/{code}', { params: { path: { code: type.code } } }))
              .then((v) => fill(history, v.items, (one) => el('li', { class: 'note', text: t('admin_type_version_line', { v: one.version, date: time(one.created_at), rate: rate(one) }) })))
              .catch(fail);
        }
      });
      return li;
    }
    function edit(type: ActivityType) {
      code.value = type.code;
      byId<HTMLInputElement>('type-name-zh').value = type.name.zh;
      byId<HTMLInputElement>('type-name-en').value = type.name.en;
      byId<HTMLSelectElement>('type-unit').value = type.unit;
      byId<HTMLInputElement>('type-points').value = type.points_per_unit;
      byId<HTMLInputElement>('type-daily').value = type.daily_cap ?? '';
      byId<HTMLInputElement>('type-monthly').value = type.monthly_cap ?? '';
      byId<HTMLInputElement>('type-threshold').value = type.maker_checker_threshold ?? '';
      byId<HTMLInputElement>('type-evidence').checked = type.requires_evidence;
      byId('type-name-zh').focus();
    }
    load().catch(fail);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const typeCode = value('type-code');
      if (!/^[a-z][a-z0-9_]{1,63}$/.test(typeCode)) return fail(badField('type-code'));
      const pts = typedPoints('type-points');
      if (!pts) return fail(badField('type-points'));
      const body: ActivityTypeInput = {
        code: typeCode,
        name: { zh: value('type-name-zh'), en: value('type-name-en') },
        unit: byId<HTMLSelectElement>('type-unit').value as ActivityTypeInput['unit'],
        points_per_unit: pts,
        requires_evidence: byId<HTMLInputElement>('type-evidence').checked,
      };
      if (!body.name.zh) return fail(badField('type-name-zh'));
      if (!body.name.en) return fail(badField('type-name-en'));
      for (const [id, field] of [['type-daily', 'daily_cap'], ['type-monthly', 'monthly_cap']] as const) {
        if (!value(id)) continue;
        const v = typedPoints(id);
        if (!v) return fail(badField(id));
        body[field] = v;
      }
      if (value('type-threshold')) {
        const v = value('type-threshold') === '0' ? '0' : typedPoints('type-threshold');
        if (!v) return fail(badField('type-threshold'));
        body.maker_checker_threshold = v;
      }
      const existing = known[typeCode];
      const { code: _code, ...version } = body;
      const call = existing ? api.PUT('/v1/activity-types/{code}', { params: { path: { code: typeCode } }, body: version }) : api.POST('/v1/activity-types', { body });
      busy(form, ok(call))
        .then((saved) => {
          say(existing ? t('admin_type_versioned', { name: activityName(saved), v: saved.version }) : t('admin_type_created', { name: activityName(saved) }));
          form.reset();
          return load();
        })
        .catch(fail);
    });
    campaigns();
  }

  function campaigns(): void {
    const list = byId('campaigns'), form = byId<HTMLFormElement>('campaign-form');
    const starts = byId<HTMLInputElement>('campaign-starts'), ends = byId<HTMLInputElement>('campaign-ends');
    starts.value = localInput(new Date());
    ends.value = localInput(new Date(Date.now() + 7 * 86_400_000));
    function load() {
      return Promise.all([ok(api.GET('/v1/campaigns')), ok(api.GET('/v1/activity-types')), orgsLoaded]).then(([page, types]) =>
        fill(list, page.items, (c) => {
          const activities = (c.activity_codes ?? []).map((code) => activityName(types.items.find((x) => x.code === code)) || code);
          const org = c.org_id ? orgs.find((o) => o.id === c.org_id)?.name ?? '' : '';
          const scope = activities.length || org ? [activities.join('、'), org].filter(Boolean).join(' · ') : text.admin_campaign_everywhere;
          return el('li', {}, [el('strong', { text: c.name }), el('p', { class: 'note', text: t('admin_campaign_line', { m: c.multiplier, from: date(c.starts_at), to: date(c.ends_at), scope }) })]);
        }),
      );
    }
    load().catch(fail);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = value('campaign-name');
      if (!name) return fail(badField('campaign-name'));
      const multiplier = value('campaign-multiplier');
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(multiplier)) return fail(badField('campaign-multiplier'));
      const body: CampaignInput = { name, multiplier, starts_at: new Date(starts.value).toISOString(), ends_at: new Date(ends.value).toISOString() };
      const activity = byId<HTMLSelectElement>('campaign-activity').value, org = byId<HTMLSelectElement>('campaign-org').value;
      if (activity) body.activity_codes = [activity];
      if (org) body.org_id = org;
      busy(form, ok(api.POST('/v1/campaigns', { body })))
        .then((c) => {
          say(t('admin_campaign_created', { name: c.name }));
          byId<HTMLInputElement>('campaign-name').value = '';
          return load();
        })
        .catch(fail);
    });
  }

  function ledgerPage(): void {
    const checkpoints = byId('checkpoints');
    function loadCheckpoints() {
      return ok(api.GET('/v1/audit/checkpoints')).then((page) =>
        fill(checkpoints, page.items, (c) => el('li', { 'data-seq': c.seq }, [el('strong', { text: t('admin_checkpoint_line', { seq: c.seq, date: time(c.issued_at) }) }), el('p', { class: 'note', text: c.hash })])),
      );
    }
    loadCheckpoints().catch(fail);
    byId('checkpoint-new').addEventListener('click', () => {
      ok(api.POST('/v1/audit/checkpoints', {}))
        .then((c) => {
          say(t('admin_checkpoint_made', { seq: c.seq }));
          return loadCheckpoints();
        })
        .catch(fail);
    });
    if (readOnly) return;

    const reverse = byId<HTMLSelectElement>('reverse-tx');
    // What this form may reverse (the schema's rule): budget allocations and adjustments not yet reversed.
    function loadReversible() {
      const kinds = ['budget_allocation', 'adjustment'] as const;
      return Promise.all([...kinds, 'reversal'].map((kind) => ok(api.GET('/v1/audit/transactions', { params: { query: { kind, limit: 200 } } })))).then((pages) => {
        const reversed = new Set(pages[2]!.items.map((tx) => tx.reverses_id));
        const open = [...pages[0]!.items, ...pages[1]!.items].filter((tx) => !reversed.has(tx.id)).sort((a, b) => b.seq - a.seq);
        reverse.textContent = '';
        if (!open.length) reverse.appendChild(el('option', { value: '', text: text.admin_reverse_none }));
        open.forEach((tx) => reverse.appendChild(el('option', { value: tx.id, 'data-seq': tx.seq, text: optionText(tx) })));
      });
    }
    function optionText(tx: Transaction): string {
      const moved = tx.postings.find((p) => !p.amount.startsWith('-'))?.amount ?? '0.00';
      return t('admin_reverse_option', { seq: tx.seq, kind: t('kind_' + tx.kind), amount: moved, date: date(tx.created_at), memo: tx.memo || '' });
    }
    loadReversible().catch(fail);
    const reverseForm = byId<HTMLFormElement>('reverse-form');
    reverseForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!reverse.value) return fail(badField('reverse-tx'));
      const reason = value('reverse-reason');
      if (reason.length < 3) return fail(badField('reverse-reason'));
      const seq = reverse.selectedOptions[0]?.getAttribute('data-seq') ?? '';
      busy(reverseForm, ok(api.POST('/v1/adjustments', { body: { reason, reverses_transaction_id: reverse.value } })))
        .then(() => {
          say(t('admin_reverse_done', { seq }));
          reverseForm.reset();
          return loadReversible();
        })
        .catch(fail);
    });

    const adjustForm = byId<HTMLFormElement>('adjust-form');
    adjustForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const number = value('adjust-member');
      if (!number) return fail(badField('adjust-member'));
      const amount = typedPoints('adjust-amount', true);
      if (!amount) return fail(badField('adjust-amount'));
      const reason = value('adjust-reason');
      if (reason.length < 3) return fail(badField('adjust-reason'));
      const org = orgs.find((o) => o.id === byId<HTMLSelectElement>('adjust-org').value);
      if (!org) return fail(badField('adjust-org'));
      const negated = amount.startsWith('-') ? amount.slice(1) : '-' + amount;
      busy(
        adjustForm,
        ok(api.GET('/v1/members/{id}', { params: { path: { id: number } } })).then((member) =>
          ok(api.POST('/v1/adjustments', { body: { reason, postings: [{ account_id: member.account_id, amount }, { account_id: org.budget_account_id, amount: negated }] } })).then(() => member),
        ),
      )
        .then((member) => {
          say(t('admin_adjust_done', { name: member.display_name || text.member_unnamed, no: member.member_no, amount }));
          adjustForm.reset();
          return loadReversible();
        })
        .catch(fail);
    });
  }
}
