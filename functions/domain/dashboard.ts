import { z } from 'zod';
import type { Queryable, SqlParams } from '../data/db.ts';
import type { Dashboard, FunnelStage, FunnelStageName } from '../generated/graphql.ts';
import { type Caller, visibleAspirantsSql } from './access.ts';
import type { StoredStatus } from './pipeline.ts';
import type { Services } from './services.ts';

/** The longest range one dashboard covers: a year, leap day included. */
export const MAX_DASHBOARD_DAYS = 366;

const DAY_MS = 86_400_000;

/** Half-open [from, to) in whole days; both ends are calendar dates in the agency's time zone. */
export const dashboardRangeInput = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((range) => range.from < range.to, { message: 'must be after from', path: ['to'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= MAX_DASHBOARD_DAYS * DAY_MS, {
    message: `at most ${MAX_DASHBOARD_DAYS} days after from`,
    path: ['to'],
  });

export type DashboardRange = z.output<typeof dashboardRangeInput>;

/** The funnel's stages in pipeline order: reaching one means having reached every stage before it. */
export const funnelStages: readonly FunnelStageName[] = ['NEW', 'FORM_SENT', 'FORM_SUBMITTED', 'PHOTOS', 'IN_REVIEW', 'ACCEPTED'];

const stageIndex = (stage: FunnelStageName): number => funnelStages.indexOf(stage);

/**
 * The furthest stage each status proves the aspirant reached. Rejected and withdrawn prove nothing on their
 * own (they are reachable from every open status); whatever came before them is in the history anyway.
 */
const stageProvedByStatus: Readonly<Partial<Record<StoredStatus, FunnelStageName>>> = {
  form_sent: 'FORM_SENT',
  form_completed: 'FORM_SUBMITTED',
  photos_requested: 'FORM_SUBMITTED',
  photos_received: 'PHOTOS',
  in_review: 'IN_REVIEW',
  accepted: 'ACCEPTED',
};

/** The range's ends as instants: midnight of each date in the agency's zone (bind :from, :to, :timeZone). */
const rangeStartSql = '(:from::date::timestamp AT TIME ZONE :timeZone)';
const rangeEndSql = '(:to::date::timestamp AT TIME ZONE :timeZone)';

/**
 * Funnel, first-response times and bot vs recruiter share over one range, counting only the aspirants (and
 * their conversations) the caller may see.
 */
export async function dashboard(services: Services, caller: Caller, range: DashboardRange): Promise<Dashboard> {
  const visible = visibleAspirantsSql(caller, 'a');
  const scope = visible === null ? '' : `AND ${visible}`;
  const params: SqlParams = { from: range.from, to: range.to, timeZone: services.bot.timeZone, callerId: caller.id };
  const [funnel, responseTimes, authors] = await Promise.all([
    funnelOf(services.db, scope, params),
    firstResponseTimes(services.db, scope, params),
    outboundAuthors(services.db, scope, params),
  ]);
  const outbound = authors.botMessages + authors.recruiterMessages;
  return {
    from: range.from,
    to: range.to,
    funnel,
    medianFirstResponseSeconds: responseTimes.medianFirstResponseSeconds,
    medianFirstRecruiterResponseSeconds: responseTimes.medianFirstRecruiterResponseSeconds,
    botMessages: authors.botMessages,
    recruiterMessages: authors.recruiterMessages,
    botShare: outbound === 0 ? null : authors.botMessages / outbound,
  };
}

/**
 * The cohort is the aspirants created in the range (they are created by their first message). Each one's
 * furthest stage is the best proof among its status history and the evidence tables: a form link sent, a form
 * submitted, a photo stored; a stage counts every aspirant whose furthest stage is at or beyond it.
 */
async function funnelOf(q: Queryable, scope: string, params: SqlParams): Promise<FunnelStage[]> {
  const statusStages = Object.fromEntries(
    Object.entries(stageProvedByStatus).map(([status, stage]) => [status, stageIndex(stage)]),
  );
  const rows = await q.query<{ furthest: number; aspirants: number }>(
    `WITH cohort AS (
       SELECT a.id FROM aspirants a
        WHERE a.created_at >= ${rangeStartSql} AND a.created_at < ${rangeEndSql} ${scope}
     )
     SELECT greatest(
              :newStage::int,
              (SELECT max(s.value::int) FROM aspirant_status_changes h
                 JOIN jsonb_each_text(:statusStages::jsonb) s ON s.key = h.status
                WHERE h.aspirant_id = cohort.id),
              CASE WHEN EXISTS (SELECT 1 FROM form_links l WHERE l.aspirant_id = cohort.id) THEN :formSentStage::int END,
              CASE WHEN EXISTS (SELECT 1 FROM form_submissions f WHERE f.aspirant_id = cohort.id) THEN :formSubmittedStage::int END,
              CASE WHEN EXISTS (SELECT 1 FROM photos p WHERE p.aspirant_id = cohort.id) THEN :photosStage::int END
            ) AS furthest,
            count(*)::int AS aspirants
       FROM cohort
      GROUP BY 1`,
    {
      ...params,
      statusStages,
      newStage: stageIndex('NEW'),
      formSentStage: stageIndex('FORM_SENT'),
      formSubmittedStage: stageIndex('FORM_SUBMITTED'),
      photosStage: stageIndex('PHOTOS'),
    },
  );
  return funnelStages.map((stage, index) => ({
    stage,
    aspirants: rows.filter((row) => row.furthest >= index).reduce((sum, row) => sum + row.aspirants, 0),
  }));
}

interface ResponseTimes {
  medianFirstResponseSeconds: number | null;
  medianFirstRecruiterResponseSeconds: number | null;
}

/**
 * For each conversation whose first inbound message ever falls in the range: the seconds until the first
 * outbound message at or after it (bot or recruiter), and until the first one a recruiter wrote. Medians
 * ignore conversations never answered.
 */
async function firstResponseTimes(q: Queryable, scope: string, params: SqlParams): Promise<ResponseTimes> {
  const firstAnswerAfter = (authorCondition: string) => `
    (SELECT min(o.occurred_at) FROM messages o
      WHERE o.conversation_id = f.conversation_id AND o.direction = 'outbound' AND o.occurred_at >= f.occurred_at ${authorCondition})`;
  const [row] = await q.query<ResponseTimes>(
    `WITH first_inbound AS (
       SELECT m.conversation_id, m.occurred_at
         FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN aspirants a ON a.id = c.aspirant_id
        WHERE m.direction = 'inbound' AND m.occurred_at >= ${rangeStartSql} AND m.occurred_at < ${rangeEndSql} ${scope}
          AND NOT EXISTS (SELECT 1 FROM messages e
                           WHERE e.conversation_id = m.conversation_id AND e.direction = 'inbound'
                             AND (e.occurred_at, e.id) < (m.occurred_at, m.id))
     ), answered AS (
       SELECT f.occurred_at, ${firstAnswerAfter('')} AS answer_at, ${firstAnswerAfter("AND o.author_kind = 'recruiter'")} AS recruiter_answer_at
         FROM first_inbound f
     )
     SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answer_at - occurred_at)::float8)
              AS median_first_response_seconds,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recruiter_answer_at - occurred_at)::float8)
              AS median_first_recruiter_response_seconds
       FROM answered`,
    params,
  );
  return row!;
}

/** Outbound messages written in the range (for outbound, occurred_at is when they were written), by author. */
async function outboundAuthors(q: Queryable, scope: string, params: SqlParams): Promise<{ botMessages: number; recruiterMessages: number }> {
  const [row] = await q.query<{ botMessages: number; recruiterMessages: number }>(
    `SELECT count(*) FILTER (WHERE m.author_kind = 'bot')::int AS bot_messages,
            count(*) FILTER (WHERE m.author_kind = 'recruiter')::int AS recruiter_messages
       FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN aspirants a ON a.id = c.aspirant_id
      WHERE m.direction = 'outbound' AND m.occurred_at >= ${rangeStartSql} AND m.occurred_at < ${rangeEndSql} ${scope}`,
    params,
  );
  return row!;
}
