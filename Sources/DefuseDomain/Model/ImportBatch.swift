/// Validated records ready to be written in one transaction. Keys are unique within a batch
/// (a later row with the same key has already replaced an earlier one).
public struct ImportBatch: Sendable {
    public var accounts: [Account] = []
    public var surveys: [SurveyAnswer] = []
    public var tickets: [Ticket] = []
    public var events: [AccountEvent] = []
    /// `sponsor_change` events the import itself records (not rows of any file).
    public var sponsorChanges: [AccountEvent] = []
    public init() {}

    public var isEmpty: Bool { accounts.isEmpty && surveys.isEmpty && tickets.isEmpty && events.isEmpty }
}

/// The kinds of export Defuse reads, in the order an import applies them.
public enum ExportKind: String, CaseIterable, Sendable, Comparable {
    case accounts, surveys, tickets, events

    public static func < (a: ExportKind, b: ExportKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Rows added, updated and skipped, per kind of export.
public struct ImportCounts: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var added = 0, updated = 0, skipped = 0
        public init(added: Int = 0, updated: Int = 0, skipped: Int = 0) {
            self.added = added; self.updated = updated; self.skipped = skipped
        }
    }
    public var byKind: [ExportKind: Row] = [:]
    public init() {}

    public var total: Row {
        byKind.values.reduce(into: Row()) { $0.added += $1.added; $0.updated += $1.updated; $0.skipped += $1.skipped }
    }
}
