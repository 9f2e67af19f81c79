import type { Generated, Kysely } from 'kysely';

/** Kysely table types for the schema in `schema/`. Amounts are integer hundredths. */
export interface Database {
  orgs: {
    id: string;
    name: string;
    kind: string;
    parent_id: string | null;
    path: string;
    created_at: string;
  };
  members: {
    id: string;
    display_name: string | null;
    platform: string | null;
    home_org_id: string;
    external_ref: string | null;
    account_id: string;
    created_at: string;
  };
  transaction_kinds: { kind: string; allows_overdraft: number };
  accounts: {
    id: string;
    kind: string;
    owner_id: string | null;
    no_overdraft: number;
    posted: Generated<number>;
    held: Generated<number>;
    created_at: string;
  };
  transactions: {
    seq: number;
    id: string;
    kind: string;
    actor: string;
    memo: string | null;
    ref_type: string | null;
    ref_id: string | null;
    reverses_id: string | null;
    created_at: string;
    prev_hash: string;
    hash: string;
  };
  postings: {
    tx_id: string;
    seq: number;
    account_id: string;
    amount: number;
    balance_after: number;
    created_at: string;
  };
  transaction_seals: { tx_id: string };
  holds: {
    id: string;
    account_id: string;
    destination_account_id: string;
    amount: number;
    ref_type: string | null;
    ref_id: string | null;
    actor: string;
    expires_at: string;
    created_at: string;
  };
  hold_resolutions: {
    hold_id: string;
    kind: 'capture' | 'void' | 'expire';
    amount: number;
    tx_id: string | null;
    actor: string;
    created_at: string;
  };
  idempotency_keys: {
    scope: string;
    key: string;
    request_hash: string;
    status: number;
    body: string;
    created_at: string;
  };
  d1_migrations: {
    id: Generated<number>;
    name: string;
    applied_at: Generated<string>;
  };
}

export type Db = Kysely<Database>;
