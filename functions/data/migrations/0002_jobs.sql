-- The job queue (functions/jobs/). Locally it is a durable PostgreSQL queue that workers claim from; on AWS it is
-- the transactional outbox that relayOutbox hands to SQS. Jobs are written in the same transaction as the change
-- that caused them, so both commit or neither does.

CREATE TABLE jobs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Claim order among jobs due at the same time: first enqueued, first run.
  seq          bigint GENERATED ALWAYS AS IDENTITY,
  type         text NOT NULL CHECK (length(type) <= 100 AND type ~ '^[a-z][a-z0-9]*([._-][a-z0-9]+)*$'),
  payload      jsonb NOT NULL,
  -- Unique across every state, done and dead included: enqueueing the same job twice is a no-op.
  dedupe_key   text UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 500),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead', 'sent')),
  attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Pending jobs run at or after this time: the first run, or the next retry.
  run_at       timestamptz NOT NULL DEFAULT now(),
  -- A running job's claim and how long it holds; after that the job is free to be claimed again.
  lease_id     uuid,
  locked_until timestamptz,
  -- Name and message of the last failure, without secrets (functions/jobs/failure.ts).
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- When the job left the queue: done, dead (a dead letter) or sent (handed to SQS).
  finished_at  timestamptz,
  CONSTRAINT jobs_lease_check CHECK ((status = 'running') = (lease_id IS NOT NULL AND locked_until IS NOT NULL)),
  CONSTRAINT jobs_finished_check CHECK ((status IN ('done', 'dead', 'sent')) = (finished_at IS NOT NULL))
);
CREATE INDEX jobs_due_idx ON jobs (run_at, seq) WHERE status = 'pending';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_dead_letters_idx ON jobs (finished_at DESC, id DESC) WHERE status = 'dead';
