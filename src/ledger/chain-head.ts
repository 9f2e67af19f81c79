import type { ChainHead } from '../db/executor.js';
import { GENESIS_HASH } from './hash.js';

/** The statement that reads the chain head, on either backend. */
export const CHAIN_HEAD_SQL = 'SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1';

/** The head a CHAIN_HEAD_SQL row names: seq 0 and the genesis hash when the chain is empty. */
export function chainHeadOf(row: ChainHead | undefined): ChainHead {
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** The current chain head, straight from a better-sqlite3 connection. */
export function readChainHead(sqlite: { prepare(sql: string): { get(): unknown } }): ChainHead {
  return chainHeadOf(sqlite.prepare(CHAIN_HEAD_SQL).get() as ChainHead | undefined);
}
