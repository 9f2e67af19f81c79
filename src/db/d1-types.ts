/**
 * The slice of Cloudflare's D1 binding that Jifen uses, declared here so the
 * app type-checks without Workers' global types (which clash with DOM's).
 */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all<T = Record<string, unknown>>(): Promise<D1ResultLike<T>>;
  run(): Promise<D1ResultLike<unknown>>;
}

export interface D1ResultLike<T> {
  results: T[];
  success: boolean;
  meta: { changes?: number; last_row_id?: number; duration?: number };
}

export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatementLike;
  /** Runs the statements as one atomic unit: all commit, or none. */
  batch(statements: D1PreparedStatementLike[]): Promise<Array<D1ResultLike<unknown>>>;
}
