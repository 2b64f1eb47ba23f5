-- The first schema: people, organisations, threads, what happened, and what to do next.
-- Times are ISO 8601 text in UTC ("2026-03-02T16:00:00+00:00"), so they sort as text.

CREATE TABLE profile (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE
);

CREATE TABLE contacts (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    norm               TEXT NOT NULL,
    email              TEXT,
    phone              TEXT,
    linkedin           TEXT,
    organisation_id    INTEGER REFERENCES organisations(id),
    role               TEXT,
    tz                 TEXT,
    prefers            TEXT CHECK (prefers IN ('email', 'phone', 'linkedin', 'letter')),
    linkedin_connected INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL
);
CREATE INDEX contacts_norm ON contacts(norm);
CREATE INDEX contacts_email ON contacts(lower(email));

CREATE TABLE threads (
    id              INTEGER PRIMARY KEY,
    title           TEXT,
    organisation_id INTEGER REFERENCES organisations(id),
    round           INTEGER NOT NULL DEFAULT 1,
    outcome         TEXT,
    outcome_at      TEXT,
    closed          INTEGER NOT NULL DEFAULT 0,
    dormant_at      TEXT,
    dormant_why     TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX threads_open ON threads(organisation_id, title) WHERE closed = 0;
CREATE INDEX threads_dormant ON threads(dormant_at) WHERE dormant_at IS NOT NULL;

CREATE TABLE interactions (
    id             INTEGER PRIMARY KEY,
    thread_id      INTEGER NOT NULL REFERENCES threads(id),
    kind           TEXT NOT NULL,
    at             TEXT NOT NULL,
    round          INTEGER NOT NULL DEFAULT 1,
    decision_by    TEXT,
    promised_by    TEXT,
    promised       TEXT,
    introducer_id  INTEGER REFERENCES contacts(id),
    time_sensitive INTEGER NOT NULL DEFAULT 0,
    wants_card     INTEGER NOT NULL DEFAULT 0,
    topics         TEXT NOT NULL DEFAULT '[]',
    questions      TEXT NOT NULL DEFAULT '[]',
    note           TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX interactions_thread ON interactions(thread_id);

CREATE TABLE interaction_contacts (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    contact_id     INTEGER NOT NULL REFERENCES contacts(id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, contact_id)
);
CREATE INDEX interaction_contacts_contact ON interaction_contacts(contact_id);

CREATE TABLE followups (
    id             INTEGER PRIMARY KEY,
    thread_id      INTEGER NOT NULL REFERENCES threads(id),
    contact_id     INTEGER NOT NULL REFERENCES contacts(id),
    interaction_id INTEGER REFERENCES interactions(id),
    parent_id      INTEGER REFERENCES followups(id),
    rule           TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    channel        TEXT NOT NULL,
    nudge          INTEGER NOT NULL DEFAULT 0,
    not_before     TEXT NOT NULL,
    due_by         TEXT NOT NULL,
    suggested_at   TEXT,
    why            TEXT NOT NULL,
    round          INTEGER NOT NULL DEFAULT 1,
    status         TEXT NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'done', 'skipped', 'cancelled')),
    done_at        TEXT,
    cancel_reason  TEXT,
    text           TEXT,
    created_at     TEXT NOT NULL
);
-- The agenda reads only planned follow-ups: its cost follows what is due, not the history.
CREATE INDEX followups_planned ON followups(not_before) WHERE status = 'planned';
CREATE INDEX followups_thread ON followups(thread_id);
CREATE INDEX followups_contact ON followups(contact_id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL REFERENCES threads(id),
    kind       TEXT NOT NULL CHECK (kind IN ('reply', 'outcome')),
    at         TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id),
    outcome    TEXT
);
CREATE INDEX events_thread ON events(thread_id);
