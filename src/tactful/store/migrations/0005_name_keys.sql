-- What each person may be called by, so that `--with Dana` and `reply --from Priya` find them by
-- first name, last name or full name, whatever the case and accents: "|priya natarajan|priya|natarajan|".
-- tactful_name_keys() is the store's own SQL function (store/rows.py, `name_keys_text`).

ALTER TABLE contacts ADD COLUMN name_keys TEXT NOT NULL DEFAULT '';
UPDATE contacts SET name_keys = tactful_name_keys(name);
