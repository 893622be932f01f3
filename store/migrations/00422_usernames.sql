-- +goose Up
-- A login name is unique in the whole province (one can sign in without naming a county),
-- but a database distributed by county (Citus, region_code) enforces a unique index only
-- within a county: since 00421 users (username, region_code) is unique per county. So the
-- name's uniqueness across counties moves to a lookup table of its own, name → county and
-- user, kept by the database in step with users, as credit codes are (00331). On Citus
-- the lookup is distributed by username and the store writes it itself (SCALING.md).
CREATE TABLE usernames (
    username    TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    user_id     BIGINT NOT NULL
);
INSERT INTO usernames (username, region_code, user_id) SELECT username, region_code, id FROM users;
{{if eq .Name "sqlite"}}
-- +goose StatementBegin
CREATE TRIGGER users_username_new AFTER INSERT ON users
BEGIN
    INSERT INTO usernames (username, region_code, user_id) VALUES (NEW.username, NEW.region_code, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_username_change AFTER UPDATE OF username, region_code ON users
BEGIN
    UPDATE usernames SET username = NEW.username, region_code = NEW.region_code WHERE username = OLD.username AND user_id = NEW.id;
END;
-- +goose StatementEnd
{{else}}
-- +goose StatementBegin
CREATE FUNCTION users_username() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO usernames (username, region_code, user_id) VALUES (NEW.username, NEW.region_code, NEW.id);
    ELSIF NEW.username <> OLD.username OR NEW.region_code <> OLD.region_code THEN
        UPDATE usernames SET username = NEW.username, region_code = NEW.region_code WHERE user_id = NEW.id AND username = OLD.username;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER users_username AFTER INSERT OR UPDATE OF username, region_code ON users
    FOR EACH ROW EXECUTE FUNCTION users_username();
{{end}}

-- +goose Down
{{if eq .Name "sqlite"}}
DROP TRIGGER users_username_new;
DROP TRIGGER users_username_change;
{{else}}
DROP TRIGGER users_username ON users;
DROP FUNCTION users_username();
{{end}}
DROP TABLE usernames;
