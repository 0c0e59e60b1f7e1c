import DefuseDomain
import DefuseStore
import Foundation

/// The escalation use cases, shared by the CLI and the HTTP API.
public struct Escalations {
    public let store: Store
    public let config: Configuration

    public init(store: Store, config: Configuration) { self.store = store; self.config = config }

    /// How far in the future an event's `at` may be (clocks differ a little).
    public static let futureSlack = TimeSpan.minutes(5)

    func wrap<T>(_ body: () throws -> T) throws(AppError) -> T {
        do { return try body() } catch let e as AppError { throw e } catch let r as Refusal { throw .refused(r.message) } catch {
            throw .input("\(error)")
        }
    }

    // MARK: Open

    public func open(accountID: String, fields raw: [String: String], at: Timestamp?, user: String, now: Timestamp) throws(AppError) -> EscalationStatus {
        var raw = raw
        raw["account"] = accountID
        let fields: [String: String]
        switch EventSchema.normalise(.threat, raw) {
        case .success(let f): fields = f
        case .failure(.unknownField(let m)): throw .usage(m)
        case .failure(.badValue(let m)): throw .input(m)
        }
        let when = at ?? now
        guard when <= now + Self.futureSlack else { throw .input("at \(ISO8601.format(when)) is in the future") }
        let known = try wrap { try store.arrRank(accountID: accountID, upTo: 0) }
        guard known != nil else { throw .notFound("no account \"\(accountID)\" (import it first)") }
        var threatFields = fields
        threatFields.removeValue(forKey: "account")
        let threat = EscalationEvent(kind: .threat, at: when, loggedAt: now, user: user, sequence: 1, fields: threatFields)
        let number = try wrap { try store.openEscalation(accountID: accountID, threat: threat) }
        return try status(number, asOf: max(now, when))
    }

    // MARK: Log

    /// Logs one event. Checks run in the spec's order: usage, bad input, the playbook.
    public func log(_ id: String, event name: String, fields raw: [String: String], at: Timestamp?, user: String, now: Timestamp) throws(AppError) -> EscalationStatus {
        guard let kind = EventKind(rawValue: name) else {
            throw .usage("unknown event \"\(name)\" (events: \(EventKind.allCases.filter { $0 != .threat }.map(\.rawValue).joined(separator: ", ")))")
        }
        guard kind != .threat else { throw .usage("a threat opens an escalation: use `esc open` (POST /api/escalations)") }
        let fields: [String: String]
        switch EventSchema.normalise(kind, raw) {
        case .success(let f): fields = f
        case .failure(.unknownField(let m)): throw .usage(m)
        case .failure(.badValue(let m)): throw .input(m)
        }
        guard kind != .evidence else {
            throw .input("evidence is filed with the file itself: defuse esc log \(id) evidence --file PATH, or POST /api/escalations/\(id)/evidence")
        }
        return try record(id, kind, fields, at: at, user: user, now: now)
    }

    /// Appends an event whose fields are already checked. `beforeCommit` runs once the playbook
    /// admits the event, inside the write transaction (the evidence file is stored there, so no
    /// event ever names a file that is not kept).
    func record(_ id: String, _ kind: EventKind, _ fields: [String: String], at: Timestamp?, user: String, now: Timestamp,
                beforeCommit: (() throws -> Void)? = nil) throws(AppError) -> EscalationStatus {
        guard let number = Escalation.number(fromID: id) else { throw .notFound("no escalation \"\(id)\" (ids look like E-1)") }
        let when = at ?? now
        guard when <= now + Self.futureSlack else { throw .input("at \(ISO8601.format(when)) is more than 5 minutes in the future") }
        let roles = try wrap { Dictionary(try store.loadUsers().map { ($0.name, $0.role) }, uniquingKeysWith: { a, _ in a }) }
        let updated = try wrap {
            try store.appendEvent(to: number) { escalation in
                guard let threat = escalation.threat else { throw AppError.input("\(id) has no threat") }
                guard when >= threat.at else {
                    throw AppError.input("at \(ISO8601.format(when)) is before the threat (\(ISO8601.format(threat.at)))")
                }
                let event = EscalationEvent(kind: kind, at: when, loggedAt: now, user: user, sequence: Int.max, fields: fields)
                let ctx = try context(for: escalation)
                if let refusal = PlaybookRules.admit(event, into: escalation.log, roles: roles, ctx) { throw refusal }
                try beforeCommit?()
                return event
            }
        }
        return try status(of: updated, asOf: max(now, when))
    }

    // MARK: Read

    public func escalation(_ id: String) throws(AppError) -> Escalation {
        guard let number = Escalation.number(fromID: id), let e = try wrap({ try store.loadEscalation(number) }) else {
            throw .notFound("no escalation \"\(id)\"")
        }
        return e
    }

    public func status(_ number: Int, asOf: Timestamp) throws(AppError) -> EscalationStatus {
        try status(of: escalation("E-\(number)"), asOf: asOf)
    }

    public func status(_ id: String, asOf: Timestamp) throws(AppError) -> EscalationStatus {
        let e = try escalation(id)
        guard asOf >= e.openedAt else {
            throw .input("as of \(ISO8601.format(asOf)) is before the threat (\(ISO8601.format(e.openedAt)))")
        }
        return try status(of: e, asOf: asOf)
    }

    func status(of e: Escalation, asOf: Timestamp) throws(AppError) -> EscalationStatus {
        let ctx = try wrap { try context(for: e) }
        return EscalationStatus.fold(e, ctx, asOf: asOf)
    }

    /// The account, its rank, its events and its other escalations' threats.
    func context(for e: Escalation) throws -> PlaybookContext {
        try context(accountID: e.accountID, escalations: try store.loadEscalations(accountID: e.accountID))
    }

    /// `escalations`: all of the account's, for the serial-escalator count.
    /// `history`: the account's, when the caller has it already.
    func context(accountID: String, escalations: [Escalation], history known: AccountHistory? = nil) throws -> PlaybookContext {
        guard let history = try known ?? store.loadHistory(accountID: accountID) else { throw AppError.notFound("no account \"\(accountID)\"") }
        let rank = try store.arrRank(accountID: accountID, upTo: config.playbook.flagshipTopN) ?? Int.max
        let threats = escalations.compactMap { $0.threat?.at }
        return PlaybookContext(account: history.account, arrRank: rank, accountEvents: Array(history.events),
                               threatMoments: threats, thresholds: config.playbook)
    }

    /// The account's escalations that are not closed as of the moment, most urgent first.
    public func open(accountID: String, asOf: Timestamp, history: AccountHistory? = nil) throws(AppError) -> [EscalationStatus] {
        let escalations = try wrap { try store.loadEscalations(accountID: accountID) }
        guard !escalations.isEmpty else { return [] }
        // One context for the account, shared by its escalations.
        let ctx = try wrap { try context(accountID: accountID, escalations: escalations, history: history) }
        var out: [EscalationStatus] = []
        for e in escalations where e.openedAt <= asOf {
            let s = EscalationStatus.fold(e, ctx, asOf: asOf)
            if s.state != .closed { out.append(s) }
        }
        return out.sorted { $0.urgency < $1.urgency }
    }

    /// Every escalation (or the open ones: not closed) as of a moment, the most urgent first:
    /// breached clocks (most overdue first), then the nearest due, then those with no clock running.
    public func list(asOf: Timestamp, openOnly: Bool) throws(AppError) -> [EscalationStatus] {
        let bins = PartBins<EscalationStatus>(parts: Self.cores)
        _ = try forEachStatus(asOf: asOf, openOnly: openOnly, parts: Self.cores) { part, s in bins.append(s, part: part) }
        return bins.all.sorted { $0.urgency < $1.urgency }
    }

    /// Folds every escalation (or the open ones) as of the moment, `parts` at once, without
    /// holding the logs: `consume(part, status)` runs on the part's thread as each is folded,
    /// in number order within a part (sort by `urgency` for a list). Returns the number of parts.
    public func forEachStatus(asOf: Timestamp, openOnly: Bool, parts: Int,
                              _ consume: @escaping @Sendable (Int, EscalationStatus) -> Void) throws(AppError) -> Int {
        let thresholds = config.playbook
        let rank = try wrap {
            Dictionary(try store.topAccountsByARR(limit: thresholds.flagshipTopN).enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        }
        return try wrap {
            try store.scanEscalations(parts: parts) { part, e, a in
                guard e.openedAt <= asOf else { return }
                let ctx = PlaybookContext(account: a.account, arrRank: rank[a.account.id] ?? Int.max, accountEvents: a.events,
                                          threatMoments: a.threatMoments, thresholds: thresholds)
                let s = EscalationStatus.fold(e, ctx, asOf: asOf)
                if !openOnly || s.state != .closed { consume(part, s) }
            }
        }
    }

    /// How many parts a long list is folded in: one per core, at most four.
    public static let cores = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
}
