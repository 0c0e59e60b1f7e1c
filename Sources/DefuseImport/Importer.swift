import DefuseCSV
import DefuseDomain
import Foundation

/// Turns CSV exports into an `ImportPlan`: recognises each file by its header, validates every
/// row against `data-formats.md`, and records a `sponsor_change` where a re-import changes an
/// account's executive sponsor. Pure: the caller reads the files and writes the batch.
public struct Importer: Sendable {
    public var known: KnownAccounts
    /// When sponsor changes found by this import are dated (`--at`, default now).
    public var at: Timestamp
    /// Called now and then with (file name, bytes read, total bytes).
    public var progress: (@Sendable (String, Int, Int) -> Void)?

    public init(known: KnownAccounts, at: Timestamp, progress: (@Sendable (String, Int, Int) -> Void)? = nil) {
        self.known = known; self.at = at; self.progress = progress
    }

    public func plan(_ files: [ImportFile]) -> ImportPlan {
        var plan = ImportPlan()
        var headers: [(file: ImportFile, kind: ExportKind)] = []
        for file in files {
            switch recognise(file) {
            case .success(let kind): headers.append((file, kind))
            case .failure(let error): plan.errors.append(error)
            }
        }
        // Accounts first, so the other files can refer to accounts imported alongside them.
        headers.sort { $0.kind < $1.kind }
        var state = State(known: known)
        let accounts = headers.filter { $0.kind == .accounts }, rest = headers.filter { $0.kind != .accounts }
        for (file, kind) in accounts { readFile(file, kind, into: &plan, state: &state) }
        // The other files only read what the accounts left in `state`: with one file of each
        // kind (so keys cannot repeat across them) they are read on two cores at once.
        if progress == nil, rest.count > 1, Set(rest.map(\.kind)).count == rest.count,
           rest.reduce(0, { $0 + $1.file.bytes.count }) > 1 << 20 {
            let shared = state
            let parts = TwoThreads.map(count: rest.count, minimum: 2) { i -> ImportPlan in
                var part = ImportPlan()
                var own = shared
                self.readFile(rest[i].file, rest[i].kind, into: &part, state: &own)
                return part
            }
            for part in parts { plan.absorb(part) }
        } else {
            for (file, kind) in rest { readFile(file, kind, into: &plan, state: &state) }
        }
        finish(&plan, state: state)
        return plan
    }

    private func readFile(_ file: ImportFile, _ kind: ExportKind, into plan: inout ImportPlan, state: inout State) {
        plan.files.append((file.name, kind))
        file.bytes.withUnsafeBufferPointer { buffer in
            read(file.name, buffer, kind, into: &plan, state: &state)
        }
    }

    // MARK: - Files

    private func recognise(_ file: ImportFile) -> Result<ExportKind, ImportError> {
        file.bytes.withUnsafeBufferPointer { buffer in
            var reader = CSVReader(bytes: buffer)
            var fields: [CSVField] = []
            do throws(CSVSyntaxError) {
                guard try reader.next(into: &fields) != nil else {
                    return .failure(ImportError(file: file.name, line: 1, column: "file", message: "empty file: expected a header row"))
                }
            } catch {
                return .failure(ImportError(file: file.name, line: error.line, column: "header", message: error.message))
            }
            let names = fields.map { reader.string($0).lowercased() }
            guard let kind = ExportSchema.recognise(header: names) else {
                return .failure(ImportError(file: file.name, line: 1, column: "header",
                                            message: "not an accounts, surveys, tickets or events export (columns: \(names.joined(separator: ", ")))"))
            }
            return .success(kind)
        }
    }

    private struct State: AccountLookup {
        var known: KnownAccounts
        /// Accounts valid in this import, so surveys/tickets/events may refer to them.
        var importedAccounts: Set<String> = []
        var accountIndex: [String: Int] = [:]
        var surveyIndex: [String: Int] = [:]
        var ticketIndex: [String: Int] = [:]
        var timeZoneValid: [String: Bool] = ["UTC": true]

        func accountExists(_ id: String) -> Bool { importedAccounts.contains(id) || known.contains(id) }

        mutating func isValidTimeZone(_ id: String) -> Bool {
            if let v = timeZoneValid[id] { return v }
            let v = TimeZone(identifier: id) != nil
            timeZoneValid[id] = v
            return v
        }
    }

    private func read(_ name: String, _ buffer: UnsafeBufferPointer<UInt8>, _ kind: ExportKind, into plan: inout ImportPlan, state: inout State) {
        var reader = CSVReader(bytes: buffer)
        var fields: [CSVField] = []
        do {
            _ = try reader.next(into: &fields)
        } catch {
            plan.errors.append(ImportError(file: name, line: error.line, column: "header", message: error.message)); return
        }
        let header = fields.map { reader.string($0).lowercased() }
        var columns: [String: Int] = [:]
        var headerBad = false
        for (i, h) in header.enumerated() {
            if h.isEmpty { continue }
            if columns[h] != nil {
                plan.errors.append(ImportError(file: name, line: 1, column: h, message: "repeated header name"))
                headerBad = true
            }
            columns[h] = i
        }
        for required in ExportSchema.columns(kind).required where columns[required] == nil {
            plan.errors.append(ImportError(file: name, line: 1, column: required, message: "missing required column"))
            headerBad = true
        }
        var row = RowReader(name: name, reader: reader, columns: columns)
        let readRow: (inout RowReader, inout ImportPlan, inout State) -> Void
        switch kind {
        case .accounts:
            let c = AccountColumns(row)
            readRow = { readAccount(&$0, c, into: &$1, state: &$2) }
        case .surveys:
            let c = SurveyColumns(row)
            readRow = { readSurvey(&$0, c, into: &$1, state: &$2) }
        case .tickets:
            let c = TicketColumns(row)
            readRow = { readTicket(&$0, c, into: &$1, state: &$2) }
        case .events:
            let c = EventColumns(row)
            readRow = { readEvent(&$0, c, into: &$1, state: &$2) }
        }
        // Room for about as many keys as the file has rows (a row is some 50 bytes or more), so
        // that the index is not rebuilt a dozen times as it grows.
        let rowsAbout = buffer.count / 50
        switch kind {
        case .accounts:
            state.accountIndex.reserveCapacity(state.accountIndex.count + rowsAbout)
            state.importedAccounts.reserveCapacity(state.importedAccounts.count + rowsAbout)
        case .surveys: state.surveyIndex.reserveCapacity(state.surveyIndex.count + rowsAbout)
        case .tickets: state.ticketIndex.reserveCapacity(state.ticketIndex.count + rowsAbout)
        case .events: break
        }
        var rows = 0
        var lastReport = 0
        while true {
            let line: Int
            do {
                guard let l = try row.reader.next(into: &fields) else { break }
                line = l
            } catch {
                plan.errors.append(ImportError(file: name, line: error.line, column: "row", message: error.message))
                plan.badRows[kind, default: 0] += 1
                break // the rest of the file cannot be read reliably
            }
            rows += 1
            if let progress, row.reader.bytesRead - lastReport > 1 << 20 {
                lastReport = row.reader.bytesRead
                progress(name, lastReport, buffer.count)
            }
            if headerBad { continue }
            row.begin(fields: fields, line: line)
            let before = row.errors.count
            readRow(&row, &plan, &state)
            if row.errors.count > before { plan.badRows[kind, default: 0] += 1 }
        }
        if headerBad { plan.badRows[kind, default: 0] += rows }
        progress?(name, buffer.count, buffer.count)
        plan.rows[kind, default: 0] += rows
        plan.errors += row.errors
    }

    // MARK: - Rows

    private struct AccountColumns {
        let id, name, arr, renewal, csm, sponsor, onboarded, zone: Col
        init(_ r: RowReader) {
            id = r.col("account_id"); name = r.col("name"); arr = r.col("arr_usd"); renewal = r.col("renewal_date")
            csm = r.col("csm"); sponsor = r.col("exec_sponsor"); onboarded = r.col("onboarded_on"); zone = r.col("timezone")
        }
    }

    private func readAccount(_ row: inout RowReader, _ c: AccountColumns, into plan: inout ImportPlan, state: inout State) {
        let id = row.text(c.id, required: true)
        let name = row.text(c.name, required: true)
        let arr = row.decimal(c.arr, required: true)
        if let arr, arr < 0 { row.fail(c.arr, "must not be negative (got \(row.text(c.arr) ?? ""))") }
        let renewal = row.timestamp(c.renewal)
        let csm = row.text(c.csm)
        let sponsor = row.text(c.sponsor)
        let onboarded = row.timestamp(c.onboarded)
        let zone = row.text(c.zone) ?? "UTC"
        if !state.isValidTimeZone(zone) { row.fail(c.zone, "unknown IANA time zone \"\(zone)\"") }
        guard row.isGood, let id, let name, let arr else { return }
        let account = Account(id: id, name: name, arrUSD: arr, renewalDate: renewal, csm: csm, execSponsor: sponsor,
                              onboardedOn: onboarded, timeZone: zone)
        state.importedAccounts.insert(id)
        Self.keep(account, key: id, in: &plan.batch.accounts, index: &state.accountIndex, replaced: &plan.replacedInBatch[.accounts, default: 0])
    }

    private struct SurveyColumns {
        let responseID, accountID, kind, scale, score, respondedAt, comment: Col
        init(_ r: RowReader) {
            responseID = r.col("response_id"); accountID = r.col("account_id"); kind = r.col("kind"); scale = r.col("scale")
            score = r.col("score"); respondedAt = r.col("responded_at"); comment = r.col("comment")
        }
    }

    private func readSurvey(_ row: inout RowReader, _ c: SurveyColumns, into plan: inout ImportPlan, state: inout State) {
        let responseID = row.text(c.responseID)
        let accountID = row.accountID(c.accountID, state: state)
        let kind = row.choice(c.kind, SurveyKind.self)
        let scale = row.whole(c.scale)
        let scaleBad = scale.map { $0 <= 0 } ?? false
        if let scale, scaleBad { row.fail(c.scale, "must be a whole number above 0 (got \(scale))") }
        let top = scaleBad ? 10 : scale ?? 10
        let score = row.whole(c.score, required: true)
        if let score, !scaleBad, score < 0 || score > top {
            row.fail(c.score, "\(score) is outside 0..\(top)")
        }
        let respondedAt = row.timestamp(c.respondedAt, required: true)
        let comment = row.text(c.comment)
        guard row.isGood, let accountID, let kind, let score, let respondedAt else { return }
        let answer = SurveyAnswer(responseID: responseID, accountID: accountID, kind: kind,
                                  score: Double(score) * 10 / Double(top), respondedAt: respondedAt, comment: comment)
        if let responseID {
            Self.keep(answer, key: responseID, in: &plan.batch.surveys, index: &state.surveyIndex, replaced: &plan.replacedInBatch[.surveys, default: 0])
        } else {
            plan.batch.surveys.append(answer)  // no key: a new answer each time
        }
    }

    private struct TicketColumns {
        let ticketID, accountID, status, opened, customer, agent, closed, subject: Col
        init(_ r: RowReader) {
            ticketID = r.col("ticket_id"); accountID = r.col("account_id"); status = r.col("status"); opened = r.col("opened_at")
            customer = r.col("last_customer_message_at"); agent = r.col("last_agent_reply_at"); closed = r.col("closed_at")
            subject = r.col("subject")
        }
    }

    private func readTicket(_ row: inout RowReader, _ c: TicketColumns, into plan: inout ImportPlan, state: inout State) {
        let ticketID = row.text(c.ticketID, required: true)
        let accountID = row.accountID(c.accountID, state: state)
        let status = row.choice(c.status, TicketStatus.self)
        let opened = row.timestamp(c.opened, required: true)
        let customer = row.timestamp(c.customer)
        let agent = row.timestamp(c.agent)
        let closed = row.timestamp(c.closed)
        let subject = row.text(c.subject)
        guard row.isGood, let ticketID, let accountID, let status, let opened else { return }
        let ticket = Ticket(ticketID: ticketID, accountID: accountID, status: status, openedAt: opened,
                            lastCustomerMessageAt: customer, lastAgentReplyAt: agent, closedAt: closed, subject: subject)
        Self.keep(ticket, key: ticketID, in: &plan.batch.tickets, index: &state.ticketIndex, replaced: &plan.replacedInBatch[.tickets, default: 0])
    }

    private struct EventColumns {
        let accountID, kind, at, detail: Col
        init(_ r: RowReader) { accountID = r.col("account_id"); kind = r.col("kind"); at = r.col("at"); detail = r.col("detail") }
    }

    private func readEvent(_ row: inout RowReader, _ c: EventColumns, into plan: inout ImportPlan, state: inout State) {
        let accountID = row.accountID(c.accountID, state: state)
        let kind = row.choice(c.kind, AccountEventKind.self)
        let at = row.timestamp(c.at, required: true)
        let detail = row.text(c.detail)
        guard row.isGood, let accountID, let kind, let at else { return }
        plan.batch.events.append(AccountEvent(accountID: accountID, kind: kind, at: at, detail: detail))
    }

    /// A later row with the same key replaces an earlier one in the batch.
    private static func keep<T>(_ record: T, key: String, in records: inout [T], index: inout [String: Int], replaced: inout Int) {
        if let i = index[key] {
            records[i] = record
            replaced += 1
        } else {
            index[key] = records.count
            records.append(record)
        }
    }

    /// Sponsor changes: a known account whose non-empty sponsor becomes a different non-empty one.
    private func finish(_ plan: inout ImportPlan, state: State) {
        for account in plan.batch.accounts {
            guard let previous = known.sponsors[account.id] else { plan.newAccounts += 1; continue }
            if let old = previous, let new = account.execSponsor, old != new {
                plan.batch.sponsorChanges.append(AccountEvent(accountID: account.id, kind: .sponsorChange, at: at,
                                                      detail: "\(new) (was \(old))"))
            }
        }
    }
}
