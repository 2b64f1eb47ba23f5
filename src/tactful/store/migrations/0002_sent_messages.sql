-- What was sent, and how to recognise the answer: the Message-ID of a drafted email and the
-- channel a follow-up actually went out on (which may differ from the planned one).

ALTER TABLE followups ADD COLUMN message_id TEXT;
ALTER TABLE followups ADD COLUMN sent_channel TEXT
    CHECK (sent_channel IN ('email', 'phone', 'linkedin', 'letter'));
CREATE UNIQUE INDEX followups_message_id ON followups(message_id) WHERE message_id IS NOT NULL;
