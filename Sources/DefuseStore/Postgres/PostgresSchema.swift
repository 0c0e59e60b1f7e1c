/// The PostgreSQL schema, as versioned migrations (the same tables as `SQLiteSchema`; times are
/// BIGINT microseconds since the epoch, UTC). `defuse_schema` records the number applied.
enum PostgresSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE accounts (
            id BIGSERIAL PRIMARY KEY,
            account_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            arr_usd DOUBLE PRECISION NOT NULL,
            renewal_date BIGINT,
            csm TEXT,
            exec_sponsor TEXT,
            onboarded_on BIGINT,
            timezone TEXT NOT NULL
        );
        CREATE INDEX accounts_arr ON accounts (arr_usd DESC, account_id);
        CREATE TABLE surveys (
            id BIGSERIAL PRIMARY KEY,
            response_id TEXT UNIQUE,
            account BIGINT NOT NULL,
            kind TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            responded_at BIGINT NOT NULL,
            comment TEXT
        );
        CREATE INDEX surveys_account ON surveys (account);
        CREATE TABLE tickets (
            id BIGSERIAL PRIMARY KEY,
            ticket_id TEXT NOT NULL UNIQUE,
            account BIGINT NOT NULL,
            status TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            last_customer_message_at BIGINT,
            last_agent_reply_at BIGINT,
            closed_at BIGINT,
            subject TEXT
        );
        CREATE INDEX tickets_account ON tickets (account);
        CREATE TABLE account_events (
            id BIGSERIAL PRIMARY KEY,
            account BIGINT NOT NULL,
            kind TEXT NOT NULL,
            at BIGINT NOT NULL,
            detail TEXT
        );
        CREATE UNIQUE INDEX account_events_natural ON account_events (account, kind, at, coalesce(detail, ''));
        CREATE TABLE escalations (
            number BIGSERIAL PRIMARY KEY,
            account BIGINT NOT NULL,
            opened_at BIGINT NOT NULL
        );
        CREATE INDEX escalations_account ON escalations (account);
        CREATE TABLE escalation_events (
            id BIGSERIAL PRIMARY KEY,
            escalation BIGINT NOT NULL,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at BIGINT NOT NULL,
            logged_at BIGINT NOT NULL,
            "user" TEXT NOT NULL,
            fields TEXT NOT NULL,
            UNIQUE (escalation, sequence)
        );
        CREATE FUNCTION defuse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the escalation log is append-only'; END $$;
        CREATE TRIGGER escalation_events_append_only BEFORE UPDATE OR DELETE ON escalation_events
            FOR EACH ROW EXECUTE FUNCTION defuse_append_only();
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            email TEXT,
            password_hash TEXT
        );
        CREATE TABLE api_tokens (
            id BIGSERIAL PRIMARY KEY,
            "user" TEXT NOT NULL,
            label TEXT,
            hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE TABLE sessions (
            hash TEXT PRIMARY KEY,
            "user" TEXT NOT NULL,
            csrf TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE TABLE outbox (
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            escalation BIGINT,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            account_id TEXT,
            account_name TEXT,
            clock TEXT,
            due BIGINT,
            text TEXT NOT NULL,
            markdown TEXT NOT NULL,
            intended_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            lease_until BIGINT,
            sent_at BIGINT,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX outbox_escalation ON outbox (escalation);
        CREATE TABLE share_links (
            id BIGSERIAL PRIMARY KEY,
            escalation BIGINT NOT NULL,
            salt TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE INDEX share_links_escalation ON share_links (escalation);
        """,
    ]
}
