-- +goose Up
-- A village cadre corrects a villager of the contact list (村民通讯录) at the version read,
-- and takes off one who moved away. Taking off retires the villager rather than deleting
-- it: broadcast_villagers keeps which villagers each broadcast went to, so the row stays,
-- marked retired (when and by whom), and no broadcast reaches it again. Only villagers on
-- the list keep their phone unique in a village, so one who comes back may be added anew.
ALTER TABLE villagers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE villagers ADD COLUMN retired_at BIGINT;
ALTER TABLE villagers ADD COLUMN retired_by TEXT NOT NULL DEFAULT '';
DROP INDEX villagers_phone;
CREATE UNIQUE INDEX villagers_phone ON villagers (region_code, village, phone_hash) WHERE retired_at IS NULL;

-- +goose Down
-- Retired villagers stay (broadcasts keep their recipients) under a hash no phone has, so
-- that the whole index holds again.
DROP INDEX villagers_phone;
UPDATE villagers SET phone_hash = phone_hash || ':retired:' || id WHERE retired_at IS NOT NULL;
CREATE UNIQUE INDEX villagers_phone ON villagers (region_code, village, phone_hash);
ALTER TABLE villagers DROP COLUMN retired_by;
ALTER TABLE villagers DROP COLUMN retired_at;
ALTER TABLE villagers DROP COLUMN version;
