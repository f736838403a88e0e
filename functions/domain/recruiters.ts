import type { Queryable } from '../data/db.ts';
import type { Recruiter } from '../generated/graphql.ts';

export interface RecruiterRow {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'recruiter';
  active: boolean;
  createdAt: string;
}

export const recruiterColumns = 'id, email, name, role, active, created_at';

export const toRecruiter = (row: RecruiterRow): Recruiter => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role === 'admin' ? 'ADMIN' : 'RECRUITER',
  active: row.active,
  createdAt: row.createdAt,
});

export async function findRecruiter(q: Queryable, id: string): Promise<Recruiter | null> {
  const [row] = await q.query<RecruiterRow>(`SELECT ${recruiterColumns} FROM recruiters WHERE id = :id::uuid`, { id });
  return row === undefined ? null : toRecruiter(row);
}

export async function listRecruiters(q: Queryable): Promise<Recruiter[]> {
  const rows = await q.query<RecruiterRow>(`SELECT ${recruiterColumns} FROM recruiters ORDER BY name, id`);
  return rows.map(toRecruiter);
}

/** Recruiters by id in one query, for assignees and authors of a page. */
export async function recruitersById(q: Queryable, ids: Iterable<string | null>): Promise<Map<string, Recruiter>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await q.query<RecruiterRow>(
    `SELECT ${recruiterColumns} FROM recruiters WHERE id IN (SELECT jsonb_array_elements_text(:ids::jsonb)::uuid)`,
    { ids: wanted },
  );
  return new Map(rows.map((row) => [row.id, toRecruiter(row)]));
}
