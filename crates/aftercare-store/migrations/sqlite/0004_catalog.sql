-- The clinic's product catalog (SQLite): the products the clinic recommends per routine step,
-- with their ingredient lists, one current catalog per clinic (issue #9). The text is the
-- uploaded TOML, validated by the web app with aftercare-core's catalog loader before it is
-- saved; without a row the built-in catalog applies. Same table, columns and rules as the
-- PostgreSQL twin. Never edit once shipped.

CREATE TABLE clinic_catalogs (
    clinic_id  TEXT    NOT NULL PRIMARY KEY REFERENCES clinics (id),
    toml       TEXT    NOT NULL CHECK (toml <> ''),
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (updated_by, clinic_id) REFERENCES users (id, clinic_id)
);
