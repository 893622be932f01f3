-- +goose Up
-- The labels and units of the values an enterprise declares when it applies (申报项): for
-- each key of `declared` a policy's rules read, what people see instead of the key
-- (new_hires → 新招用员工数, 人), as a JSON array of {key, label, unit} in the rules' order.
-- A column of the policy, written and audited with it. Policies written before this
-- migration have none ('') and keep working: the key is shown until the department adds a
-- label, and the policy's page says which are missing.
ALTER TABLE policies ADD COLUMN declared_labels TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE policies DROP COLUMN declared_labels;
