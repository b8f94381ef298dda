-- The initial aftercare schema (PostgreSQL). Never edit once shipped: add a new migration.
-- Portable conventions (the PostgreSQL twin has the same tables and columns): ids are
-- TEXT (UUID v7), instants BIGINT epoch seconds, booleans BOOLEAN, JSON as TEXT,
-- secrets only as SHA-256 hex hashes. Composite foreign keys on (id, clinic_id) make it
-- impossible for a row to point into another clinic.

CREATE TABLE clinics (
    id                  TEXT    NOT NULL PRIMARY KEY,
    name                TEXT    NOT NULL,
    phone               TEXT    NOT NULL,
    email               TEXT    NOT NULL,
    address             TEXT    NOT NULL,
    emergency_number    TEXT    NOT NULL,
    default_protocol_id TEXT,
    created_at          BIGINT  NOT NULL
);

CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    clinic_id     TEXT    NOT NULL REFERENCES clinics (id),
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'practitioner')),
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    disabled_at   BIGINT,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_id_clinic_key UNIQUE (id, clinic_id)
);

CREATE TABLE protocols (
    id          TEXT    NOT NULL PRIMARY KEY,
    clinic_id   TEXT    NOT NULL REFERENCES clinics (id),
    name        TEXT    NOT NULL,
    toml        TEXT    NOT NULL,
    uploaded_by TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    CONSTRAINT protocols_id_clinic_key UNIQUE (id, clinic_id),
    FOREIGN KEY (uploaded_by, clinic_id) REFERENCES users (id, clinic_id)
);
CREATE INDEX protocols_clinic_idx ON protocols (clinic_id, created_at);

CREATE TABLE invitations (
    id         TEXT    NOT NULL PRIMARY KEY,
    clinic_id  TEXT    NOT NULL REFERENCES clinics (id),
    email      TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'practitioner')),
    token_hash TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL,
    used_at    BIGINT,
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash),
    FOREIGN KEY (created_by, clinic_id) REFERENCES users (id, clinic_id)
);
CREATE INDEX invitations_clinic_idx ON invitations (clinic_id);

CREATE TABLE sessions (
    token_hash   TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL,
    clinic_id    TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    FOREIGN KEY (user_id, clinic_id) REFERENCES users (id, clinic_id)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE treatments (
    id                TEXT    NOT NULL PRIMARY KEY,
    clinic_id         TEXT    NOT NULL REFERENCES clinics (id),
    practitioner_id   TEXT    NOT NULL,
    patient_label     TEXT    NOT NULL,
    patient_email     TEXT,
    treated_at        BIGINT  NOT NULL,
    time_zone         TEXT    NOT NULL,
    skin              TEXT    NOT NULL,
    fitzpatrick       SMALLINT CHECK (fitzpatrick BETWEEN 1 AND 6),
    areas             TEXT    NOT NULL,
    cold_sore_history BOOLEAN NOT NULL,
    notes             TEXT    NOT NULL,
    protocol_id       TEXT,
    created_at        BIGINT  NOT NULL,
    CONSTRAINT treatments_id_clinic_key UNIQUE (id, clinic_id),
    FOREIGN KEY (practitioner_id, clinic_id) REFERENCES users (id, clinic_id),
    FOREIGN KEY (protocol_id, clinic_id) REFERENCES protocols (id, clinic_id)
);
CREATE INDEX treatments_clinic_idx ON treatments (clinic_id, treated_at);

CREATE TABLE patient_links (
    id           TEXT    NOT NULL PRIMARY KEY,
    treatment_id TEXT    NOT NULL,
    clinic_id    TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('patient', 'calendar')),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    revoked_at   BIGINT,
    CONSTRAINT patient_links_token_hash_key UNIQUE (token_hash),
    FOREIGN KEY (treatment_id, clinic_id) REFERENCES treatments (id, clinic_id)
);
CREATE INDEX patient_links_treatment_idx ON patient_links (treatment_id);

CREATE TABLE check_ins (
    id           TEXT    NOT NULL PRIMARY KEY,
    treatment_id TEXT    NOT NULL,
    clinic_id    TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    submitted_at BIGINT  NOT NULL,
    input        TEXT    NOT NULL,
    level        TEXT    NOT NULL
        CHECK (level IN ('expected', 'contact_practitioner', 'urgent', 'emergency')),
    result       TEXT    NOT NULL,
    CONSTRAINT check_ins_id_clinic_key UNIQUE (id, clinic_id),
    FOREIGN KEY (treatment_id, clinic_id) REFERENCES treatments (id, clinic_id)
);
CREATE INDEX check_ins_treatment_idx ON check_ins (treatment_id, at);

CREATE TABLE alerts (
    id                   TEXT    NOT NULL PRIMARY KEY,
    clinic_id            TEXT    NOT NULL,
    treatment_id         TEXT    NOT NULL,
    check_in_id          TEXT    NOT NULL,
    level                TEXT    NOT NULL
        CHECK (level IN ('contact_practitioner', 'urgent', 'emergency')),
    created_at           BIGINT  NOT NULL,
    acknowledged_at      BIGINT,
    acknowledged_by      TEXT,
    acknowledgement_note TEXT,
    CONSTRAINT alerts_check_in_key UNIQUE (check_in_id),
    FOREIGN KEY (treatment_id, clinic_id) REFERENCES treatments (id, clinic_id),
    FOREIGN KEY (check_in_id, clinic_id) REFERENCES check_ins (id, clinic_id),
    FOREIGN KEY (acknowledged_by, clinic_id) REFERENCES users (id, clinic_id)
);
CREATE INDEX alerts_clinic_open_idx ON alerts (clinic_id, acknowledged_at);
CREATE INDEX alerts_treatment_idx ON alerts (treatment_id);

CREATE TABLE outbox (
    id              TEXT    NOT NULL PRIMARY KEY,
    clinic_id       TEXT    NOT NULL REFERENCES clinics (id),
    kind            TEXT    NOT NULL CHECK (kind <> ''),
    recipient       TEXT    NOT NULL CHECK (recipient <> ''),
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    locked_until    BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);
CREATE INDEX outbox_clinic_idx ON outbox (clinic_id, created_at);

-- The clinic's default protocol must be one of its own protocols (added last: the two
-- tables refer to each other).
ALTER TABLE clinics
    ADD CONSTRAINT clinics_default_protocol_fkey
    FOREIGN KEY (default_protocol_id, id) REFERENCES protocols (id, clinic_id);
