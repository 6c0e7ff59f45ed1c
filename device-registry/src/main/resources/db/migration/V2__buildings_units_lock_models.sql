-- The rest of the portfolio: buildings of a property, units of a building; a door may sit in a building
-- and a unit. Lock models with their capabilities, capacities and end of support; a lock names its model
-- and serial number. Names are the natural keys the CSV import matches on (unique within their parent).
ALTER TABLE property ADD CONSTRAINT property_name_unique UNIQUE (organization_id, name);

CREATE TABLE building (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    property_id      UUID        NOT NULL,
    name             TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    UNIQUE (property_id, name),
    FOREIGN KEY (property_id, organization_id) REFERENCES property (id, organization_id)
);
CREATE INDEX building_by_organization ON building (organization_id);

CREATE TABLE unit (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    building_id      UUID        NOT NULL,
    name             TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    UNIQUE (building_id, name),
    FOREIGN KEY (building_id, organization_id) REFERENCES building (id, organization_id)
);
CREATE INDEX unit_by_organization ON unit (organization_id);

ALTER TABLE door ADD COLUMN building_id UUID;
ALTER TABLE door ADD COLUMN unit_id UUID;
ALTER TABLE door ADD FOREIGN KEY (building_id, organization_id) REFERENCES building (id, organization_id);
ALTER TABLE door ADD FOREIGN KEY (unit_id, organization_id) REFERENCES unit (id, organization_id);
ALTER TABLE door ADD CHECK (unit_id IS NULL OR building_id IS NOT NULL);
ALTER TABLE door ADD CONSTRAINT door_name_unique UNIQUE NULLS NOT DISTINCT (property_id, building_id, unit_id, name);

CREATE TABLE lock_model (
    id                     UUID        PRIMARY KEY,
    organization_id        UUID        NOT NULL,
    manufacturer           TEXT        NOT NULL CHECK (length(manufacturer) BETWEEN 1 AND 200),
    model                  TEXT        NOT NULL CHECK (length(model) BETWEEN 1 AND 128),
    -- Subset of PIN, CARD, FINGERPRINT, PALM_VEIN, FACE, APP; at least one.
    credential_types       TEXT[]      NOT NULL CHECK (cardinality(credential_types) > 0
        AND credential_types <@ ARRAY['PIN', 'CARD', 'FINGERPRINT', 'PALM_VEIN', 'FACE', 'APP']),
    max_users              INTEGER     NOT NULL CHECK (max_users > 0),
    max_credentials        INTEGER     NOT NULL CHECK (max_credentials >= max_users),
    -- After this day the vendor ships no more firmware (security fixes included) for the model.
    end_of_support         DATE,
    -- The vendor's Ed25519 firmware signing key (X.509 SubjectPublicKeyInfo, DER); manifests for the model must verify with it.
    firmware_signing_key   BYTEA,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    UNIQUE (organization_id, manufacturer, model)
);

ALTER TABLE lock ADD COLUMN lock_model_id UUID;
ALTER TABLE lock ADD COLUMN serial_number TEXT CHECK (length(serial_number) BETWEEN 1 AND 128);
ALTER TABLE lock ADD FOREIGN KEY (lock_model_id, organization_id) REFERENCES lock_model (id, organization_id);
ALTER TABLE lock ADD CONSTRAINT lock_serial_unique UNIQUE (organization_id, serial_number);
CREATE INDEX lock_by_model ON lock (lock_model_id);
