-- When each person was last in an interaction, kept with them so that `tactful contacts` lists the
-- most recent first among thousands without adding up every interaction on each search.

ALTER TABLE contacts ADD COLUMN last_at TEXT;
UPDATE contacts SET last_at = (
    SELECT max(i.at) FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
    WHERE ic.contact_id = contacts.id
);
CREATE INDEX contacts_last ON contacts(last_at);

-- The words each person can be found by (the names they go by, already folded; their e-mail
-- addresses; their organisation, folded like names by tactful_fold()), in a full-text index so that a
-- search among thousands looks up word prefixes instead of reading every row. Triggers keep it in
-- step with every write made through tactful (they call its SQL functions, store/connection.py).
CREATE VIEW contact_search_text AS
    SELECT c.id AS id, c.name_keys || ' ' || coalesce(c.email, '') || ' ' || coalesce(tactful_fold(o.name), '')
        || ' ' || coalesce((SELECT group_concat(a.value, ' ') FROM contact_addresses a
                            WHERE a.contact_id = c.id AND a.kind = 'email'), '') AS words
    FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id;

CREATE VIRTUAL TABLE contact_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO contact_words(rowid, words) SELECT id, words FROM contact_search_text;

CREATE TRIGGER contact_words_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_words(rowid, words) SELECT id, words FROM contact_search_text WHERE id = new.id;
END;
CREATE TRIGGER contact_words_update AFTER UPDATE OF name_keys, email, organisation_id ON contacts BEGIN
    DELETE FROM contact_words WHERE rowid = old.id;
    INSERT INTO contact_words(rowid, words) SELECT id, words FROM contact_search_text WHERE id = new.id;
END;
CREATE TRIGGER contact_words_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_words WHERE rowid = old.id;
END;
CREATE TRIGGER contact_words_organisation AFTER UPDATE OF name ON organisations BEGIN
    DELETE FROM contact_words WHERE rowid IN (SELECT id FROM contacts WHERE organisation_id = new.id);
    INSERT INTO contact_words(rowid, words)
        SELECT t.id, t.words FROM contact_search_text t JOIN contacts c ON c.id = t.id WHERE c.organisation_id = new.id;
END;
CREATE TRIGGER contact_words_address_added AFTER INSERT ON contact_addresses WHEN new.kind = 'email' BEGIN
    DELETE FROM contact_words WHERE rowid = new.contact_id;
    INSERT INTO contact_words(rowid, words) SELECT id, words FROM contact_search_text WHERE id = new.contact_id;
END;
CREATE TRIGGER contact_words_address_removed AFTER DELETE ON contact_addresses WHEN old.kind = 'email' BEGIN
    DELETE FROM contact_words WHERE rowid = old.contact_id;
    INSERT INTO contact_words(rowid, words) SELECT id, words FROM contact_search_text WHERE id = old.contact_id;
END;
