-- The last contact of any kind with each person (an interaction, a message sent to them, their reply,
-- a message the mailbox matched), kept with them as `last_at` keeps the last interaction: a
-- keep-in-touch cadence counts from it, for everyone with a cadence, each time the agenda is read.
ALTER TABLE contacts ADD COLUMN last_contact_at TEXT;

-- When the user last wrote to each person (a message, not a task of their own).
CREATE INDEX followups_contact_sent ON followups(contact_id, done_at)
    WHERE status = 'done' AND purpose NOT IN ('reminder-to-self', 'promise');

UPDATE contacts SET last_contact_at = nullif(max(
    coalesce((SELECT max(i.at) FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
              WHERE ic.contact_id = contacts.id), ''),
    coalesce((SELECT max(f.done_at) FROM followups f WHERE f.contact_id = contacts.id AND f.status = 'done'
              AND f.purpose NOT IN ('reminder-to-self', 'promise')), ''),
    coalesce((SELECT max(e.at) FROM events e WHERE e.contact_id = contacts.id AND e.kind = 'reply'), ''),
    coalesce((SELECT max(m.at) FROM mail_messages m WHERE m.contact_id = contacts.id), '')), '');
