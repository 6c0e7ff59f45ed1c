-- Issue 4: the full policy model. Existing doors move under properties (their time zone moves with
-- them) and their assurance requirements into tiers; existing grants become subject -> door grants.

CREATE TABLE property (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    name             TEXT        NOT NULL,
    time_zone        TEXT        NOT NULL,
    lockdown_since   TIMESTAMPTZ,
    lockdown_reason  TEXT,
    lockdown_by      TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organization_id, id),
    CHECK ((lockdown_since IS NULL) = (lockdown_by IS NULL))
);
CREATE INDEX property_by_organization ON property (organization_id);

CREATE TABLE property_holiday (
    property_id  UUID NOT NULL REFERENCES property (id) ON DELETE CASCADE,
    day          DATE NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (property_id, day)
);

CREATE TABLE building (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    property_id      UUID        NOT NULL REFERENCES property (id),
    name             TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX building_by_organization ON building (organization_id);

CREATE TABLE unit (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    building_id      UUID        NOT NULL REFERENCES building (id),
    name             TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX unit_by_organization ON unit (organization_id);

-- A door sensitivity tier. usual_hours is a weekly schedule in its text form (e.g. "MON-FRI 07:00-19:00").
CREATE TABLE tier (
    id                        UUID        PRIMARY KEY,
    organization_id           UUID        NOT NULL,
    name                      TEXT        NOT NULL,
    required_acr              TEXT        CHECK (required_acr IN ('aal1', 'aal2', 'phr')),
    max_auth_age_seconds      INTEGER     CHECK (max_auth_age_seconds > 0),
    lock_factor               TEXT,
    second_approver_role      TEXT,
    usual_hours               TEXT,
    outside_required_acr      TEXT        CHECK (outside_required_acr IN ('aal1', 'aal2', 'phr')),
    outside_max_auth_age_seconds INTEGER  CHECK (outside_max_auth_age_seconds > 0),
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX tier_by_organization ON tier (organization_id);

-- Existing doors: one property per (organization, property id) with the doors' time zone ...
INSERT INTO property (id, organization_id, name, time_zone)
SELECT DISTINCT ON (property_id) property_id, organization_id, 'Property ' || left(property_id::text, 8), time_zone
FROM door ORDER BY property_id, created_at;

-- ... and one tier per distinct assurance requirement.
CREATE TEMPORARY TABLE migrated_tier AS
SELECT gen_random_uuid() AS id, organization_id, required_acr, max_auth_age_seconds
FROM (SELECT DISTINCT organization_id, required_acr, max_auth_age_seconds FROM door
      WHERE required_acr IS NOT NULL OR max_auth_age_seconds IS NOT NULL) d;
INSERT INTO tier (id, organization_id, name, required_acr, max_auth_age_seconds)
SELECT id, organization_id, 'Sensitive (' || coalesce(required_acr, 'any acr') || coalesce(', ' || max_auth_age_seconds || ' s', '') || ')',
       required_acr, max_auth_age_seconds
FROM migrated_tier;

ALTER TABLE door
    ADD COLUMN building_id UUID REFERENCES building (id),
    ADD COLUMN unit_id     UUID REFERENCES unit (id),
    ADD COLUMN tier_id     UUID REFERENCES tier (id);
UPDATE door d SET tier_id = t.id FROM migrated_tier t
WHERE t.organization_id = d.organization_id
  AND t.required_acr IS NOT DISTINCT FROM d.required_acr
  AND t.max_auth_age_seconds IS NOT DISTINCT FROM d.max_auth_age_seconds;
DROP TABLE migrated_tier;
ALTER TABLE door
    ADD CONSTRAINT door_property FOREIGN KEY (property_id) REFERENCES property (id),
    DROP COLUMN time_zone,
    DROP COLUMN required_acr,
    DROP COLUMN max_auth_age_seconds;

CREATE TABLE area (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    property_id      UUID        NOT NULL REFERENCES property (id),
    name             TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX area_by_organization ON area (organization_id);

CREATE TABLE area_door (
    area_id  UUID NOT NULL REFERENCES area (id) ON DELETE CASCADE,
    door_id  UUID NOT NULL REFERENCES door (id) ON DELETE CASCADE,
    PRIMARY KEY (area_id, door_id)
);

CREATE TABLE policy_group (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    name             TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX policy_group_by_organization ON policy_group (organization_id);

CREATE TABLE group_member (
    group_id    UUID NOT NULL REFERENCES policy_group (id) ON DELETE CASCADE,
    subject_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, subject_id)
);

CREATE TABLE role_assignment (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    subject_id       TEXT        NOT NULL,
    role             TEXT        NOT NULL CHECK (role IN ('owner', 'operator', 'property_manager', 'maintenance', 'tenant',
                                                          'guest', 'partner', 'emergency')),
    property_id      UUID        REFERENCES property (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX role_assignment_unique ON role_assignment (organization_id, subject_id, role,
    coalesce(property_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Grants: grantee subject | group | role; target exactly one of door | area.
ALTER TABLE access_grant
    ADD COLUMN grantee_kind TEXT,
    ADD COLUMN grantee_value TEXT,
    ADD COLUMN area_id UUID REFERENCES area (id),
    ADD COLUMN closed_on_holidays BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN max_uses INTEGER CHECK (max_uses > 0);
UPDATE access_grant SET grantee_kind = 'subject', grantee_value = subject_id;
DROP INDEX access_grant_lookup;
ALTER TABLE access_grant
    DROP COLUMN subject_id,
    ALTER COLUMN grantee_kind SET NOT NULL,
    ALTER COLUMN grantee_value SET NOT NULL,
    ALTER COLUMN door_id DROP NOT NULL,
    ADD CONSTRAINT access_grant_grantee_kind CHECK (grantee_kind IN ('subject', 'group', 'role')),
    ADD CONSTRAINT access_grant_one_target CHECK ((door_id IS NULL) <> (area_id IS NULL));
CREATE INDEX access_grant_by_organization ON access_grant (organization_id);

-- Uses of use-limited grants, consumed atomically on permit.
CREATE TABLE grant_use (
    grant_id  UUID    PRIMARY KEY REFERENCES access_grant (id) ON DELETE CASCADE,
    used      INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0)
);

CREATE TABLE grant_suspension (
    id          UUID PRIMARY KEY,
    grant_id    UUID NOT NULL REFERENCES access_grant (id) ON DELETE CASCADE,
    first_day   DATE NOT NULL,
    last_day    DATE NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    CHECK (last_day >= first_day)
);
CREATE INDEX grant_suspension_by_grant ON grant_suspension (grant_id);

CREATE TABLE organization_settings (
    organization_id        UUID    PRIMARY KEY,
    rate_limit_max_unlocks INTEGER NOT NULL CHECK (rate_limit_max_unlocks > 0),
    rate_limit_window_seconds INTEGER NOT NULL CHECK (rate_limit_window_seconds > 0)
);

-- What policy last heard from the lock on a door (lock events, presence).
CREATE TABLE door_device_state (
    door_id           UUID        PRIMARY KEY,
    organization_id   UUID        NOT NULL,
    tampered_at       TIMESTAMPTZ,
    locked_out_until  TIMESTAMPTZ,
    online            BOOLEAN,
    presence_at       TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every change, with the version it produced: who, when, what (before/after as JSON).
CREATE TABLE policy_change (
    id               BIGSERIAL   PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    version          BIGINT      NOT NULL,
    entity_type      TEXT        NOT NULL,
    entity_id        TEXT        NOT NULL,
    operation        TEXT        NOT NULL CHECK (operation IN ('created', 'updated', 'deleted')),
    actor            TEXT        NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    summary          TEXT        NOT NULL,
    before           JSONB,
    after            JSONB
);
CREATE INDEX policy_change_by_organization ON policy_change (organization_id, version);
