import type { Db, Queryable, Row, SqlParams } from '../../functions/data/db.ts';

export interface RecordedStatement {
  readonly sql: string;
  readonly params: SqlParams;
}

/**
 * Notes the SQL a host runs, with its parameters, while a recording is on: the statements a resolver really
 * ran for one request, to EXPLAIN afterwards. Wrap the Db before the host uses it; outside a recording the
 * wrapper only passes calls through.
 */
export class StatementRecorder {
  private statements: RecordedStatement[] | null = null;

  wrap(db: Db): Db {
    const recorded = (runner: Queryable): Queryable => ({
      query: <T = Row>(sql: string, params: SqlParams = {}): Promise<T[]> => {
        this.statements?.push({ sql, params });
        return runner.query<T>(sql, params);
      },
    });
    return {
      driver: db.driver,
      ...recorded(db),
      transaction: (work) => db.transaction((tx) => work(recorded(tx))),
      close: () => db.close(),
    };
  }

  /** Runs `work` with recording on and answers the statements run meanwhile, in order. */
  async during(work: () => Promise<unknown>): Promise<RecordedStatement[]> {
    if (this.statements !== null) throw new Error('a recording is already running');
    this.statements = [];
    try {
      await work();
      return this.statements;
    } finally {
      this.statements = null;
    }
  }
}
