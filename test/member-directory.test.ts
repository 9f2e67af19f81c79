import { describe, expect, it } from 'vitest';
import { createHarness } from '#harness';
import { expectSoundLedger, member, stateFingerprint } from './support/fixtures.js';
import { earningProgramme, posted } from './support/earning.js';
import { redemptionProgramme } from './support/redemption.js';
import { isMemberNumber } from '../src/members/member-number.js';
import { mistypings } from './support/mistypings.js';

const hoursAgo = (h: { clock: { now(): Date } }, hours: number) => new Date(h.clock.now().getTime() - hours * 3_600_000).toISOString();

describe('member numbers', () => {
  it('are assigned by the database in order, pass their check, and come back on a replay', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 3 });
    const numbers = [];
    for (const rider of e.riders) {
      const res = await h.call('GET', `/v1/members/${rider.id}`, { token: e.admin });
      numbers.push(res.body.member_no);
    }
    // Serials 1001, 1002, 1003, each followed by its MOD 97-10 check digits.
    expect(numbers).toEqual(['100105', '100202', '100396']);
    for (const n of numbers) expect(Number(n) % 97).toBe(1);
    const stored = await h.sql.all<{ id: string; member_no: number }>('SELECT id, member_no FROM members ORDER BY member_no');
    expect(stored.map((r) => String(r.member_no))).toEqual(numbers);

    const body = { home_org_id: e.community.id, display_name: '新骑手', external_ref: 'meituan-77' };
    const first = await h.call('POST', '/v1/members', { token: e.admin, body, headers: { 'Idempotency-Key': 'reg-77' } });
    expect(first.status, first.text).toBe(201);
    expect(first.body.member_no).toBe('100493');
    expect(first.body).toMatchObject({ status: 'active', home_org_name: '和平社区', display_name: '新骑手' });
    const again = await h.call('POST', '/v1/members', { token: e.admin, body, headers: { 'Idempotency-Key': 'reg-77' } });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await h.sql.all('SELECT id FROM members WHERE external_ref = ?', 'meituan-77')).toHaveLength(1);
  });

  it('are distinct when twenty members are registered at once', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.call('POST', '/v1/members', { token: e.admin, body: { home_org_id: e.community.id, display_name: `并发${i}` } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const numbers = answers.map((a) => a.body.member_no as string);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers.every(isMemberNumber)).toBe(true);
    const serials = numbers.map((n) => Math.floor(Number(n) / 100)).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => 1001 + i));
  });

  it('cannot be supplied or changed, even by SQL behind the service', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 1 });
    await expect(
      h.sql.exec(`INSERT INTO members (id, home_org_id, account_id, created_at, member_no) VALUES ('m_x', '${e.community.id}', 'worker:m_x', 'x', 999901)`),
    ).rejects.toThrow(/member_fields_fixed/);
    await expect(h.sql.exec(`UPDATE members SET member_no = 100202 WHERE id = '${e.riders[0]!.id}'`)).rejects.toThrow(/member_fields_fixed|member_change_unrecorded/);
    // Any other change must name a recorded change of this member.
    await expect(h.sql.exec(`UPDATE members SET display_name = 'x' WHERE id = '${e.riders[0]!.id}'`)).rejects.toThrow(/member_change_unrecorded/);
  });

  it('name a member wherever an id does, and a mistyped number is refused before anything is looked up', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 2 });
    const rider = (await h.call('GET', `/v1/members/${e.riders[1]!.id}`, { token: e.admin })).body;
    const byNumber = await h.call('GET', `/v1/members/${rider.member_no}`, { token: e.organizer });
    expect(byNumber.status, byNumber.text).toBe(200);
    expect(byNumber.body.id).toBe(e.riders[1]!.id);
    // Spaces between digit groups, as people write them, are fine.
    expect((await h.call('GET', `/v1/members/${rider.member_no.slice(0, 4)}%20${rider.member_no.slice(4)}`, { token: e.admin })).body.id).toBe(e.riders[1]!.id);
    for (const wrong of mistypings(rider.member_no)) {
      const res = await h.call('GET', `/v1/members/${wrong}`, { token: e.admin });
      expect(res.status, wrong).toBe(422);
      expect(res.body.code).toBe('member_number_mistyped');
    }
    expect((await h.call('GET', '/v1/members/999999', { token: e.admin })).status).toBe(isMemberNumber('999999') ? 404 : 422);
    expect((await h.call('GET', '/v1/members/100396', { token: e.admin })).body.code).toBe('not_found');

    // A claim and a roster by number credit the member the number names.
    const before = await stateFingerprint(h);
    const typo = mistypings(rider.member_no)[0]!;
    const refused = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: {
        org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: hoursAgo(h, 2),
        roster: [{ member_id: rider.member_no }, { member_id: typo }],
      },
    });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.errors ?? refused.body.refused ?? refused.body).toBeTruthy();
    expect(JSON.stringify(refused.body)).toContain('member_number_mistyped');
    expect(await stateFingerprint(h)).toEqual(before);

    const roster = await h.call('POST', '/v1/events', {
      token: e.organizer,
      body: { org_id: e.community.id, activity_code: 'hazard_resolved', title: '清理积水', starts_at: hoursAgo(h, 2), roster: [{ member_id: rider.member_no }] },
    });
    expect(roster.status, roster.text).toBe(201);
    expect(roster.body.claims[0]).toMatchObject({ member_id: e.riders[1]!.id, member_no: rider.member_no, member_name: '骑手1', status: 'approved' });
    expect(await posted(h, e.admin, e.riders[1]!.account_id)).toBe('20.00');
    expect(await posted(h, e.admin, e.riders[0]!.account_id)).toBe('0.00');

    const listed = await h.call('GET', `/v1/claims?member_id=${rider.member_no}`, { token: e.organizer });
    expect(listed.body.items.map((c: any) => [c.member_id, c.member_no, c.member_name])).toEqual([[e.riders[1]!.id, rider.member_no, '骑手1']]);
    const event = await h.call('GET', `/v1/events/${roster.body.event.id}`, { token: e.organizer });
    expect(event.body.claims[0]).toMatchObject({ member_no: rider.member_no, member_name: '骑手1' });
    expect((await h.call('GET', `/v1/claims?member_id=${typo}`, { token: e.organizer })).body.code).toBe('member_number_mistyped');
    const txs = await h.call('GET', `/v1/audit/transactions?member_id=${rider.member_no}`, { token: e.admin });
    expect(txs.body.items.map((t: any) => t.id)).toEqual([roster.body.transaction.id]);
    await expectSoundLedger(h, e.admin);
  });
});

describe('the member directory', () => {
  it('searches by name, number and external_ref within the caller’s scope, with balances, a page at a time', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 0 });
    const grid = (await h.call('POST', '/v1/orgs', { token: e.admin, body: { name: '一网格', kind: 'grid', parent_id: e.community.id } })).body;
    const names = ['张三', '李四', '王五', '张小六', '赵七'];
    const made = [];
    for (const [i, n] of names.entries()) made.push(await member(h, e.admin, i % 2 ? grid.id : e.community.id, { display_name: n, external_ref: `ext-${i}` }));
    const far = await member(h, e.admin, e.otherDistrict.id, { display_name: '张远' });
    await h.call('POST', '/v1/adjustments', {
      token: e.admin,
      body: { reason: '开户积分', postings: [{ account_id: e.street.budget_account_id, amount: '-12.5' }, { account_id: made[0]!.account_id, amount: '12.5' }] },
    });

    const search = (token: string, query: string) => h.call('GET', `/v1/members?${query}`, { token });
    const zhang = await search(e.organizer, `q=${encodeURIComponent('张')}`);
    expect(zhang.status, zhang.text).toBe(200);
    // The organizer's street: not 张远 of the other district.
    expect(zhang.body.items.map((m: any) => m.display_name)).toEqual(['张三', '张小六']);
    expect(zhang.body.items[0].balance).toEqual({ available: '12.50', held: '0.00', posted: '12.50' });
    expect((await search(e.admin, `q=${encodeURIComponent('张')}`)).body.items.map((m: any) => m.display_name)).toEqual(['张三', '张小六', '张远']);
    const no = (await h.call('GET', `/v1/members/${made[2]!.id}`, { token: e.admin })).body.member_no;
    expect((await search(e.organizer, `q=${no}`)).body.items.map((m: any) => m.id)).toEqual([made[2]!.id]);
    expect((await search(e.organizer, 'q=ext-3')).body.items.map((m: any) => m.id)).toEqual([made[3]!.id]);
    expect((await search(e.organizer, `org_id=${grid.id}`)).body.items.map((m: any) => m.display_name)).toEqual(['李四', '张小六']);
    // Nobody sees members outside their scope, by search, by number or by id.
    expect((await search(e.outsider, 'q=ext-1')).body.items).toEqual([]);
    expect((await search(e.outsider, `org_id=${e.community.id}`)).status).toBe(403);
    expect((await h.call('GET', `/v1/members/${no}`, { token: e.outsider })).status).toBe(404);
    expect((await h.call('GET', `/v1/members/${far.id}`, { token: e.organizer })).status).toBe(404);
    expect((await search(await h.token('worker', { member_id: made[0]!.id }), 'q=x')).status).toBe(403);
    const auditor = await h.token('auditor', { sub: 'audit-1' });
    expect((await search(auditor, '')).body.items).toHaveLength(6);

    // Pages of two cover every member once, in number order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await search(e.admin, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((m: any) => m.member_no));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect([...seen].sort()).toEqual(seen);
    expect((await search(e.admin, 'cursor=abc')).body.code).toBe('invalid_cursor');
  });

  it('changes a member, keeps who changed what, and scopes organizers to their subtree', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 2 });
    const id = e.riders[0]!.id;
    const patch = (token: string, body: unknown, key?: string) =>
      h.call('PATCH', `/v1/members/${id}`, { token, body, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) });
    const renamed = await patch(e.organizer, { display_name: '刘师傅', platform: 'courier', reason: '本人要求' }, 'p-1');
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ id, display_name: '刘师傅', platform: 'courier' });
    expect((await patch(e.organizer, { display_name: '刘师傅', platform: 'courier', reason: '本人要求' }, 'p-1')).text).toBe(renamed.text);

    const grid = (await h.call('POST', '/v1/orgs', { token: e.admin, body: { name: '二网格', kind: 'grid', parent_id: e.community.id } })).body;
    expect((await patch(e.organizer, { home_org_id: grid.id })).status).toBe(200);
    // Not out of the organizer's subtree, and not a member outside it.
    const before = await stateFingerprint(h);
    expect((await patch(e.organizer, { home_org_id: e.otherDistrict.id })).status).toBe(403);
    expect((await patch(e.outsider, { display_name: '外人改的' })).status).toBe(404);
    expect((await h.call('PATCH', `/v1/members/${e.riders[1]!.id}`, { token: e.admin, body: { external_ref: 'dup' } })).status).toBe(200);
    const after = await stateFingerprint(h);
    const dup = await patch(e.admin, { external_ref: 'dup' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate_external_ref');
    expect((await patch(e.admin, {})).status).toBe(400);
    expect(await stateFingerprint(h)).toEqual(after);
    expect(before).not.toEqual(after);

    const detail = await h.call('GET', `/v1/members/${id}`, { token: e.admin });
    expect(detail.body).toMatchObject({ display_name: '刘师傅', home_org_id: grid.id, home_org_name: '二网格' });
    expect(detail.body.changes.map((c: any) => [c.actor, c.before, c.after, c.reason])).toEqual([
      ['organizer:organizer-wang', { home_org_id: e.community.id }, { home_org_id: grid.id }, null],
      ['organizer:organizer-wang', { display_name: '骑手0', platform: 'delivery' }, { display_name: '刘师傅', platform: 'courier' }, '本人要求'],
    ]);
    expect(await h.sql.all('SELECT id FROM member_changes WHERE member_id = ?', id)).toHaveLength(2);
  });

  it('deactivates a member: it earns and redeems nothing, its sessions stop, its history and balance stay; reactivated it earns again', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const rider = r.riders[0]!;
    const worker = await r.workerToken(0);
    const code = await r.code(0);
    const deactivated = await h.call('PATCH', `/v1/members/${rider.id}`, { token: r.organizer, body: { status: 'deactivated', reason: '离开本市' } });
    expect(deactivated.status, deactivated.text).toBe(200);
    expect(deactivated.body.status).toBe('deactivated');

    const me = await h.call('GET', '/v1/me', { token: worker });
    expect(me.status).toBe(403);
    expect(me.body.code).toBe('member_session_ended');
    const before = await stateFingerprint(h);
    const till = await r.redeem(r.shopToken, { redeem_code: code.code, reward_id: r.charger.id });
    expect(till.status, till.text).toBe(422);
    expect(till.body.code).toBe('member_deactivated');
    const claim = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider.id, activity_code: 'hazard_resolved', occurred_at: hoursAgo(h, 1) } });
    expect(claim.status, claim.text).toBe(422);
    expect(claim.body.code).toBe('member_deactivated');
    expect(await stateFingerprint(h)).toEqual(before);
    // Corrections still post.
    const fix = await h.call('POST', '/v1/adjustments', {
      token: r.admin,
      body: { reason: '更正余额', postings: [{ account_id: rider.account_id, amount: '-5' }, { account_id: r.street.budget_account_id, amount: '5' }] },
    });
    expect(fix.status, fix.text).toBe(201);
    const kept = await h.call('GET', `/v1/members/${rider.id}`, { token: r.admin });
    expect(kept.body.balance.posted).toBe('95.00');
    expect(kept.body.changes[0]).toMatchObject({ before: { status: 'active' }, after: { status: 'deactivated' }, reason: '离开本市' });

    expect((await h.call('PATCH', `/v1/members/${rider.id}`, { token: r.admin, body: { status: 'active' } })).status).toBe(200);
    expect((await h.call('GET', '/v1/me', { token: worker })).status).toBe(200);
    const earned = await h.call('POST', '/v1/claims', { token: r.organizer, body: { member_id: rider.id, activity_code: 'hazard_resolved', occurred_at: hoursAgo(h, 1) } });
    expect(earned.status, earned.text).toBe(201);
    expect(await posted(h, r.admin, rider.account_id)).toBe('115.00');
    await expectSoundLedger(h, r.admin);
  });

  it('refuses, in the database, what a deactivated member would earn or spend if a route forgot to check', async () => {
    const h = await createHarness();
    const e = await earningProgramme(h, { riders: 1 });
    const id = e.riders[0]!.id;
    await h.call('PATCH', `/v1/members/${id}`, { token: e.admin, body: { status: 'deactivated' } });
    await expect(
      h.sql.exec(`INSERT INTO redeem_codes (code_hash, member_id, expires_at, created_at) VALUES ('h', '${id}', '2999-01-01', '2000-01-01')`),
    ).rejects.toThrow(/member_deactivated/);
  });
});

describe("a member's statement", () => {
  it('names the activity and the day it happened, the event, and what was bought where', async () => {
    const h = await createHarness();
    const r = await redemptionProgramme(h);
    const rider = r.riders[0]!;
    const twoDaysAgo = hoursAgo(h, 50);
    const event = await h.call('POST', '/v1/events', {
      token: r.organizer,
      body: { org_id: r.community.id, activity_code: 'hazard_resolved', title: '暴雨后清理路障', starts_at: twoDaysAgo, roster: [{ member_id: rider.id }, { member_id: r.riders[1]!.id }] },
    });
    expect(event.status, event.text).toBe(201);
    const sale = await r.redeem(r.shopToken, { redeem_code: (await r.code(0)).code, reward_id: r.charger.id });
    expect(sale.status).toBe(201);
    const refund = await h.call('POST', `/v1/redemptions/${sale.body.redemption.id}/refund`, { token: r.shopToken, body: { reason: '顾客退回' } });
    expect(refund.status, refund.text).toBe(200);
    const entries = await h.call('GET', `/v1/accounts/${rider.account_id}/entries`, { token: await r.workerToken(0) });
    expect(entries.body.items.map((e: any) => [e.kind, e.amount, e.about])).toEqual([
      ['redemption_refund', '10.00', { activity: null, occurred_at: null, event_title: null, reward_name: '充电宝租用', merchant_name: '和平便利店' }],
      ['redemption', '-10.00', { activity: null, occurred_at: null, event_title: null, reward_name: '充电宝租用', merchant_name: '和平便利店' }],
      ['claim_credit', '20.00', { activity: { zh: '协助解决问题隐患', en: 'Hazard resolved' }, occurred_at: twoDaysAgo, event_title: '暴雨后清理路障', reward_name: null, merchant_name: null }],
      ['adjustment', '100.00', null],
    ]);
    // The budget's statement is no member's: its lines say nothing of one member's claim.
    const budget = await h.call('GET', `/v1/accounts/${r.street.budget_account_id}/entries`, { token: r.admin });
    expect(budget.body.items.every((e: any) => e.about === null)).toBe(true);
  });
});
