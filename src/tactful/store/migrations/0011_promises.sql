-- What the user promised someone (`log ... --i-promised "send the deck"`): kept on the follow-up of
-- purpose "promise" that carries it, so that the next message to them can say it was done.
ALTER TABLE followups ADD COLUMN promise TEXT;

-- The follow-ups of one rule to one person (a keep-in-touch check-in, a promise), looked up as
-- anything touching them is written.
CREATE INDEX followups_contact_rule ON followups(contact_id, rule);
