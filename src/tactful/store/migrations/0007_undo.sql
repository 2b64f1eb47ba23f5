-- What `tactful undo` takes back. Each change a person makes (a log, a follow-up marked sent, an
-- edit, an import...) is a step; while a step is open, triggers on every table of the user's data
-- write the SQL that puts each touched row back as it was (store/undo.py makes the triggers from
-- the tables' columns, again after every migration). Undo runs a step's statements newest first.

-- A note of the user's own about a person (`tactful edit contact ID --note`).
ALTER TABLE contacts ADD COLUMN note TEXT;

CREATE TABLE undo_steps (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    summary TEXT NOT NULL,
    at      TEXT NOT NULL,
    open    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX undo_steps_open ON undo_steps(open) WHERE open = 1;

CREATE TABLE undo_log (
    id   INTEGER PRIMARY KEY,
    step INTEGER NOT NULL REFERENCES undo_steps(id) ON DELETE CASCADE,
    sql  TEXT NOT NULL
);
CREATE INDEX undo_log_step ON undo_log(step);
