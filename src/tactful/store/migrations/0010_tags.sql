-- Tags on people ("mentor", "recruiter", "acme"): how the user groups them, and what a keep-in-touch
-- cadence can be set for. Kept lower-case.

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tags_tag ON contact_tags(tag);
