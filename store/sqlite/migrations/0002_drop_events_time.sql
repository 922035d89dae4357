-- Every lookup of events names the account (a trail is an account's), so
-- events_account_time serves what events_time did; one index fewer makes
-- the store's busiest write, the audit batch, cheaper.
DROP INDEX events_time;
