-- Tags on people ("mentor", "recruiter", "acme"): how the user groups them, and what a keep-in-touch
-- cadence can be set for. Kept lower-case.

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_tag ON contact_tags(tag);

-- Keep-in-touch cadences, for one person or for everyone with a tag: the ideal gap between two
-- contacts and the most it may grow before the person is "losing touch" ("2m", "4m": calendar units).
CREATE TABLE cadences (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER REFERENCES contacts(id),
    tag        TEXT,
    every      TEXT NOT NULL,
    at_most    TEXT NOT NULL,
    CHECK ((contact_id IS NULL) != (tag IS NULL))
);
CREATE UNIQUE INDEX cadences_contact ON cadences(contact_id) WHERE contact_id IS NOT NULL;
CREATE UNIQUE INDEX cadences_tag ON cadences(tag) WHERE tag IS NOT NULL;

-- The last contact with a person, of any kind, is looked up per person with a cadence.
CREATE INDEX events_reply_contact ON events(contact_id, at) WHERE kind = 'reply';
CREATE INDEX mail_messages_contact ON mail_messages(contact_id, at);
