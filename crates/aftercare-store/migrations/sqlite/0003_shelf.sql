-- The product shelf (SQLite): the products a patient uses, recorded by the patient through
-- their link or by the practitioner, one list per treatment (issue #9). The ingredient list is
-- checked by the web app with the ingredient checker before it is saved; the store keeps the
-- text as given. Same table, columns and rules as the PostgreSQL twin. Never edit once shipped.

CREATE TABLE shelf_products (
    id           TEXT    NOT NULL PRIMARY KEY,
    clinic_id    TEXT    NOT NULL REFERENCES clinics (id),
    treatment_id TEXT    NOT NULL,
    name         TEXT    NOT NULL CHECK (name <> ''),
    brand        TEXT,
    product_type TEXT    NOT NULL CHECK (product_type <> ''),
    ingredients  TEXT,
    from_clinic  INTEGER NOT NULL CHECK (from_clinic IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    FOREIGN KEY (treatment_id, clinic_id) REFERENCES treatments (id, clinic_id)
);
CREATE INDEX shelf_products_treatment_idx ON shelf_products (clinic_id, treatment_id);
