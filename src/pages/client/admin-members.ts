/**
 * The console's members page: search, one member (edit, deactivate or
 * reactivate, the kept changes), a spreadsheet import checked before it is
 * committed, and a printable sheet of sign-in cards for the selected members.
 */
import type { components } from './contract.js';
import { api, ApiError, ok } from './api.js';
import { busy, byId, el, fail, fill, pairs, say } from './dom.js';
import { time } from './format.js';
import { hasText, t, text } from './page-text.js';
import { actorWords, badField, value, type Org } from './admin-shared.js';
import { memberName, showSignInCards } from './sign-in-cards.js';

type Member = components['schemas']['MemberWithBalance'];
type MemberDetail = components['schemas']['MemberDetail'];
type MemberPatch = components['schemas']['MemberPatch'];
type ImportReport = components['schemas']['ImportReport'];

const name = memberName;

export function membersPage(orgsLoaded: Promise<Org[]>, orgs: () => Org[]): void {
  const list = byId('members'), more = byId<HTMLButtonElement>('members-more'), print = byId<HTMLButtonElement>('print-cards');
  const selected = new Map<string, Member>();
  let cursor: string | null = null;
  let shown: Member[] = [];
  let current: MemberDetail | null = null;

  function query() {
    const q = value('member-q'), org = byId<HTMLSelectElement>('member-org').value, status = byId<HTMLSelectElement>('member-status').value as Member['status'] | '';
    return { limit: 25, ...(q ? { q } : {}), ...(org ? { org_id: org } : {}), ...(status ? { status } : {}) };
  }
  function search(next = false) {
    const params = { query: { ...query(), ...(next && cursor ? { cursor } : {}) } };
    return ok(api.GET('/v1/members', { params })).then((page) => {
      shown = next ? shown.concat(page.items) : page.items;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      fill(list, shown, row);
      byId('member-count').textContent = t('admin_member_count', { n: shown.length });
    });
  }
  function row(m: Member): HTMLLIElement {
    const pick = el('input', { type: 'checkbox', 'aria-label': t('admin_member_pick', { name: name(m) }), checked: selected.has(m.id), 'data-admin-only': true, hidden: print.hidden });
    pick.addEventListener('change', () => {
      if (pick.checked) selected.set(m.id, m);
      else selected.delete(m.id);
      countSelected();
    });
    const open = el('button', { type: 'button', class: 'secondary', text: text.admin_member_open, 'aria-label': `${text.admin_member_open} ${name(m)}` });
    open.addEventListener('click', () => showMember(m.id).catch(fail));
    return el('li', { 'data-member-no': m.member_no }, [
      el('div', { class: 'line' }, [el('label', { class: 'check' }, [pick, ' ', el('strong', { text: name(m) })]), open]),
      el('p', {
        class: 'note',
        text: [t('admin_member_line', { no: m.member_no, org: m.home_org_name || '', balance: m.balance.available }), m.status === 'deactivated' ? text.member_status_deactivated : ''].filter(Boolean).join(' · '),
      }),
    ]);
  }
  function countSelected() {
    print.disabled = selected.size === 0;
    print.textContent = selected.size ? `${text.admin_cards_print}（${t('admin_cards_count', { n: selected.size })}）` : text.admin_cards_print;
  }

  const searchForm = byId<HTMLFormElement>('member-search');
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(searchForm, search()).catch(fail);
  });
  more.addEventListener('click', () => search(true).catch(fail));
  orgsLoaded.then(() => search()).catch(fail);

  // One member: its facts, the edit form filled in, and its kept changes.
  function showMember(id: string): Promise<void> {
    return ok(api.GET('/v1/members/{id}', { params: { path: { id } } })).then((m) => {
      current = m;
      const section = byId('member-detail');
      section.hidden = false;
      byId('member-heading').textContent = t('admin_card_member', { name: name(m), no: m.member_no });
      pairs(byId('member-facts'), [
        [text.admin_f_member_no, m.member_no],
        [text.admin_f_platform, m.platform ? t('platform_' + m.platform) : ''],
        [text.admin_f_home_org_id, m.home_org_name],
        [text.admin_f_external_ref, m.external_ref],
        [text.admin_f_status, t('member_status_' + m.status)],
        [text.admin_f_balance, t('points', { n: m.balance.available })],
        [text.admin_f_created_at, time(m.created_at)],
      ]);
      byId<HTMLInputElement>('edit-name').value = m.display_name ?? '';
      byId<HTMLSelectElement>('edit-platform').value = m.platform ?? '';
      byId<HTMLSelectElement>('edit-org').value = m.home_org_id;
      byId<HTMLInputElement>('edit-ref').value = m.external_ref ?? '';
      byId<HTMLInputElement>('edit-reason').value = '';
      byId('member-toggle').textContent = m.status === 'active' ? text.admin_member_deactivate : text.admin_member_reactivate;
      fill(byId('member-changes'), m.changes, (c) =>
        el('li', {}, [
          el('strong', { text: t('admin_change_line', { when: time(c.created_at), actor: actorWords(c.actor) }) }),
          ...Object.keys(c.after).map((field) => el('p', { class: 'note', text: t('admin_change_field', { field: fieldName(field), before: shownValue(field, c.before[field]), after: shownValue(field, c.after[field]) }) })),
          c.reason ? el('p', { class: 'note', text: t('admin_change_reason', { reason: c.reason }) }) : null,
        ]),
      );
      section.scrollIntoView();
    });
  }
  function fieldName(field: string): string {
    return hasText('admin_f_' + field) ? t('admin_f_' + field) : field;
  }
  function shownValue(field: string, v: string | null | undefined): string {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'platform') return t('platform_' + v);
    if (field === 'status') return t('member_status_' + v);
    if (field === 'home_org_id') return orgs().find((o) => o.id === v)?.name ?? v;
    return v;
  }
  function change(patch: MemberPatch, done: (m: MemberDetail) => string): Promise<void> {
    const m = current!;
    return ok(api.PATCH('/v1/members/{id}', { params: { path: { id: m.id } }, body: patch })).then(() =>
      showMember(m.id).then(() => {
        say(done(current!));
        return search();
      }),
    );
  }
  const editForm = byId<HTMLFormElement>('member-edit');
  editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const m = current;
    if (!m) return;
    const patch: MemberPatch = {};
    const displayName = value('edit-name'), platform = byId<HTMLSelectElement>('edit-platform').value, org = byId<HTMLSelectElement>('edit-org').value, ref = value('edit-ref');
    if (displayName !== (m.display_name ?? '')) patch.display_name = displayName || null;
    if (platform !== (m.platform ?? '')) patch.platform = (platform || null) as MemberPatch['platform'];
    if (org && org !== m.home_org_id) patch.home_org_id = org;
    if (ref !== (m.external_ref ?? '')) patch.external_ref = ref || null;
    if (!Object.keys(patch).length) return say(text.admin_member_unchanged);
    const reason = value('edit-reason');
    if (reason) patch.reason = reason;
    busy(editForm, change(patch, (after) => t('admin_member_saved', { name: name(after) }))).catch(fail);
  });
  byId('member-toggle').addEventListener('click', () => {
    const m = current;
    if (!m) return;
    const status = m.status === 'active' ? 'deactivated' : 'active';
    const reason = value('edit-reason');
    change({ status, ...(reason ? { reason } : {}) }, (after) => t(status === 'active' ? 'admin_member_reactivated_ok' : 'admin_member_deactivated_ok', { name: name(after) })).catch(fail);
  });

  // The import: a dry run first, its report shown, then the same file committed.
  const importForm = byId<HTMLFormElement>('import-form'), report = byId('import-report'), commit = byId<HTMLButtonElement>('import-commit');
  let sheet: Uint8Array | null = null;
  function send(bytes: Uint8Array, dryRun: boolean) {
    const atomic = byId<HTMLInputElement>('import-atomic').checked ? 'true' : 'false';
    return ok(
      api.POST('/v1/members/import', {
        params: { query: { dry_run: dryRun ? 'true' : 'false', atomic } },
        body: bytes as unknown as string,
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { 'content-type': 'text/csv' },
      }),
    );
  }
  function showReport(r: ImportReport, done: boolean) {
    pairs(byId('import-figures'), [
      [text.admin_import_encoding, r.encoding === 'gb18030' ? 'GB18030' : 'UTF-8'],
      [text.admin_import_lines, r.lines],
      [done ? text.admin_import_created_done : text.admin_import_created, r.created],
      [text.admin_import_existing, r.existing],
      [text.admin_import_refused, r.refused.length],
    ]);
    fill(byId('import-refused'), r.refused, (x) => el('li', { class: 'note', 'data-line': x.line, text: t('admin_import_refused_line', { line: x.line, reason: refusalWords(x.code, x.detail) }) }), '');
    report.hidden = false;
  }
  function refusalWords(code: string, detail: string): string {
    return hasText('err_' + code) ? t('err_' + code) : detail;
  }
  importForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = byId<HTMLInputElement>('import-file').files?.[0];
    if (!file) return fail(badField('import-file'));
    report.hidden = true;
    busy(
      importForm,
      file.arrayBuffer().then((buffer) => {
        sheet = new Uint8Array(buffer);
        return send(sheet, true);
      }),
    )
      .then((r) => {
        showReport(r, false);
        const atomic = byId<HTMLInputElement>('import-atomic').checked;
        const blocked = atomic && r.refused.length > 0;
        commit.hidden = blocked || r.created === 0;
        if (blocked) fail(t('admin_import_blocked', { n: r.refused.length }));
        else if (r.created === 0) say(text.admin_import_nothing);
        else say(t('admin_import_ready', { n: r.created }));
      })
      .catch(fail);
  });
  byId<HTMLInputElement>('import-file').addEventListener('change', () => {
    report.hidden = true;
    sheet = null;
  });
  commit.addEventListener('click', () => {
    if (!sheet) return;
    commit.disabled = true;
    send(sheet, false)
      .then((r) => {
        showReport(r, true);
        commit.hidden = true;
        say(t('admin_import_done', { created: r.created, existing: r.existing }));
        return search();
      })
      .catch((error: unknown) => {
        // An atomic import refused at commit names its lines (the file changed since the check, or someone else registered them).
        const lines = error instanceof ApiError ? error.errors.map((e) => e.message || '').filter(Boolean) : [];
        fail(lines.length ? { message: `${(error as Error).message} ${lines.slice(0, 20).join('；')}` } : error);
      })
      .then(() => (commit.disabled = false));
  });

  // Sign-in cards for the selected members: one new code each, laid out for A4.
  const sheetSection = byId('card-sheet');
  print.addEventListener('click', () => {
    if (!selected.size) return fail(text.admin_cards_none);
    print.disabled = true;
    const members = Array.from(selected.values());
    showSignInCards(sheetSection, members)
      .then((printNow) => {
        say(t('admin_cards_made', { n: members.length }));
        printNow.focus();
      })
      .catch(fail)
      .then(() => (print.disabled = selected.size === 0));
  });
}
