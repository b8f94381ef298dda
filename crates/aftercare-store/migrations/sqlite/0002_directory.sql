-- "Find a Practitioner" (SQLite): one public-directory profile per practitioner, and a
-- version counter that moves on every change that can change the public directory, so
-- several server instances can tell cheaply when their in-memory index is stale.
-- Same tables, columns and rules as the PostgreSQL twin. Never edit once shipped.
--
-- A profile is public only when the practitioner opted in (opted_in = 1) AND an admin of
-- the clinic approved it (approved_at set) AND the user is not disabled.

CREATE TABLE practitioner_profiles (
    id             TEXT    NOT NULL PRIMARY KEY,
    clinic_id      TEXT    NOT NULL REFERENCES clinics (id),
    user_id        TEXT    NOT NULL,
    display_name   TEXT    NOT NULL CHECK (display_name <> ''),
    clinic_name    TEXT,
    address        TEXT,
    city           TEXT    NOT NULL CHECK (city <> ''),
    country        TEXT    NOT NULL CHECK (country <> ''),
    latitude       REAL    CHECK (latitude BETWEEN -90 AND 90),
    longitude      REAL    CHECK (longitude BETWEEN -180 AND 180),
    services       TEXT    NOT NULL,
    credentials    TEXT    NOT NULL,
    licence_number TEXT,
    licence_issuer TEXT,
    phone          TEXT,
    website        TEXT,
    booking_url    TEXT,
    opted_in       INTEGER NOT NULL CHECK (opted_in IN (0, 1)),
    approved_at    INTEGER,
    approved_by    TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CONSTRAINT practitioner_profiles_user_key UNIQUE (user_id),
    CONSTRAINT practitioner_profiles_coordinates_check
        CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CONSTRAINT practitioner_profiles_approval_check
        CHECK ((approved_at IS NULL) = (approved_by IS NULL)),
    CONSTRAINT practitioner_profiles_public_licence_check
        CHECK (opted_in = 0 OR approved_at IS NULL
               OR (licence_number IS NOT NULL AND licence_issuer IS NOT NULL)),
    FOREIGN KEY (user_id, clinic_id) REFERENCES users (id, clinic_id),
    FOREIGN KEY (approved_by, clinic_id) REFERENCES users (id, clinic_id)
);
CREATE INDEX practitioner_profiles_clinic_idx ON practitioner_profiles (clinic_id);

CREATE TABLE directory_state (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO directory_state (id, version) VALUES (1, 0);

-- Every write to the profiles, and every change of a user's disabled_at (a disabled
-- practitioner leaves the directory), moves the version in the same transaction.
CREATE TRIGGER practitioner_profiles_insert_version AFTER INSERT ON practitioner_profiles
BEGIN
    UPDATE directory_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER practitioner_profiles_update_version AFTER UPDATE ON practitioner_profiles
BEGIN
    UPDATE directory_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER practitioner_profiles_delete_version AFTER DELETE ON practitioner_profiles
BEGIN
    UPDATE directory_state SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER users_disabled_directory_version AFTER UPDATE OF disabled_at ON users
BEGIN
    UPDATE directory_state SET version = version + 1 WHERE id = 1;
END;
