-- The WhatsApp channel (functions/ingest, functions/outbound): approved templates, what the bot may answer,
-- and delivery statuses that may arrive before the sender recorded the provider's id.

-- Approved WhatsApp templates: outside the 24-hour window they are the only messages that may be sent.
CREATE TABLE message_templates (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name               text NOT NULL CHECK (name ~ '^[a-z0-9_]{1,100}$'),
  language           text NOT NULL CHECK (language IN ('es', 'en', 'pt')),
  -- The text with {{1}}, {{2}}… where the variables go.
  body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 1024),
  -- What each variable holds, in order (["first name"]).
  variables          jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(variables) = 'array'),
  -- The template as each provider approved it; null when it is not approved there.
  twilio_content_sid text CHECK (twilio_content_sid ~ '^HX[0-9a-fA-F]{32}$'),
  meta_template_name text CHECK (meta_template_name ~ '^[a-z0-9_]+$' AND length(meta_template_name) <= 512),
  -- The language code Meta approved the template under (es, en_US, pt_BR…).
  meta_language      text CHECK (meta_language ~ '^[a-z]{2,3}(_[A-Z]{2})?$'),
  approved           boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, language),
  CONSTRAINT message_templates_meta_check CHECK ((meta_template_name IS NULL) = (meta_language IS NULL))
);

ALTER TABLE messages ADD COLUMN template_id uuid REFERENCES message_templates (id);
ALTER TABLE messages ADD COLUMN template_variables jsonb;

-- Whether the bot may answer an inbound message: 'eligible'; 'stale' (old when it arrived, or older than a
-- message already stored: a redelivered flood after an outage); 'throttled' (over the per-minute limit of its
-- phone: stored, never answered automatically); 'keyword' (an opt-out or opt-in word). Null for outbound.
ALTER TABLE messages ADD COLUMN auto_reply text CHECK (auto_reply IN ('eligible', 'stale', 'throttled', 'keyword'));
ALTER TABLE messages ADD CONSTRAINT messages_auto_reply_direction_check CHECK ((auto_reply IS NULL) OR (direction = 'inbound'));
-- Counting a phone's recent messages for the automation limit.
CREATE INDEX messages_inbound_arrival_idx ON messages (conversation_id, created_at) WHERE direction = 'inbound';

-- A status callback can arrive before the sender recorded the provider's id (Twilio may call back before
-- messages.create answers): such events wait keyed by provider_message_id and are attached to their message
-- when the sender records the id.
ALTER TABLE message_status_events ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE message_status_events ADD COLUMN provider_message_id text;
ALTER TABLE message_status_events ADD CONSTRAINT message_status_events_owner_check
  CHECK (message_id IS NOT NULL OR provider_message_id IS NOT NULL);
-- A redelivered callback adds nothing.
CREATE UNIQUE INDEX message_status_events_once_idx ON message_status_events (provider_message_id, status, coalesce(error_code, ''));
CREATE INDEX message_status_events_waiting_idx ON message_status_events (provider_message_id) WHERE message_id IS NULL;
