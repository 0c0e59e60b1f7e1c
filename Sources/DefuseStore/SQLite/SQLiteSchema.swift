/// Versioned migrations, applied in order; `PRAGMA user_version` is the number applied.
/// Times are integer microseconds since the epoch (UTC); survey kinds and ticket statuses are
/// stored by name.
enum SQLiteSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL UNIQUE,
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
            response_id TEXT UNIQUE,
            account INTEGER NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL,
            responded_at INTEGER NOT NULL,
            comment TEXT
        );
        CREATE INDEX surveys_account ON surveys(account);
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            ticket_id TEXT NOT NULL UNIQUE,
            account INTEGER NOT NULL,
            status TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            last_customer_message_at INTEGER,
            last_agent_reply_at INTEGER,
            closed_at INTEGER,
            subject TEXT
        );
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
    ]
}
