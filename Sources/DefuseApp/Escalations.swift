import DefuseDomain
import DefuseStore
import Dispatch

/// The escalation use cases, shared by the CLI and the HTTP API.
public struct Escalations {
    public let store: Store
    public let config: Configuration

    /// Receives (phase, milliseconds) when set: the bench's view inside `list`.
    public var listTrace: ((String, Double) -> Void)?

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
        return out.sorted { ($0.urgentClocks.first?.due ?? Timestamp(micros: .max)) < ($1.urgentClocks.first?.due ?? Timestamp(micros: .max)) }
    }

    /// Every escalation (or the open ones: not closed) as of a moment, the most urgent first:
    /// breached clocks (most overdue first), then the nearest due, then those with no clock running.
    public func list(asOf: Timestamp, openOnly: Bool) throws(AppError) -> [EscalationStatus] {
        let (escalations, accounts, top) = try wrap { () throws -> ([Escalation], [String: Account], [String]) in
            let all = try store.loadEscalations(accountID: nil)
            let accounts = Dictionary(try store.loadEscalatedAccounts().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            return (all, accounts, try store.topAccountsByARR(limit: config.playbook.flagshipTopN))
        }
        let rank = Dictionary(top.enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        let loaded = DispatchTime.now().uptimeNanoseconds
        defer { if let trace = listTrace { trace("fold", Double(DispatchTime.now().uptimeNanoseconds - loaded) / 1e6) } }
        let thresholds = config.playbook
        let started = escalations.filter { $0.openedAt <= asOf && accounts[$0.accountID] != nil }
        // The fold is pure: both cores share the work.
        let folded = TwoThreads.map(count: started.count, minimum: 500) { i -> EscalationStatus? in
            let e = started[i]
            guard let account = accounts[e.accountID] else { return nil }
            let ctx = PlaybookContext(account: account, arrRank: rank[e.accountID] ?? Int.max, thresholds: thresholds)
            return EscalationStatus.fold(e, ctx, asOf: asOf)
        }
        let out = folded.compactMap { $0 }.filter { !openOnly || $0.state != .closed }
        // One key per escalation: its most urgent clock (breached first, then the nearest due).
        let keys = out.map { s -> (Int, Int64, Int) in
            guard let c = s.urgentClocks.first else { return (2, 0, s.escalation.number) }
            return (c.state == .breached ? 0 : 1, c.due.micros, s.escalation.number)
        }
        return out.indices.sorted { keys[$0] < keys[$1] }.map { out[$0] }
    }
}
