-- Messages the user told tactful to send. A row is written, with its Message-ID and the exact
-- bytes to send, before the SMTP server sees anything; its status then goes queued -> sending ->
-- sent (or failed). A message left "sending" by a crash is looked up in the Sent folder, never sent
-- again by itself. `filed`: a copy is in the Sent folder.

-- Not a foreign key: what was sent stays on record if its follow-up is deleted.
CREATE TABLE outbox (
    followup_id INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    send_at     TEXT NOT NULL,
    queued_at   TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    raw         BLOB NOT NULL,
    error       TEXT,
    sent_at     TEXT,
    filed       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_waiting ON outbox(send_at) WHERE status IN ('queued', 'sending');

-- The most messages the account sends in 24 hours; more wait in the outbox.
ALTER TABLE mail_account ADD COLUMN daily_cap INTEGER NOT NULL DEFAULT 40;

-- Today lists the replies of the last days.
CREATE INDEX mail_messages_received ON mail_messages(at) WHERE direction = 'received';

-- The morning digest e-mail to yourself: whether it is wanted, and the day it last went.
ALTER TABLE mail_account ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_account ADD COLUMN digest_on TEXT;
