-- +goose Up
-- Support policies as checked rules (十五条), the entitlements they compute for each
-- enterprise, and the payments finance records against them: at most one per entitlement
-- (payments_entitlement), whatever arrives at the same moment.

CREATE TABLE policies (
    id               {{.ID}},
    region_code      TEXT NOT NULL,
    number           INTEGER NOT NULL DEFAULT 0,
    title            TEXT NOT NULL,
    department_id    BIGINT NOT NULL REFERENCES org_units (id),
    payer_id         BIGINT NOT NULL REFERENCES org_units (id),
    source           TEXT NOT NULL DEFAULT '',
    summary          TEXT NOT NULL DEFAULT '',
    period_from      TEXT NOT NULL DEFAULT '',
    period_to        TEXT NOT NULL DEFAULT '',
    mode             TEXT NOT NULL,
    auto_approve     BOOLEAN NOT NULL DEFAULT FALSE,
    eligibility_rule TEXT NOT NULL,
    amount_rule      TEXT NOT NULL,
    status           TEXT NOT NULL,
    published_at     BIGINT NOT NULL DEFAULT 0,
    demo             BOOLEAN NOT NULL DEFAULT FALSE,
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX policies_county ON policies (region_code, status, number);

CREATE TABLE entitlements (
    id            {{.ID}},
    region_code   TEXT NOT NULL,
    policy_id     BIGINT NOT NULL REFERENCES policies (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    amount        BIGINT NOT NULL,
    status        TEXT NOT NULL,
    auto          BOOLEAN NOT NULL DEFAULT FALSE,
    reason        TEXT NOT NULL DEFAULT '',
    reviewed_by   TEXT NOT NULL DEFAULT '',
    reviewed_at   BIGINT NOT NULL DEFAULT 0,
    dispute       TEXT NOT NULL DEFAULT '',
    declared_json TEXT NOT NULL DEFAULT '',
    computed_at   BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX entitlements_policy_enterprise ON entitlements (policy_id, enterprise_id);
CREATE INDEX entitlements_county ON entitlements (region_code, status);
CREATE INDEX entitlements_enterprise ON entitlements (enterprise_id);

CREATE TABLE payments (
    id             {{.ID}},
    region_code    TEXT NOT NULL,
    entitlement_id BIGINT NOT NULL REFERENCES entitlements (id),
    amount         BIGINT NOT NULL,
    paid_on        TEXT NOT NULL,
    voucher        TEXT NOT NULL,
    recorded_by    TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX payments_entitlement ON payments (entitlement_id);
CREATE UNIQUE INDEX payments_voucher ON payments (region_code, voucher);

-- +goose Down
SELECT 1;
