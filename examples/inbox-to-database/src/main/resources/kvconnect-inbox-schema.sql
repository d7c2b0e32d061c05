-- Schema of the inbox-to-database example (PostgreSQL). Statements are separated by ';' at line ends.

-- One row per message stored: the idempotency record. It is inserted in the same transaction as the message, so
-- either both exist or neither does.
CREATE TABLE IF NOT EXISTS kvc_processed_message (
    message_key  VARCHAR(1100) PRIMARY KEY,
    processed_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS kvc_inbox_message (
    id               BIGSERIAL     PRIMARY KEY,
    message_key      VARCHAR(1100) NOT NULL UNIQUE REFERENCES kvc_processed_message (message_key),
    account          VARCHAR(320)  NOT NULL,
    message_id       VARCHAR(998)  NOT NULL,
    sender           VARCHAR(320)  NOT NULL,
    recipients       TEXT,
    subject          TEXT,
    dienstkennung    VARCHAR(200),
    in_reply_to      VARCHAR(998),
    signature_status VARCHAR(40),
    body_text        TEXT,
    received_at      TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS kvc_inbox_attachment (
    message_pk   BIGINT       NOT NULL REFERENCES kvc_inbox_message (id),
    position     INT          NOT NULL,
    file_name    VARCHAR(255) NOT NULL,
    content_type VARCHAR(255),
    content      BYTEA        NOT NULL,
    PRIMARY KEY (message_pk, position)
);
