"""Other tools' files, read and written: contact exports, calendars, backups, mail drafts. Pure."""
