-- Aspirants' data rights (functions/domain/aspirantData.ts): an erasure deletes every row about the aspirant, and
-- this audit keeps only that it happened: which aspirant id (it leads nowhere once the rows are gone), who
-- erased it and when. No phone, name or message text.

CREATE TABLE aspirant_erasures (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aspirant_id uuid NOT NULL UNIQUE,
  erased_by   uuid NOT NULL REFERENCES recruiters (id),
  erased_at   timestamptz NOT NULL DEFAULT now()
);
