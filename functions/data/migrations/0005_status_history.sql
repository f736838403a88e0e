-- Every pipeline status an aspirant has had, for the dashboard's funnel: a stage counts once reached, even if
-- the aspirant moved on, was rejected or withdrew later. Append-only, written by triggers on aspirants so every
-- writer (GraphQL, the bot, form submissions, the seed, hand-written SQL) is caught by one rule.

CREATE TABLE aspirant_status_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  aspirant_id uuid NOT NULL REFERENCES aspirants (id) ON DELETE CASCADE,
  status      text NOT NULL,
  changed_at  timestamptz NOT NULL
);
CREATE INDEX aspirant_status_changes_aspirant_idx ON aspirant_status_changes (aspirant_id, changed_at);
CREATE INDEX aspirant_status_changes_changed_idx ON aspirant_status_changes (changed_at);

-- The dashboard's ranges: aspirants by when they first wrote, messages by when they were written.
CREATE INDEX aspirants_created_idx ON aspirants (created_at);
CREATE INDEX messages_occurred_idx ON messages (occurred_at);

-- An insert is dated by the row's created_at; a change by the updated_at its writer stamped (writers use their
-- own clock, which may differ from the database's), or by the database's clock when the writer left it alone.
CREATE FUNCTION record_aspirant_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO aspirant_status_changes (aspirant_id, status, changed_at) VALUES (NEW.id, NEW.status, NEW.created_at);
  ELSE
    INSERT INTO aspirant_status_changes (aspirant_id, status, changed_at)
    VALUES (NEW.id, NEW.status, CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN NEW.updated_at ELSE now() END);
  END IF;
  RETURN NULL;
END;
$$;

-- The triggers come before the backfill: creating them locks aspirants against writes until this migration
-- commits, so the backfill below sees every row and no later write is missed.
CREATE TRIGGER aspirants_status_inserted AFTER INSERT ON aspirants
  FOR EACH ROW EXECUTE FUNCTION record_aspirant_status_change();
CREATE TRIGGER aspirants_status_changed AFTER UPDATE OF status ON aspirants
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION record_aspirant_status_change();

-- Aspirants from before this migration: only their current status is known, dated by their last change.
INSERT INTO aspirant_status_changes (aspirant_id, status, changed_at)
SELECT id, status, CASE WHEN status = 'new' THEN created_at ELSE updated_at END FROM aspirants;
