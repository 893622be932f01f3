-- +goose Up
-- Shard-ready by county (SCALING.md). A credit code (统一社会信用代码) is unique in the whole
-- country by law (GB 32100-2015), but a database distributed by county (Citus, region_code)
-- can enforce a unique index only within a county. So the code's uniqueness moves to a
-- lookup table of its own, code → county and enterprise, kept by the database in step with
-- enterprises, and enterprises get the per-county unique index a distributed table allows.
-- The single-database index enterprises_uscc stays until the move to Citus drops it.
CREATE TABLE credit_codes (
    uscc          TEXT PRIMARY KEY,
    region_code   TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX credit_codes_enterprise ON credit_codes (enterprise_id);
INSERT INTO credit_codes (uscc, region_code, enterprise_id) SELECT uscc, region_code, id FROM enterprises;
CREATE UNIQUE INDEX enterprises_county_uscc ON enterprises (region_code, uscc);
{{if eq .Name "sqlite"}}
-- +goose StatementBegin
CREATE TRIGGER enterprises_credit_code_new AFTER INSERT ON enterprises
BEGIN
    INSERT INTO credit_codes (uscc, region_code, enterprise_id) VALUES (NEW.uscc, NEW.region_code, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER enterprises_credit_code_change AFTER UPDATE OF uscc, region_code ON enterprises
BEGIN
    UPDATE credit_codes SET uscc = NEW.uscc, region_code = NEW.region_code WHERE enterprise_id = NEW.id;
END;
-- +goose StatementEnd
{{else}}
-- +goose StatementBegin
CREATE FUNCTION enterprises_credit_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO credit_codes (uscc, region_code, enterprise_id) VALUES (NEW.uscc, NEW.region_code, NEW.id);
    ELSIF NEW.uscc <> OLD.uscc OR NEW.region_code <> OLD.region_code THEN
        UPDATE credit_codes SET uscc = NEW.uscc, region_code = NEW.region_code WHERE enterprise_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER enterprises_credit_code AFTER INSERT OR UPDATE OF uscc, region_code ON enterprises
    FOR EACH ROW EXECUTE FUNCTION enterprises_credit_code();
{{end}}
-- +goose Down
{{if eq .Name "sqlite"}}
DROP TRIGGER enterprises_credit_code_new;
DROP TRIGGER enterprises_credit_code_change;
{{else}}
DROP TRIGGER enterprises_credit_code ON enterprises;
DROP FUNCTION enterprises_credit_code();
{{end}}
DROP INDEX enterprises_county_uscc;
DROP TABLE credit_codes;
