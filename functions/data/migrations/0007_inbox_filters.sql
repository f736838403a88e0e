-- The inbox (functions/domain/conversations.ts) lists conversations by last activity, filtered by facts about
-- their aspirant: the assignee (MINE, UNASSIGNED, and what a recruiter may see), the pipeline status, the opt-out.
-- Filtering through the join walked the activity index past every conversation the filter dropped: thousands of
-- rows for a first page of 50 when the filter is rare. Copies of those facts on the conversation, each with an
-- index in activity order, let a first page read about 50 index entries whatever the number of conversations.
-- Triggers keep the copies for every writer (GraphQL, ingestion, the bot, form submissions, seeds, hand-written
-- SQL), in the writer's own transaction.

ALTER TABLE conversations
  ADD COLUMN aspirant_assignee_id uuid,
  ADD COLUMN aspirant_status      text,
  ADD COLUMN aspirant_opted_out   boolean NOT NULL DEFAULT false;

CREATE FUNCTION copy_aspirant_inbox_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT a.assignee_id, a.status, a.opted_out_at IS NOT NULL
    INTO NEW.aspirant_assignee_id, NEW.aspirant_status, NEW.aspirant_opted_out
    FROM aspirants a WHERE a.id = NEW.aspirant_id;
  RETURN NEW;
END;
$$;

CREATE FUNCTION propagate_aspirant_inbox_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversations
     SET aspirant_assignee_id = NEW.assignee_id, aspirant_status = NEW.status, aspirant_opted_out = NEW.opted_out_at IS NOT NULL
   WHERE aspirant_id = NEW.id;
  RETURN NULL;
END;
$$;

-- The triggers come before the backfill: creating them locks both tables against writes until this migration
-- commits, so the backfill sees every row and no later write is missed.
CREATE TRIGGER conversations_aspirant_fields_copied BEFORE INSERT OR UPDATE OF aspirant_id ON conversations
  FOR EACH ROW EXECUTE FUNCTION copy_aspirant_inbox_fields();
CREATE TRIGGER aspirants_inbox_fields_changed AFTER UPDATE OF assignee_id, status, opted_out_at ON aspirants
  FOR EACH ROW WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.status IS DISTINCT FROM NEW.status
                     OR (OLD.opted_out_at IS NULL) <> (NEW.opted_out_at IS NULL))
  EXECUTE FUNCTION propagate_aspirant_inbox_fields();

UPDATE conversations c
   SET aspirant_assignee_id = a.assignee_id, aspirant_status = a.status, aspirant_opted_out = a.opted_out_at IS NOT NULL
  FROM aspirants a WHERE a.id = c.aspirant_id;
ALTER TABLE conversations ALTER COLUMN aspirant_status SET NOT NULL;

-- MINE and UNASSIGNED (IS NULL is an index condition too); a status; the few who opted out.
CREATE INDEX conversations_assignee_activity_idx ON conversations (aspirant_assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_status_activity_idx ON conversations (aspirant_status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_opted_out_activity_idx ON conversations (last_activity_at DESC, id DESC) WHERE aspirant_opted_out;
