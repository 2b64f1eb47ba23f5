"""`tactful worker`: a server's background jobs (mail sync per account, scheduled sends, the morning
digest) on a queue kept in the PostgreSQL database itself (procrastinate: `SELECT ... FOR UPDATE
SKIP LOCKED` hands each job to one worker, LISTEN/NOTIFY wakes them). See `jobs`."""
