-- When each person was last in an interaction, kept with them so that `tactful contacts` lists the
-- most recent first among thousands without adding up every interaction on each search.

ALTER TABLE contacts ADD COLUMN last_at TEXT;
UPDATE contacts SET last_at = (
    SELECT max(i.at) FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
    WHERE ic.contact_id = contacts.id
);
CREATE INDEX contacts_last ON contacts(last_at);

-- The words each person can be found by (the names they go by, already folded; their e-mail
-- address; their organisation, folded like names by tactful_fold()), in a full-text index so that a
-- search among thousands looks up word prefixes instead of reading every row. Triggers keep it in
-- step with every write made through tactful (they call its SQL functions, store/connection.py).
CREATE VIRTUAL TABLE contact_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO contact_words(rowid, words)
    SELECT c.id, c.name_keys || ' ' || coalesce(c.email, '') || ' ' || coalesce(tactful_fold(o.name), '')
    FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id;

CREATE TRIGGER contact_words_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_words(rowid, words) VALUES (new.id, new.name_keys || ' ' || coalesce(new.email, '')
        || ' ' || coalesce((SELECT tactful_fold(name) FROM organisations WHERE id = new.organisation_id), ''));
END;
CREATE TRIGGER contact_words_update AFTER UPDATE OF name_keys, email, organisation_id ON contacts BEGIN
    DELETE FROM contact_words WHERE rowid = old.id;
    INSERT INTO contact_words(rowid, words) VALUES (new.id, new.name_keys || ' ' || coalesce(new.email, '')
        || ' ' || coalesce((SELECT tactful_fold(name) FROM organisations WHERE id = new.organisation_id), ''));
END;
CREATE TRIGGER contact_words_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_words WHERE rowid = old.id;
END;
CREATE TRIGGER contact_words_organisation AFTER UPDATE OF name ON organisations BEGIN
    DELETE FROM contact_words WHERE rowid IN (SELECT id FROM contacts WHERE organisation_id = new.id);
    INSERT INTO contact_words(rowid, words)
        SELECT id, name_keys || ' ' || coalesce(email, '') || ' ' || tactful_fold(new.name) FROM contacts
        WHERE organisation_id = new.id;
END;
