// The crash test's clients: concurrent credits, redemptions and holds, every
// write with its own Idempotency-Key, until told to stop.
import type { Journal, WriteSpec } from './journal.js';

/** The programme the load runs against (made through the API by `setUp`). */
export interface Programme {
  admin: string;
  organizer: string;
  merchant: string;
  budgetAccount: string;
  workers: Array<{ id: string; account: string; token: string }>;
  rewards: { cheap: string; scarce: string };
}

/** A small seeded PRNG (mulberry32), so a run's choices can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Runs `clients` loops of random operations until `running()` turns false.
 * Operations with two steps (a code then a redemption; a hold then its
 * capture or void) simply stop if the service dies between them.
 */
export async function runLoad(journal: Journal, p: Programme, options: { clients: number; cycle: number; random: () => number; running: () => boolean }) {
  const { cycle, random, running } = options;
  let n = 0;
  const key = (kind: string) => `c${cycle}-${kind}-${n++}`;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const amount = () => (1 + Math.floor(random() * 500)) / 100; // 0.01 to 5.00
  const send = (spec: Omit<WriteSpec, 'key'> & { key?: string }) => journal.send({ key: key(spec.kind), ...spec }, cycle);

  async function operation(): Promise<void> {
    const worker = pick(p.workers);
    const roll = random();
    if (roll < 0.25) {
      const points = amount().toFixed(2);
      const postings = [{ account_id: p.budgetAccount, amount: `-${points}` }, { account_id: worker.account, amount: points }];
      await send({ kind: 'adjustment', method: 'POST', path: '/v1/adjustments', token: p.admin, body: { reason: 'crash-test credit', postings } });
    } else if (roll < 0.45) {
      await send({ kind: 'claim', method: 'POST', path: '/v1/claims', token: p.organizer, body: { member_id: worker.id, activity_code: 'crash_volunteer', units: String(1 + Math.floor(random() * 3)), occurred_at: new Date(Date.now() - 3_600_000).toISOString() } });
    } else if (roll < 0.75) {
      const code = await send({ kind: 'code', method: 'POST', path: '/v1/me/redeem-codes', token: worker.token });
      if (code?.status !== 201 || !running()) return;
      const reward = random() < 0.7 ? p.rewards.cheap : p.rewards.scarce;
      await send({ kind: 'redemption', method: 'POST', path: '/v1/redemptions', token: p.merchant, body: { redeem_code: JSON.parse(code.text).code, reward_id: reward, quantity: 1 + Math.floor(random() * 2) } });
    } else {
      const hold = await send({ kind: 'hold', method: 'POST', path: '/v1/holds', token: worker.token, body: { reward_id: p.rewards.cheap, quantity: 1 } });
      if (hold?.status !== 201 || !running()) return;
      const id = JSON.parse(hold.text).id as string;
      if (random() < 0.6) await send({ kind: 'capture', method: 'POST', path: `/v1/holds/${id}/capture`, token: p.merchant });
      else await send({ kind: 'void', method: 'POST', path: `/v1/holds/${id}/void`, token: worker.token });
    }
  }

  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (running()) await operation();
    }),
  );
}
