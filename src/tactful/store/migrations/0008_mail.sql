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

-- The mail account (one at most; its password is in the OS keyring or the environment, never here)
-- and how far each of its folders has been read: a folder's UIDVALIDITY and the last UID seen.
CREATE TABLE mail_account (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    user          TEXT NOT NULL,
    address       TEXT,
    imap_host     TEXT NOT NULL,
    imap_port     INTEGER NOT NULL,
    imap_security TEXT NOT NULL CHECK (imap_security IN ('tls', 'starttls', 'plain')),
    smtp_host     TEXT NOT NULL,
    smtp_port     INTEGER NOT NULL,
    smtp_security TEXT NOT NULL CHECK (smtp_security IN ('tls', 'starttls', 'plain')),
    inbox         TEXT NOT NULL,
    sent          TEXT NOT NULL,
    connected_at  TEXT NOT NULL,
    synced_at     TEXT
);

CREATE TABLE mail_folders (
    name        TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL DEFAULT 0,
    read_at     TEXT NOT NULL
);
