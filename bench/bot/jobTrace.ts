import type { Db, Queryable, Row, SqlParams } from '../../functions/data/db.ts';

/**
 * The profile of the bot's path, taken at the database boundary without touching the product: the host is
 * given a Db that notes, by job id and on the generator's clock (performance.now()), when each job's enqueueing
 * transaction committed, when a worker claimed it and when its success was recorded. It recognises the queue's
 * statements by what they do (insert into jobs, set running, set done), so a hop it cannot see stays unknown
 * instead of failing the benchmark.
 */
export interface JobTimes {
  committedAt?: number;
  claimedAt?: number;
  doneAt?: number;
}

/** How often a statement ran and how long it took in all (ms), keyed by its first words. */
export interface StatementCost {
  count: number;
  totalMs: number;
}

export class JobTrace {
  readonly jobs = new Map<string, JobTimes>();
  readonly statements = new Map<string, StatementCost>();

  private times(id: string): JobTimes {
    let times = this.jobs.get(id);
    if (times === undefined) {
      times = {};
      this.jobs.set(id, times);
    }
    return times;
  }

  private cost(sql: string, ms: number): void {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
    const cost = this.statements.get(key) ?? { count: 0, totalMs: 0 };
    cost.count += 1;
    cost.totalMs += ms;
    this.statements.set(key, cost);
  }

  /** Notes what one statement did to the queue; `enqueued` collects the ids a transaction adds, null outside one. */
  private note(sql: string, params: SqlParams | undefined, rows: readonly Row[], at: number, enqueued: string[] | null): void {
    if (/INSERT INTO jobs\b/i.test(sql)) {
      const ids = rows.map((row) => String(row.id));
      // Outside a transaction the insert has committed already.
      if (enqueued === null) for (const id of ids) this.times(id).committedAt = at;
      else enqueued.push(...ids);
    } else if (/^\s*(WITH|UPDATE)\b[\s\S]*SET status = 'running'/i.test(sql)) {
      for (const row of rows) this.times(String(row.id)).claimedAt = at;
    } else if (/SET status = 'done'/i.test(sql) && typeof params?.id === 'string') {
      this.times(params.id).doneAt = at;
    }
  }

  /** `db`, observed. Wrap it before the host does anything with it. */
  observe(db: Db): Db {
    const observed = (runner: Queryable, enqueued: string[] | null): Queryable => ({
      query: async <T = Row>(sql: string, params?: SqlParams): Promise<T[]> => {
        const started = performance.now();
        const rows = await runner.query<T>(sql, params);
        const at = performance.now();
        this.cost(sql, at - started);
        this.note(sql, params, rows as Row[], at, enqueued);
        return rows;
      },
    });
    return {
      driver: db.driver,
      ...observed(db, null),
      transaction: async (work) => {
        const enqueued: string[] = [];
        const started = performance.now();
        const result = await db.transaction((tx) => work(observed(tx, enqueued)));
        const at = performance.now();
        this.cost('(a whole transaction)', at - started);
        for (const id of enqueued) this.times(id).committedAt = at;
        return result;
      },
      close: () => db.close(),
    };
  }
}
