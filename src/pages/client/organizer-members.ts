/**
 * The organizer's members page: find a member by name or number, register
 * one in the subtree, one member's facts and claims (revoke an approved one,
 * saying first what it does to the balance and the budget), and a sign-in
 * card to print (the console's, src/pages/client/sign-in-cards.ts).
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { busy, byId, el, fail, fill, pairs, say } from './dom.js';
import { hundredths, points, time } from './format.js';
import { t, text } from './page-text.js';
import { badField, fillOrgPickers, loadOrgs, value } from './admin-shared.js';
import { memberName, showSignInCards } from './sign-in-cards.js';
import { activityWords, statusWords, unitsWords, type ActivityType, type Claim } from './organizer-shared.js';

type Member = components['schemas']['MemberWithBalance'];
type MemberDetail = components['schemas']['MemberDetail'];
type MemberInput = components['schemas']['MemberInput'];

export function membersPage(typesLoaded: Promise<unknown>, types: Readonly<Record<string, ActivityType>>): void {
  const list = byId('members'), detail = byId('member-detail');
  let current: MemberDetail | null = null;

  loadOrgs().then(fillOrgPickers).catch(fail);

  const searchForm = byId<HTMLFormElement>('member-search');
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = value('member-q');
    if (!q) return fail(badField('member-q'));
    busy(searchForm, ok(api.GET('/v1/members', { params: { query: { q, limit: 25 } } })))
      .then((page) => {
        byId('member-count').textContent = t('organizer_search_count', { n: page.items.length });
        fill(list, page.items, row, text.organizer_search_none);
        // One match is opened at once: a number typed in full finds one member.
        if (page.items.length === 1) return show(page.items[0]!.id);
      })
      .catch(fail);
  });
  function row(m: Member): HTMLLIElement {
    const open = el('button', { type: 'button', class: 'secondary', text: text.organizer_member_open, 'aria-label': `${text.organizer_member_open} ${memberName(m)}` });
    open.addEventListener('click', () => show(m.id).catch(fail));
    return el('li', { 'data-member-no': m.member_no }, [
      el('div', { class: 'line' }, [el('strong', { text: memberName(m) }), open]),
      el('p', { class: 'note', text: t('organizer_member_line', { no: m.member_no, org: m.home_org_name || '', balance: m.balance.available }) }),
    ]);
  }

  const registerForm = byId<HTMLFormElement>('register-form');
  registerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const displayName = value('register-name');
    if (!displayName) return fail(badField('register-name'));
    const org = byId<HTMLSelectElement>('register-org').value;
    if (!org) return fail(badField('register-org'));
    const body: MemberInput = { display_name: displayName, home_org_id: org };
    const platform = byId<HTMLSelectElement>('register-platform').value;
    if (platform) body.platform = platform as NonNullable<MemberInput['platform']>;
    const ref = value('register-ref');
    if (ref) body.external_ref = ref;
    busy(registerForm, ok(api.POST('/v1/members', { body })))
      .then((m) => {
        registerForm.reset();
        return show(m.id).then(() => say(t('organizer_registered', { name: memberName(m), no: m.member_no })));
      })
      .catch(fail);
  });

  // One member: facts, claims, a card.
  function show(id: string): Promise<void> {
    return Promise.all([ok(api.GET('/v1/members/{id}', { params: { path: { id } } })), ok(api.GET('/v1/claims', { params: { query: { member_id: id, limit: 100 } } })), typesLoaded]).then(
      ([m, claims]) => {
        current = m;
        detail.hidden = false;
        detail.setAttribute('data-member-no', m.member_no);
        byId('member-heading').textContent = t('admin_card_member', { name: memberName(m), no: m.member_no });
        pairs(byId('member-facts'), [
          [text.organizer_member_facts_no, m.member_no],
          [text.organizer_member_facts_org, m.home_org_name],
          [text.organizer_member_facts_balance, t('points', { n: m.balance.available })],
          [text.organizer_member_facts_status, t('member_status_' + m.status)],
        ]);
        byId('member-facts').setAttribute('data-available', m.balance.available);
        byId<HTMLAnchorElement>('member-record').href = '/app/organizer/claim?member=' + encodeURIComponent(m.member_no) + (document.body.getAttribute('data-lang') === 'en' ? '&lang=en' : '');
        fill(byId('member-claims'), claims.items, (c) => claimItem(m, c), text.organizer_member_claims_none);
        detail.scrollIntoView();
      },
    );
  }

  function claimItem(m: MemberDetail, claim: Claim): HTMLLIElement {
    const li = el('li', { 'data-claim-id': claim.id, 'data-status': claim.status }, [
      el('strong', { text: activityWords(claim, types) }),
      el('p', { class: 'note', text: t('organizer_claim_line', { date: time(claim.occurred_at), units: unitsWords(claim, types), status: statusWords(claim) }) }),
    ]);
    if (claim.status !== 'approved') return li;
    const reasonId = 'revoke-reason-' + claim.id;
    const effect = el('p', { class: 'note', 'data-revoke-effect': true });
    const panel = el('div', { hidden: true }, [
      effect,
      el('label', { for: reasonId, text: text.organizer_revoke_reason }),
      el('input', { id: reasonId, maxlength: 500, autocomplete: 'off' }),
      el('div', { class: 'row' }, [
        el('button', { type: 'button', 'data-action': 'revoke-confirm', text: text.organizer_revoke_confirm }),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'revoke-cancel', text: text.organizer_revoke_cancel }),
      ]),
    ]);
    const open = el('button', { type: 'button', class: 'secondary', 'data-action': 'revoke', text: text.organizer_revoke });
    li.appendChild(open);
    li.appendChild(panel);
    li.addEventListener('click', (event) => {
      const action = (event.target as Element | null)?.getAttribute?.('data-action');
      if (action === 'revoke') {
        // Said before it is done: what leaves the balance and what the budget gets back.
        ok(api.GET('/v1/orgs/{id}/budget', { params: { path: { id: claim.org_id } } }))
          .then((b) => {
            const n = hundredths(claim.points_credited ?? '0');
            effect.textContent = t('organizer_revoke_effect', {
              name: memberName(m),
              n: points(n),
              before: m.balance.available,
              after: points(hundredths(m.balance.available) - n),
              org: b.paying_org_name,
              remaining: b.remaining,
              remaining_after: points(hundredths(b.remaining) + n),
            });
            panel.hidden = false;
            open.hidden = true;
            byId(reasonId).focus();
          })
          .catch(fail);
      }
      if (action === 'revoke-cancel') {
        panel.hidden = true;
        open.hidden = false;
        open.focus();
      }
      if (action === 'revoke-confirm') {
        const why = value(reasonId);
        if (why.length < 3) return fail(badField(reasonId));
        li.querySelectorAll('button').forEach((b) => (b.disabled = true));
        ok(api.POST('/v1/claims/{id}/revoke', { params: { path: { id: claim.id } }, body: { reason: why } }))
          .then((after) => show(m.id).then(() => say(t('organizer_revoked_ok', { n: after.points_credited ?? '0.00', name: memberName(m) }))))
          .catch((error: unknown) => {
            li.querySelectorAll('button').forEach((b) => (b.disabled = false));
            fail(error);
          });
      }
    });
    return li;
  }

  const cardButton = byId<HTMLButtonElement>('member-card');
  cardButton.addEventListener('click', () => {
    const m = current;
    if (!m) return;
    cardButton.disabled = true;
    showSignInCards(byId('card-sheet'), [m])
      .then((printNow) => {
        say(t('admin_cards_made', { n: 1 }));
        printNow.focus();
      })
      .catch(fail)
      .then(() => (cardButton.disabled = false));
  });
}
