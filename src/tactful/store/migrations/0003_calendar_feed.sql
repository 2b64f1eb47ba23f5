-- Calendar feed, contact imports and backups.
--
-- The feed's secret token (one row at most: rotating replaces it), what imports learn about people
-- beyond the first email and phone, and which calendar events were already logged as interactions,
-- so importing the same .ics twice logs nothing twice.

CREATE TABLE calendar_feed (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    token      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The day you connected on LinkedIn: the last known contact with an imported connection (a date in
-- the user's calendar, "2024-03-05"), and where the contact was first imported from.
ALTER TABLE contacts ADD COLUMN connected_on TEXT;
ALTER TABLE contacts ADD COLUMN imported_from TEXT;
CREATE INDEX contacts_linkedin ON contacts(lower(linkedin)) WHERE linkedin IS NOT NULL;

-- Every further email address, phone number and web address of a contact (the first email and
-- phone stay in contacts.email / contacts.phone).
CREATE TABLE contact_addresses (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'url')),
    value      TEXT NOT NULL,
    label      TEXT,
    PRIMARY KEY (contact_id, kind, value)
);
CREATE INDEX contact_addresses_value ON contact_addresses(kind, lower(value));

CREATE TABLE imported_events (
    uid            TEXT PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    imported_at    TEXT NOT NULL
);
