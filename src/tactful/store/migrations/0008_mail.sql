-- Mail tactful has matched to a thread: what the user sent (found in the Sent folder or an import)
-- and what came back (a reply, an out-of-office, a bounce). The Message-ID is the key, so a message
-- seen twice, by a second sync or a second import, counts once. Messages that match nobody are not
-- kept: a sync remembers how far it read instead.

CREATE TABLE mail_messages (
    message_id  TEXT PRIMARY KEY,
    direction   TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    at          TEXT NOT NULL,
    contact_id  INTEGER REFERENCES contacts(id),
    thread_id   INTEGER REFERENCES threads(id),
    followup_id INTEGER REFERENCES followups(id),
    subject     TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    -- sent; reply, rejection, later, invitation (a person's answer); out-of-office, bounce
    kind        TEXT NOT NULL,
    until       TEXT,
    said        TEXT,
    proposal    TEXT,
    decision    TEXT CHECK (decision IN ('proposed', 'accepted', 'declined')),
    seen_at     TEXT NOT NULL
);
CREATE INDEX mail_messages_thread ON mail_messages(thread_id);
CREATE INDEX mail_messages_proposed ON mail_messages(at) WHERE decision = 'proposed';

-- Addresses a delivery report said cannot be reached.
CREATE TABLE failing_addresses (
    address    TEXT PRIMARY KEY,
    at         TEXT NOT NULL,
    message_id TEXT
);
