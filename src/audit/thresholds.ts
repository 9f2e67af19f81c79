/**
 * The anomaly detectors' thresholds (src/audit/anomalies.ts), stated once:
 * the detectors read them, and the auditor's page (bundled, like
 * ledger/points.ts: plain numbers, no dependencies) says them in its
 * explanation of each finding.
 *
 * - organizer_above_peers: an organizer who credited, over the last
 *   PEER_WINDOW_DAYS, more than PEER_MULTIPLE times the median of what its
 *   peers credited. Its peers are the *other* organizers who credited in the
 *   window (the organizer itself is left out, so one big spender cannot drag
 *   the median it is compared with); the median of an even number of peers is
 *   the mean of the middle two. Nobody is flagged unless there are at least
 *   MIN_PEERS peers, and nobody who credited less than PEER_MIN_POINTS: four
 *   organizers who each credited a little are not "far above" anyone.
 * - budget_pace: an org budget whose last BUDGET_PACE_DAYS of claim credits,
 *   at the same pace, would spend what is left within that many days.
 * - claims_burst: BURST_CLAIMS or more claims for one member within BURST_HOURS.
 * - merchant_refund_rate: over REFUND_WINDOW_DAYS, a merchant refunding more
 *   than REFUND_MAX_PERCENT % of at least REFUND_MIN_REDEMPTIONS redemptions.
 * - redeem_code_failures: REDEEM_FAILURES or more failing redeem codes at one
 *   merchant's tills within REDEEM_FAILURE_HOURS, or any refusal by the
 *   redeem-code rate limit.
 */
export const ANOMALY_THRESHOLDS = {
  PEER_WINDOW_DAYS: 30,
  PEER_MULTIPLE: 3,
  MIN_PEERS: 3,
  /** In points, as the API writes them. */
  PEER_MIN_POINTS: '500.00',
  BUDGET_PACE_DAYS: 7,
  BURST_CLAIMS: 10,
  BURST_HOURS: 24,
  REFUND_WINDOW_DAYS: 30,
  REFUND_MAX_PERCENT: 20,
  REFUND_MIN_REDEMPTIONS: 5,
  REDEEM_FAILURES: 5,
  REDEEM_FAILURE_HOURS: 24,
} as const;

/** The thresholds as text, for the pages' sentences ({multiple}, {min_peers}, …). */
export function thresholdFacts(): Record<string, string> {
  const t = ANOMALY_THRESHOLDS;
  return {
    peer_days: String(t.PEER_WINDOW_DAYS),
    multiple: String(t.PEER_MULTIPLE),
    min_peers: String(t.MIN_PEERS),
    min_points: t.PEER_MIN_POINTS,
    pace_days: String(t.BUDGET_PACE_DAYS),
    burst_claims: String(t.BURST_CLAIMS),
    burst_hours: String(t.BURST_HOURS),
    refund_days: String(t.REFUND_WINDOW_DAYS),
    refund_percent: String(t.REFUND_MAX_PERCENT),
    refund_min: String(t.REFUND_MIN_REDEMPTIONS),
    redeem_failures: String(t.REDEEM_FAILURES),
    redeem_hours: String(t.REDEEM_FAILURE_HOURS),
  };
}
