"""The IMAP and SMTP adapters of a mail account: `imap`, `smtp`, and what they share (`servers`)."""
