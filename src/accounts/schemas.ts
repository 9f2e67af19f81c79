import { z } from '@hono/zod-openapi';

/** Stored balances as decimal strings. */
export const Balance = z
  .object({
    available: z.string().openapi({ example: '120.00' }),
    held: z.string().openapi({ example: '0.00' }),
    posted: z.string().openapi({ example: '120.00' }),
  })
  .openapi('Balance');

/** One posting of a transaction. */
export const PostingView = z
  .object({ account_id: z.string(), amount: z.string().openapi({ example: '-12.50' }) })
  .openapi('Posting');

/** A recorded transaction with its place in the hash chain. */
export const TransactionView = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    kind: z.string(),
    actor: z.string(),
    memo: z.string().nullable(),
    ref_type: z.string().nullable(),
    ref_id: z.string().nullable(),
    reverses_id: z.string().nullable(),
    created_at: z.string(),
    prev_hash: z.string(),
    hash: z.string(),
    postings: z.array(PostingView),
    other_postings: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Postings left out: on accounts the caller may not read (another participant's, the budget's)" }),
  })
  .openapi('Transaction');
