import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { D1DatabaseLike } from './d1-types.js';

/**
 * A Kysely dialect over a D1 binding for reads (writes go through the D1
 * executor's batches). Reuses Kysely's SQLite adapter and compiler: D1 is
 * SQLite. It has no transactions: D1 refuses `BEGIN`, so asking for one is a bug.
 */
export class D1Dialect implements Dialect {
  constructor(private readonly d1: D1DatabaseLike) {}

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new D1Driver(this.d1);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class D1Driver implements Driver {
  constructor(private readonly d1: D1DatabaseLike) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new D1Connection(this.d1);
  }
  async beginTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions: run writes through the D1 executor');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class D1Connection implements DatabaseConnection {
  constructor(private readonly d1: D1DatabaseLike) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.d1
      .prepare(compiled.sql)
      .bind(...compiled.parameters)
      .all<R>();
    const changes = result.meta.changes ?? 0;
    return {
      rows: result.results ?? [],
      ...(changes > 0 ? { numAffectedRows: BigInt(changes) } : {}),
      ...(result.meta.last_row_id ? { insertId: BigInt(result.meta.last_row_id) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('D1 does not stream query results');
  }
}
