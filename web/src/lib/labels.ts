import type { BotState, DeliveryStatus, PipelineStatus } from '../generated/graphql.ts';

export const pipelineStatusLabels: Readonly<Record<PipelineStatus, string>> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  FORM_SENT: 'Form sent',
  FORM_COMPLETED: 'Form completed',
  PHOTOS_REQUESTED: 'Photos requested',
  PHOTOS_RECEIVED: 'Photos received',
  IN_REVIEW: 'In review',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  WITHDRAWN: 'Withdrawn',
};

/** The pipeline in order, for filters and pickers. */
export const pipelineStatuses = Object.keys(pipelineStatusLabels) as PipelineStatus[];

export const botStateLabels: Readonly<Record<BotState, string>> = {
  NOT_STARTED: 'not started',
  WELCOMED: 'welcomed the aspirant',
  AWAITING_FORM: 'waiting for the form',
  AWAITING_GUARDIAN_CONSENT: 'waiting for guardian consent',
  AWAITING_PHOTOS: 'waiting for photos',
  COMPLETED: 'done',
};

export const deliveryStatusLabels: Readonly<Record<DeliveryStatus, string>> = {
  RECEIVED: 'Received',
  QUEUED: 'Queued',
  SENDING: 'Sending',
  SENT: 'Sent',
  DELIVERED: 'Delivered',
  READ: 'Read',
  FAILED: 'Failed',
  UNDELIVERED: 'Undelivered',
};
