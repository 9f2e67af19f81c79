import { callerKey, type Caller } from '../auth/caller.js';
import { AppError, refused } from '../errors.js';
import { commitFresh, type IdempotencyScope } from '../db/write-runner.js';
import type { AppDeps } from '../deps.js';
import { formatPoints } from '../ledger/amount.js';
import type { CompiledQuery } from 'kysely';
import type { Database } from '../db/types.js';
import { claimView } from './claim-reads.js';
import { creditClaims, insertClaims } from './claim-writes.js';
import { planCredits } from './plan-credits.js';
import { prepareSubmission, refusalError, submitterAsDecider, type ClaimRequest, type EventContext, type Refusal } from './submit.js';

/** What recording claims answers. */
export interface RecordedClaims {
  claims: Array<ReturnType<typeof claimView>>;
  refused: Refusal[];
  transaction: { id: string; seq: number; hash: string; points: string } | null;
}

/**
 * Records claims in one atomic write: the new event (if any), every accepted
 * claim, and — for what an organizer or admin recorded within the maker-checker
 * threshold — the approvals and one ledger transaction crediting them from
 * the paying orgs' budgets. With `atomic`, any refusal refuses everything.
 */
export async function recordClaims(
  deps: AppDeps,
  caller: Caller,
  input: {
    requests: ClaimRequest[];
    events: Map<string, EventContext>;
    newEvent?: Database['events'];
    /** The event recorded before that the claims are of (its attendance confirmed): the transaction names it. */
    ofEvent?: { id: string; title: string };
    /** Statements written in the same atomic batch (an attendance confirmation). */
    also?: readonly CompiledQuery[];
    atomic: boolean;
    single: boolean;
  },
  render: (recorded: RecordedClaims) => unknown,
  idempotency: IdempotencyScope | undefined,
) {
  const { db, clock, programme, programme: { utcOffsetMinutes } } = deps;
  const refEvent = input.newEvent ?? input.ofEvent;
  try {
    return await commitFresh(
      deps,
      idempotency,
      async () => {
        const now = clock();
        const submission = await prepareSubmission(db, caller, input.requests, { events: input.events, now, maxAgeDays: programme.claimMaxAgeDays, utcOffsetMinutes });
        if (submission.refused.length > 0 && (input.atomic || input.single)) throw refusalError(submission.refused, input.single);
        if (submission.claims.length === 0 && submission.refused.length > 0) throw refusalError(submission.refused, false);
        const credits = await planCredits(
          db,
          submission.autoApprove,
          submission.types,
          { mode: 'auto', decider: submitterAsDecider(caller), reason: null, now: now.toISOString(), utcOffsetMinutes },
          submission.orgPaths,
        );
        return (head) => {
          const credited = creditClaims(db, head, credits, {
            actor: callerKey(caller),
            memo: refEvent ? `event: ${refEvent.title}` : `claims: ${submission.claims.length}`,
            ref_type: refEvent ? 'event' : 'claims',
            ref_id: refEvent?.id ?? submission.claims[0]?.id ?? '',
            created_at: now.toISOString(),
            utcOffsetMinutes,
          });
          const decisions = new Map(credits.map((cr) => [cr.claim.id, { ...cr.decision, tx_id: cr.decision.points_credited > 0 ? credited.transaction?.id ?? null : null }]));
          const total = credits.reduce((sum, cr) => sum + cr.decision.points_credited, 0);
          return {
            statements: [
              ...(input.newEvent ? [db.insertInto('events').values(input.newEvent).compile()] : []),
              ...(input.also ?? []),
              ...insertClaims(db, submission.claims),
              ...credited.statements,
            ],
            head: credited.head,
            result: {
              claims: submission.claims.map((claim) => claimView({ claim, decision: decisions.get(claim.id), revocation: undefined, member: submission.members.get(claim.member_id) })),
              refused: submission.refused,
              transaction: credited.transaction
                ? { id: credited.transaction.id, seq: credited.transaction.seq, hash: credited.transaction.hash, points: formatPoints(total) }
                : null,
            },
          };
        };
      },
      201,
      render,
    );
  } catch (error) {
    throw asBudgetError(error);
  }
}

/** An overdraft of an org budget, said the way an organizer understands it. */
export function asBudgetError(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'insufficient_funds') {
    return refused('budget_exhausted');
  }
  return error;
}
