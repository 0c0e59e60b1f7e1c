import DefuseDomain

/// One file handed to an import: its name as the user gave it (used in error lines) and its bytes.
public struct ImportFile: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
}

/// What the store already knows that validation needs: each known account and its sponsor.
public struct KnownAccounts: Sendable {
    public var sponsors: [String: String?]
    public init(sponsors: [String: String?] = [:]) { self.sponsors = sponsors }
    public func contains(_ id: String) -> Bool { sponsors[id] != nil }
}

/// The outcome of validating an import: the batch to write and every problem found.
public struct ImportPlan: @unchecked Sendable {
    public var batch = ImportBatch()
    public var errors: [ImportError] = []
    /// Rows read per kind (after blank lines), and rows rejected as bad.
    public var rows: [ExportKind: Int] = [:]
    public var badRows: [ExportKind: Int] = [:]
    /// Keys that were already in the batch when a later row replaced them, per kind.
    public var replacedInBatch: [ExportKind: Int] = [:]
    /// Accounts in the batch that the store did not know before.
    public var newAccounts = 0
    /// The files in the order they were applied, with their kinds.
    public var files: [(name: String, kind: ExportKind)] = []

    /// Rows added, updated and skipped per kind, given how many records of each kind the
    /// store found new: every good row that did not add a record updated one.
    public func counts(added: [ExportKind: Int]) -> ImportCounts {
        var counts = ImportCounts()
        for (_, kind) in files where counts.byKind[kind] == nil {
            let rows = self.rows[kind] ?? 0, bad = badRows[kind] ?? 0, new = added[kind] ?? 0
            counts.byKind[kind] = .init(added: new, updated: max(0, rows - bad - new), skipped: bad)
        }
        return counts
    }

    /// Appends what another part of the same import found (one file read on its own).
    mutating func absorb(_ part: ImportPlan) {
        batch.accounts += part.batch.accounts
        batch.surveys += part.batch.surveys
        batch.tickets += part.batch.tickets
        batch.events += part.batch.events
        errors += part.errors
        for (k, v) in part.rows { rows[k, default: 0] += v }
        for (k, v) in part.badRows { badRows[k, default: 0] += v }
        for (k, v) in part.replacedInBatch { replacedInBatch[k, default: 0] += v }
        files += part.files
    }
}
