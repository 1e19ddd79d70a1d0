-- autosched: the database schema (SQLite), version 9.
--
-- This file is the whole current schema. lib/db.c embeds it, runs it on an empty database,
-- and upgrades older databases step by step (PRAGMA user_version says which step a
-- database is at); a change here needs its step there. "IF NOT EXISTS" lets an upgrade
-- step run this file after renaming the tables it rebuilds. Times are integer Unix seconds
-- (UTC), so "due jobs ordered by next_run_at" is a range scan of an index. JSON documents
-- are stored as text.

CREATE TABLE IF NOT EXISTS jobs (
	-- The store's own key: runs refer to jobs by it, so their indexes grow in order
	-- rather than at random places as UUIDs would make them (version 2).
	num			INTEGER PRIMARY KEY,
	id			TEXT NOT NULL UNIQUE,		-- UUIDv4, lower case
	name			TEXT NOT NULL,
	description		TEXT,
	bot_type		TEXT NOT NULL,
	enabled			INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	schedule_type		TEXT NOT NULL CHECK (schedule_type IN
				    ('daily', 'weekly', 'interval', 'cron', 'manual', 'date')),
	schedule_config		TEXT NOT NULL,			-- JSON object, normalised
	schedule_anchor		INTEGER NOT NULL,		-- when the schedule was last set
	bot_config		TEXT NOT NULL,			-- JSON object
	timezone		TEXT NOT NULL,
	created_at		INTEGER NOT NULL,
	updated_at		INTEGER NOT NULL,
	created_by		TEXT,
	next_run_at		INTEGER,			-- NULL: manual or disabled
	last_run_at		INTEGER,
	last_run_status		TEXT,
	last_run_error		TEXT,
	max_instances		INTEGER NOT NULL DEFAULT 1,
	misfire_grace_time	INTEGER NOT NULL DEFAULT 3600,
	coalesce		INTEGER NOT NULL DEFAULT 1 CHECK (coalesce IN (0, 1)),
	-- Version 8: the guardrails of SPEC §9. next_run_at is the planned instant (the
	-- nominal fire time plus the jitter drawn for it); next_scheduled_for is the nominal
	-- time, which the run will carry as its scheduled_for.
	active_windows		TEXT,				-- JSON list, normalised
	jitter_seconds		INTEGER NOT NULL DEFAULT 0,
	next_scheduled_for	INTEGER,
	-- Version 9: pauses. A paused job has no next_run_at; paused_until (NULL: until
	-- resumed) is when schedd resumes it by itself.
	pause_after_failures	INTEGER NOT NULL DEFAULT 3,
	paused			INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
	paused_reason		TEXT,
	paused_at		INTEGER,
	paused_until		INTEGER,
	failures_in_row		INTEGER NOT NULL DEFAULT 0	-- scheduled runs ended failed
);
CREATE INDEX IF NOT EXISTS jobs_paused_until ON jobs (paused_until)
    WHERE paused_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (next_run_at) WHERE next_run_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_order ON jobs (created_at);	-- newest first: created_at, num

CREATE TABLE IF NOT EXISTS runs (
	-- UUIDv4; also the RQ job id. Not indexed: the store reaches runs by their rowid.
	id			TEXT NOT NULL,
	job_num			INTEGER NOT NULL REFERENCES jobs (num) ON DELETE CASCADE,
	job_id			TEXT NOT NULL,			-- the job's id, for documents
	trigger			TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
	scheduled_for		INTEGER NOT NULL,		-- the fire time it stands for
	created_at		INTEGER NOT NULL,
	queued_at		INTEGER,
	started_at		INTEGER,
	finished_at		INTEGER,
	status			TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'running',
				    'success', 'failed', 'missed', 'skipped', 'cancelled')),
	result			TEXT,				-- JSON
	error			TEXT,
	messages_sent		INTEGER,
	profiles_visited	INTEGER,
	-- (the RQ job id is the run id: documents show it once the run is queued)
	rq_queue		TEXT,				-- where it was pushed, and
	rq_serializer		TEXT,				-- how ('json', 'pickle')
	planned_at		INTEGER,			-- version 8: when it was due, jitter included
	-- one run per fire time; also the history of a job, newest first
	UNIQUE (job_num, scheduled_for)
);
-- The outbox, the runs to read back, and what max_instances counts: small partial indexes.
CREATE INDEX IF NOT EXISTS runs_pending ON runs (created_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS runs_inflight ON runs (created_at)
    WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS runs_job_open ON runs (job_num)
    WHERE status IN ('pending', 'queued', 'running');

CREATE TABLE IF NOT EXISTS api_keys (
	name			TEXT PRIMARY KEY NOT NULL,
	hash			BLOB NOT NULL,			-- SHA-256 of the key
	created_at		INTEGER NOT NULL
);

-- One row per daemon: the last time it said it was alive, and what it said.
CREATE TABLE IF NOT EXISTS heartbeat (
	name			TEXT PRIMARY KEY NOT NULL,	-- 'schedd'
	at			INTEGER NOT NULL,
	pid			INTEGER,
	host			TEXT,
	info			TEXT				-- JSON
);

-- Version 3: the dashboard's people, their sessions, and failed sign-ins (for throttling).
CREATE TABLE IF NOT EXISTS users (
	name			TEXT PRIMARY KEY NOT NULL,
	hash			TEXT NOT NULL,			-- crypt(3), yescrypt
	created_at		INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
	id_hash			BLOB PRIMARY KEY NOT NULL,	-- SHA-256 of the cookie's value
	user			TEXT NOT NULL,
	csrf			TEXT NOT NULL,
	created_at		INTEGER NOT NULL,
	expires_at		INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

-- "user:NAME" and "ip:ADDRESS": failed sign-ins since first_at
CREATE TABLE IF NOT EXISTS login_failures (
	key			TEXT PRIMARY KEY NOT NULL,
	count			INTEGER NOT NULL,
	first_at		INTEGER NOT NULL
);

-- Version 4: how many runs have ended each way, ever: the counters of /metrics. Triggers
-- count every run that reaches an end, by whatever path (schedd's outcomes, missed rows,
-- a cancel), and pruning the history never lowers them.
CREATE TABLE IF NOT EXISTS run_totals (
	status			TEXT PRIMARY KEY NOT NULL,
	n			INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS run_totals_insert AFTER INSERT ON runs
    WHEN NEW.status IN ('success', 'failed', 'missed', 'skipped', 'cancelled')
BEGIN
	INSERT INTO run_totals (status, n) VALUES (NEW.status, 1)
	    ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS run_totals_update AFTER UPDATE OF status ON runs
    WHEN NEW.status IN ('success', 'failed', 'missed', 'skipped', 'cancelled') AND OLD.status NOT IN ('success', 'failed', 'missed', 'skipped', 'cancelled')
BEGIN
	INSERT INTO run_totals (status, n) VALUES (NEW.status, 1)
	    ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

-- Version 5: a user's sessions by name: a new sign-in ends the one it replaces, and a user
-- the web server signs in (REMOTE_USER) keeps one session instead of one per request.
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user, expires_at);

-- Version 6: runs of deleted jobs that are in Redis, which schedd takes back out of their
-- queue (status 'queued'), or, when a worker has one already, waits for and drops (status
-- 'running'). A delete writes them in its own transaction, so no run of a deleted job is
-- forgotten in a queue; schedd removes each row once it is done with it.
CREATE TABLE IF NOT EXISTS withdrawals (
	run_id			TEXT PRIMARY KEY NOT NULL,	-- also the RQ job id
	job_id			TEXT NOT NULL,
	job_name		TEXT NOT NULL,
	queue			TEXT,				-- where it was pushed
	status			TEXT NOT NULL CHECK (status IN ('queued', 'running')),
	created_at		INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS withdrawals_job ON withdrawals (job_id);

-- Version 7: a number that moves on with every change to a job, whoever makes it (the API,
-- the dashboard, the command line, schedd firing it or recording a run): the web programs
-- make ETags of it and key their caches of answers by it. It starts at a random number, so
-- that two databases seldom share one.
CREATE TABLE IF NOT EXISTS generation (
	name			TEXT PRIMARY KEY NOT NULL,
	n			INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO generation (name, n) VALUES ('jobs', abs(random() % 1000000000000));
CREATE TRIGGER IF NOT EXISTS jobs_generation_insert AFTER INSERT ON jobs
BEGIN
	UPDATE generation SET n = n + 1 WHERE name = 'jobs';
END;
CREATE TRIGGER IF NOT EXISTS jobs_generation_update AFTER UPDATE ON jobs
BEGIN
	UPDATE generation SET n = n + 1 WHERE name = 'jobs';
END;
CREATE TRIGGER IF NOT EXISTS jobs_generation_delete AFTER DELETE ON jobs
BEGIN
	UPDATE generation SET n = n + 1 WHERE name = 'jobs';
END;

-- Version 9: the kill switch. While a pause covers a job (bot_type NULL covers every job),
-- its fire times are recorded as skipped, and nothing is owed afterwards. A pause with an
-- until ends by itself; an ended pause is deleted.
CREATE TABLE IF NOT EXISTS pauses (
	id			TEXT PRIMARY KEY NOT NULL,	-- UUIDv4
	bot_type		TEXT,				-- NULL: every bot type
	note			TEXT NOT NULL,
	until			INTEGER,			-- NULL: until resumed
	created_at		INTEGER NOT NULL,
	created_by		TEXT
);
-- a pause changes what every page says (the banner): the jobs' generation moves on
CREATE TRIGGER IF NOT EXISTS pauses_generation_insert AFTER INSERT ON pauses
BEGIN
	UPDATE generation SET n = n + 1 WHERE name = 'jobs';
END;
CREATE TRIGGER IF NOT EXISTS pauses_generation_delete AFTER DELETE ON pauses
BEGIN
	UPDATE generation SET n = n + 1 WHERE name = 'jobs';
END;
