import { callerKey, type Caller } from '../auth/caller.js';
import { conflict, notFound } from '../errors.js';
import { commitFresh, commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import type { AppDeps } from '../deps.js';
import type { Db } from '../db/types.js';
import { newId } from '../ids.js';
import { requireOrgScope } from '../orgs/orgs.js';
import { claimView, loadClaims, statusOf, type ClaimState } from './claim-reads.js';
import { creditClaims, insertDecisions, revokeClaim } from './claim-writes.js';
import { loadVersions, planCredits, type Decider } from './plan-credits.js';
import { asBudgetError } from './record.js';
import { requireCreditScope } from './claim-rules.js';
import { guardRefusal } from '../db/errors.js';

/** Reads a claim the caller may decide (organizer in its subtree, or admin). */
async function decidableClaim(db: Db, caller: Caller, id: string): Promise<ClaimState> {
  const [state] = await loadClaims(db, [id]);
  if (!state) throw notFound(`Claim ${id}`);
  await requireOrgScope(db, caller, state.claim.org_id);
  // Deciding credits (or takes back from) a member: the member's home org must be in scope too.
  await requireCreditScope(db, caller, { member_id: state.claim.member_id, org_id: state.claim.org_id });
  return state;
}

const deciderOf = (caller: Caller): Decider => ({ by: callerKey(caller), sub: caller.sub, member_id: caller.member_id ?? null });

/** A reject or revoke decision by the caller: no credit of its own. */
function manualDecision(caller: Caller, claimId: string, decision: 'reject' | 'revoke', reason: string, now: string, paidBy: string | null) {
  const decider = deciderOf(caller);
  return {
    claim_id: claimId,
    decision,
    mode: 'manual' as const,
    decided_by: decider.by,
    decided_sub: decider.sub,
    decided_member_id: decider.member_id,
    reason,
    points_credited: 0,
    points_capped: 0,
    cap_reason: null,
    credit_key_event: null,
    credit_key_report: null,
    paid_by_org_id: paidBy,
    created_at: now,
  };
}

/**
 * Refuses (and records, for the anomaly report) a decision on a claim the
 * caller submitted or that credits the caller. The schema refuses it too.
 */
async function refuseSelfDecision(deps: AppDeps, caller: Caller, state: ClaimState, action: 'approve' | 'reject'): Promise<void> {
  if (state.claim.submitted_sub !== caller.sub && state.claim.member_id !== caller.member_id) return;
  const { db, executor, clock } = deps;
  await executor.write(() => ({
    statements: [
      db
        .insertInto('control_refusals')
        .values({ id: newId('ref'), kind: 'self_approval', actor: callerKey(caller), subject_id: state.claim.id, detail: `/v1/claims/${state.claim.id}/${action}`, created_at: clock().toISOString() })
        .compile(),
    ],
    result: null,
  }));
  // The schema's own word and text (self_approval), so the caller hears one answer whichever refuses.
  throw guardRefusal('self_approval');
}

/** Approves a pending claim: credited from the org's budget after caps, in one write. */
export async function approveClaim(deps: AppDeps, caller: Caller, input: { id: string; reason: string | null }, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme: { utcOffsetMinutes } } = deps;
  const { id, reason } = input;
  try {
    return await commitFresh(
      deps,
      idempotency,
      async () => {
        const state = await decidableClaim(db, caller, id);
        // Also a guard in the schema; checked first for an answer naming the status, and before a self-approval is recorded.
        if (statusOf(state) !== 'pending') throw conflict('claim_already_decided', `The claim is ${statusOf(state)}`);
        await refuseSelfDecision(deps, caller, state, 'approve');
        const now = clock().toISOString();
        const [credit] = await planCredits(db, [state.claim], await loadVersions(db, [state.claim]), {
          mode: 'manual',
          decider: deciderOf(caller),
          reason,
          now,
          utcOffsetMinutes,
        });
        return (head) => {
          const written = creditClaims(db, head, [credit!], {
            actor: callerKey(caller),
            memo: `claim ${state.claim.id}`,
            ref_type: 'claim',
            ref_id: state.claim.id,
            created_at: now,
            utcOffsetMinutes,
          });
          const decision = { ...credit!.decision, tx_id: credit!.decision.points_credited > 0 ? written.transaction?.id ?? null : null };
          return { statements: written.statements, head: written.head, result: { ...state, decision } };
        };
      },
      200,
      claimView,
    );
  } catch (error) {
    throw asBudgetError(error);
  }
}

/** Rejects a pending claim with a reason. */
export async function rejectClaim(deps: AppDeps, caller: Caller, input: { id: string; reason: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock } = deps;
  const { id, reason } = input;
  const state = await decidableClaim(db, caller, id);
  // As in approveClaim: the status named, and no self-approval recorded for a decided claim.
  if (statusOf(state) !== 'pending') throw conflict('claim_already_decided', `The claim is ${statusOf(state)}`);
  await refuseSelfDecision(deps, caller, state, 'reject');
  const decision = { ...manualDecision(caller, id, 'reject', reason, clock().toISOString(), null), tx_id: null };
  return commitWrite(deps, idempotency, () => ({ statements: insertDecisions(db, [decision]), result: { ...state, decision } }), 200, claimView);
}

/** Revokes an approved claim: a transaction returns its points to the budget, even past zero. */
export async function revokeApprovedClaim(deps: AppDeps, caller: Caller, input: { id: string; reason: string }, idempotency: IdempotencyScope | undefined) {
  const { db, clock, programme: { utcOffsetMinutes } } = deps;
  const { id, reason } = input;
  const state = await decidableClaim(db, caller, id);
  const status = statusOf(state);
  // Also guards in the schema; checked first because the revocation is built from the approval, which this claim lacks.
  if (status !== 'approved') throw conflict(status === 'revoked' ? 'claim_already_revoked' : 'claim_not_approved', `The claim is ${status}`);
  const decision = manualDecision(caller, id, 'revoke', reason, clock().toISOString(), state.decision!.paid_by_org_id);
  return commitWrite(
    deps,
    idempotency,
    (head) => {
      const written = revokeClaim(db, head, state.claim, state.decision!, decision, { utcOffsetMinutes });
      return {
        statements: written.statements,
        head: written.head,
        result: { ...state, revocation: { ...decision, tx_id: written.transaction?.id ?? null } },
      };
    },
    200,
    claimView,
  );
}
