-- Secrets the web app keeps: the key that signs session cookies and the login password's argon2 hash.

CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
