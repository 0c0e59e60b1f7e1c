/// Versioned migrations, applied in order; `PRAGMA user_version` is the number applied.
/// Times are integer microseconds since the epoch (UTC); survey kinds and ticket statuses are
/// stored by name.
enum SQLiteSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL,
            name TEXT NOT NULL,
            arr_usd REAL NOT NULL,
            renewal_date INTEGER,
            csm TEXT,
            exec_sponsor TEXT,
            onboarded_on INTEGER,
            timezone TEXT NOT NULL
        );
        CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            response_id TEXT,
            account INTEGER NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL,
            responded_at INTEGER NOT NULL,
            comment TEXT
        );
        CREATE UNIQUE INDEX accounts_key ON accounts(account_id);
        CREATE UNIQUE INDEX surveys_key ON surveys(response_id);
        CREATE INDEX surveys_account ON surveys(account);
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            ticket_id TEXT NOT NULL,
            account INTEGER NOT NULL,
            status TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            last_customer_message_at INTEGER,
            last_agent_reply_at INTEGER,
            closed_at INTEGER,
            subject TEXT
        );
        CREATE UNIQUE INDEX tickets_key ON tickets(ticket_id);
        CREATE INDEX tickets_account ON tickets(account);
        CREATE TABLE account_events (
            id INTEGER PRIMARY KEY,
            account INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            detail TEXT
        );
        -- The same event imported twice is one event.
        CREATE UNIQUE INDEX account_events_natural ON account_events(account, kind, at, ifnull(detail, ''));
        """,
        """
        CREATE TABLE escalations (
            number INTEGER PRIMARY KEY,
            account INTEGER NOT NULL,
            opened_at INTEGER NOT NULL
        );
        CREATE INDEX escalations_account ON escalations(account);
        -- The playbook's log: one row per event, never updated or deleted (a correction is a new event).
        CREATE TABLE escalation_events (
            id INTEGER PRIMARY KEY,
            escalation INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            logged_at INTEGER NOT NULL,
            user TEXT NOT NULL,
            fields TEXT NOT NULL,
            UNIQUE (escalation, sequence)
        );
        CREATE TRIGGER escalation_events_append_only_update BEFORE UPDATE ON escalation_events
            BEGIN SELECT RAISE(ABORT, 'the escalation log is append-only'); END;
        CREATE TRIGGER escalation_events_append_only_delete BEFORE DELETE ON escalation_events
            BEGIN SELECT RAISE(ABORT, 'the escalation log is append-only'); END;
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            email TEXT,
            password_hash TEXT
        );
        """,
        """
        -- API tokens, stored as SHA-256 hashes: the token itself is shown once.
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            label TEXT,
            hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        """,
        """
        -- Where an account ranks by ARR (the CEO loop's top N) without scanning every account.
        CREATE INDEX accounts_arr ON accounts(arr_usd DESC, account_id);
        """,
        """
        -- Browser sessions: the cookie holds a random id, this table its hash.
        CREATE TABLE sessions (
            hash TEXT PRIMARY KEY,
            user TEXT NOT NULL,
            csrf TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """,
        """
        -- Notifications, one row per occurrence key and recipient: the unique key is the claim,
        -- so no restart, crash or second worker sends one twice. Rows are never deleted.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            escalation INTEGER,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            account_id TEXT,
            account_name TEXT,
            clock TEXT,
            due INTEGER,
            text TEXT NOT NULL,
            markdown TEXT NOT NULL,
            intended_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            lease_until INTEGER,
            sent_at INTEGER,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE INDEX outbox_escalation ON outbox(escalation);
        """,
        """
        -- Links to the customer's share page. The link's token is derived from a key kept outside
        -- the database and this row's salt; only its SHA-256 is stored.
        CREATE TABLE share_links (
            id INTEGER PRIMARY KEY,
            escalation INTEGER NOT NULL,
            salt TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE INDEX share_links_escalation ON share_links(escalation);
        """,
    ]

    /// The indexes of each table, which a first bulk load into an empty table drops and
    /// rebuilds: sorting once beats inserting a million keys one by one.
    static let indexes: [String: [String]] = [
        "surveys": ["CREATE UNIQUE INDEX surveys_key ON surveys(response_id)", "CREATE INDEX surveys_account ON surveys(account)"],
        "tickets": ["CREATE UNIQUE INDEX tickets_key ON tickets(ticket_id)", "CREATE INDEX tickets_account ON tickets(account)"],
    ]
}
