-- +goose Up
-- Two indexes every new demand paid for and almost no row needs: the notifications
-- waiting for delivery (in-app ones are stored as sent) and the demands in a coordinated
-- action (most are in none). Each now holds only the rows it is read for.
DROP INDEX notifications_pending;
CREATE INDEX notifications_pending ON notifications (next_at) WHERE state = 'pending';
DROP INDEX demands_action;
CREATE INDEX demands_action ON demands (action_id) WHERE action_id <> 0;
-- +goose Down
DROP INDEX notifications_pending;
CREATE INDEX notifications_pending ON notifications (state, next_at);
DROP INDEX demands_action;
CREATE INDEX demands_action ON demands (action_id);
