-- The foundation schema. Runs unchanged on PostgreSQL 15, Aurora PostgreSQL 16 (through the Data API) and PGlite.
-- Ids are uuids made by the database; every time is timestamptz in UTC; lists live in jsonb because the
-- Data API cannot bind array parameters.

CREATE TABLE recruiters (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'recruiter')),
  active        boolean NOT NULL DEFAULT true,
  -- Only the local issuer uses this (scrypt); on AWS Cognito owns passwords and this stays null.
  password_hash text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE aspirants (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone               text NOT NULL UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  whatsapp_name       text,
  full_name           text,
  status              text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'form_sent',
                        'form_completed', 'photos_requested', 'photos_received', 'in_review', 'accepted',
                        'rejected', 'withdrawn')),
  language            text CHECK (language IN ('es', 'en', 'pt')),
  profile             jsonb,
  shift_preferences   jsonb NOT NULL DEFAULT '[]'::jsonb,
  opted_out_at        timestamptz,
  date_of_birth       date,
  guardian_consent_at timestamptz,
  assignee_id         uuid REFERENCES recruiters (id),
  tags                jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX aspirants_assignee_idx ON aspirants (assignee_id);
CREATE INDEX aspirants_status_idx ON aspirants (status);
-- Search: name prefix (case-insensitive) and phone suffix ("the last digits").
CREATE INDEX aspirants_name_prefix_idx ON aspirants (lower(coalesce(full_name, whatsapp_name, '')) text_pattern_ops);
CREATE INDEX aspirants_phone_suffix_idx ON aspirants (reverse(phone) text_pattern_ops);

CREATE TABLE aspirant_notes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  author_id   uuid REFERENCES recruiters (id),
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX aspirant_notes_aspirant_idx ON aspirant_notes (aspirant_id, created_at);

CREATE TABLE conversations (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id       uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  channel           text NOT NULL CHECK (channel IN ('whatsapp_twilio', 'whatsapp_meta')),
  last_message_id   uuid,
  last_activity_at  timestamptz NOT NULL DEFAULT now(),
  inbound_count     integer NOT NULL DEFAULT 0,
  -- Opened and refreshed only by the aspirant's own messages: last inbound + 24 h.
  window_expires_at timestamptz,
  bot_state         text NOT NULL DEFAULT 'not_started' CHECK (bot_state IN ('not_started', 'welcomed',
                      'awaiting_form', 'awaiting_guardian_consent', 'awaiting_photos', 'completed')),
  bot_paused        boolean NOT NULL DEFAULT false,
  needs_recruiter   boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (aspirant_id, channel)
);
CREATE INDEX conversations_activity_idx ON conversations (last_activity_at DESC, id DESC);
CREATE INDEX conversations_window_idx ON conversations (window_expires_at, id);

CREATE TABLE conversation_reads (
  conversation_id    uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  recruiter_id       uuid NOT NULL REFERENCES recruiters (id) ON DELETE CASCADE,
  read_inbound_count integer NOT NULL,
  read_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, recruiter_id)
);

CREATE TABLE messages (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id     uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  author_kind         text NOT NULL CHECK (author_kind IN ('aspirant', 'bot', 'recruiter')),
  author_id           uuid REFERENCES recruiters (id),
  body                text,
  -- Twilio MessageSid or Meta wamid: redelivered webhooks collide here and change nothing.
  provider_message_id text UNIQUE,
  idempotency_key     text,
  status              text NOT NULL CHECK (status IN ('received', 'queued', 'sending', 'sent', 'delivered',
                        'read', 'failed', 'undelivered')),
  failure_code        text,
  failure_reason      text,
  occurred_at         timestamptz NOT NULL DEFAULT now(),
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, idempotency_key)
);
CREATE INDEX messages_thread_idx ON messages (conversation_id, occurred_at DESC, id DESC);

ALTER TABLE conversations
  ADD CONSTRAINT conversations_last_message_fk FOREIGN KEY (last_message_id) REFERENCES messages (id) ON DELETE SET NULL;

-- Append-only: the message's status is derived from these by rank, so arrival order does not matter.
CREATE TABLE message_status_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id    uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  status        text NOT NULL,
  error_code    text,
  error_message text,
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_status_events_message_idx ON message_status_events (message_id, id);

CREATE TABLE media (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id       uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position         integer NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('image', 'audio', 'video', 'document', 'sticker')),
  status           text NOT NULL CHECK (status IN ('pending', 'stored', 'rejected')),
  content_type     text,
  size_bytes       integer,
  file_name        text,
  provider_ref     text,
  blob_key         text,
  thumbnail_key    text,
  width            integer,
  height           integer,
  duration_seconds real,
  rejection_reason text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, position)
);

CREATE TABLE photos (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id   uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  message_id    uuid REFERENCES messages (id) ON DELETE SET NULL,
  media_id      uuid REFERENCES media (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('headshot', 'full_body', 'profile', 'other')),
  blob_key      text NOT NULL,
  thumbnail_key text NOT NULL,
  width         integer,
  height        integer,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photos_aspirant_idx ON photos (aspirant_id, created_at);

CREATE TABLE form_links (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id  uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  opened_at    timestamptz,
  submitted_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX form_links_aspirant_idx ON form_links (aspirant_id, created_at DESC);

CREATE TABLE form_submissions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id  uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  form_link_id uuid REFERENCES form_links (id) ON DELETE SET NULL,
  source       text NOT NULL,
  data         jsonb NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_submissions_aspirant_idx ON form_submissions (aspirant_id, submitted_at DESC);

CREATE TABLE bot_traces (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_id      uuid REFERENCES messages (id) ON DELETE CASCADE,
  agent           text NOT NULL,
  intent          text,
  confidence      real,
  latency_ms      integer,
  summary         text,
  detail          jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bot_traces_message_idx ON bot_traces (message_id);
