-- Policy keeps its own view of doors (with the property's time zone) and the grants on them.
CREATE TABLE door (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    property_id      UUID        NOT NULL,
    name             TEXT        NOT NULL,
    time_zone        TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX door_by_organization ON door (organization_id);

-- A grant lets one subject open one door inside its weekly windows and validity period.
CREATE TABLE access_grant (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    subject_id       TEXT        NOT NULL,
    door_id          UUID        NOT NULL REFERENCES door (id),
    valid_from       TIMESTAMPTZ,
    valid_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
CREATE INDEX access_grant_lookup ON access_grant (organization_id, subject_id, door_id);

-- Weekly windows in the door's local time: [start_minute, end_minute) on day_of_week (1 = Monday).
CREATE TABLE grant_window (
    id            BIGSERIAL PRIMARY KEY,
    grant_id      UUID     NOT NULL REFERENCES access_grant (id) ON DELETE CASCADE,
    day_of_week   SMALLINT NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
    start_minute  INTEGER  NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute    INTEGER  NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute)
);
CREATE INDEX grant_window_by_grant ON grant_window (grant_id);

-- Every change to an organization's policy data bumps its version; decisions report the version.
CREATE TABLE policy_version (
    organization_id  UUID   PRIMARY KEY,
    version          BIGINT NOT NULL
);
