import { z } from 'zod';
import type { PipelineStatus } from '../generated/graphql.ts';
import { BadRequestError } from '../shared/errors.ts';

/** Pipeline statuses as stored (lowercase) — the order is the pipeline's. */
export const pipelineStatuses = [
  'new',
  'contacted',
  'form_sent',
  'form_completed',
  'photos_requested',
  'photos_received',
  'in_review',
  'accepted',
  'rejected',
  'withdrawn',
] as const;

export type StoredStatus = (typeof pipelineStatuses)[number];

export const pipelineStatusSchema = z.enum(pipelineStatuses.map((status) => status.toUpperCase() as PipelineStatus));

/**
 * Where a recruiter may move an aspirant from each status. Mostly forward; the backward moves are the ones a
 * recruiter really makes (ask for more photos, reconsider a rejection, re-engage someone who withdrew).
 * Rejected and withdrawn are reachable from every open status.
 */
const transitions: Readonly<Record<StoredStatus, readonly StoredStatus[]>> = {
  new: ['contacted', 'form_sent', 'rejected', 'withdrawn'],
  contacted: ['form_sent', 'rejected', 'withdrawn'],
  form_sent: ['contacted', 'form_completed', 'rejected', 'withdrawn'],
  form_completed: ['photos_requested', 'in_review', 'rejected', 'withdrawn'],
  photos_requested: ['photos_received', 'rejected', 'withdrawn'],
  photos_received: ['photos_requested', 'in_review', 'rejected', 'withdrawn'],
  in_review: ['photos_requested', 'accepted', 'rejected', 'withdrawn'],
  accepted: ['withdrawn'],
  rejected: ['in_review'],
  withdrawn: ['contacted'],
};

export const toGraphqlStatus = (status: StoredStatus): PipelineStatus => status.toUpperCase() as PipelineStatus;
export const toStoredStatus = (status: PipelineStatus): StoredStatus => status.toLowerCase() as StoredStatus;

export function allowedTransitions(from: StoredStatus): readonly StoredStatus[] {
  return transitions[from];
}

export function assertTransition(from: StoredStatus, to: StoredStatus): void {
  if (!transitions[from].includes(to)) {
    throw new BadRequestError(`status: cannot move an aspirant from ${toGraphqlStatus(from)} to ${toGraphqlStatus(to)}`);
  }
}
