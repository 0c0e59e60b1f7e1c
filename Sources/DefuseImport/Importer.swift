import DefuseCSV
import DefuseDomain
import Foundation

/// Turns CSV exports into an `ImportPlan`: recognises each file by its header, validates every
/// row against `data-formats.md`, and records a `sponsor_change` where a re-import changes an
/// account's executive sponsor. Pure: the caller reads the files and writes the batch.
public struct Importer {
    public var known: KnownAccounts
    /// When sponsor changes found by this import are dated (`--at`, default now).
    public var at: Timestamp
    /// Called now and then with (file name, bytes read, total bytes).
    public var progress: ((String, Int, Int) -> Void)?

    public init(known: KnownAccounts, at: Timestamp, progress: ((String, Int, Int) -> Void)? = nil) {
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
        for (file, kind) in headers {
            plan.files.append((file.name, kind))
            file.bytes.withUnsafeBufferPointer { buffer in
                read(file.name, buffer, kind, into: &plan, state: &state)
            }
        }
        finish(&plan, state: state)
        return plan
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
            switch kind {
            case .accounts: readAccount(&row, into: &plan, state: &state)
            case .surveys: readSurvey(&row, into: &plan, state: &state)
            case .tickets: readTicket(&row, into: &plan, state: &state)
            case .events: readEvent(&row, into: &plan, state: &state)
            }
            if row.errors.count > before { plan.badRows[kind, default: 0] += 1 }
        }
        if headerBad { plan.badRows[kind, default: 0] += rows }
        progress?(name, buffer.count, buffer.count)
        plan.rows[kind, default: 0] += rows
        plan.errors += row.errors
    }

    // MARK: - Rows

    private func readAccount(_ row: inout RowReader, into plan: inout ImportPlan, state: inout State) {
        let id = row.text("account_id", required: true)
        let name = row.text("name", required: true)
        let arr = row.decimal("arr_usd", required: true)
        if let arr, arr < 0 { row.fail("arr_usd", "must not be negative (got \(row.text("arr_usd") ?? ""))") }
        let renewal = row.timestamp("renewal_date")
        let csm = row.text("csm")
        let sponsor = row.text("exec_sponsor")
        let onboarded = row.timestamp("onboarded_on")
        let zone = row.text("timezone") ?? "UTC"
        if !state.isValidTimeZone(zone) { row.fail("timezone", "unknown IANA time zone \"\(zone)\"") }
        guard row.isGood, let id, let name, let arr else { return }
        let account = Account(id: id, name: name, arrUSD: arr, renewalDate: renewal, csm: csm, execSponsor: sponsor,
                              onboardedOn: onboarded, timeZone: zone)
        state.importedAccounts.insert(id)
        if let i = state.accountIndex[id] {
            plan.batch.accounts[i] = account
            plan.replacedInBatch[.accounts, default: 0] += 1
        } else {
            state.accountIndex[id] = plan.batch.accounts.count
            plan.batch.accounts.append(account)
        }
    }

    private func readSurvey(_ row: inout RowReader, into plan: inout ImportPlan, state: inout State) {
        let responseID = row.text("response_id")
        let accountID = row.accountID(state: state)
        let kind = row.choice("kind", SurveyKind.self)
        let scale = row.whole("scale")
        let scaleBad = scale.map { $0 <= 0 } ?? false
        if let scale, scaleBad { row.fail("scale", "must be a whole number above 0 (got \(scale))") }
        let top = scaleBad ? 10 : scale ?? 10
        let score = row.whole("score", required: true)
        if let score, !scaleBad, score < 0 || score > top {
            row.fail("score", "\(score) is outside 0..\(top)")
        }
        let respondedAt = row.timestamp("responded_at", required: true)
        let comment = row.text("comment")
        guard row.isGood, let accountID, let kind, let score, let respondedAt else { return }
        let answer = SurveyAnswer(responseID: responseID, accountID: accountID, kind: kind,
                                  score: Double(score) * 10 / Double(top), respondedAt: respondedAt, comment: comment)
        if let responseID, let i = state.surveyIndex[responseID] {
            plan.batch.surveys[i] = answer
            plan.replacedInBatch[.surveys, default: 0] += 1
        } else {
            if let responseID { state.surveyIndex[responseID] = plan.batch.surveys.count }
            plan.batch.surveys.append(answer)
        }
    }

    private func readTicket(_ row: inout RowReader, into plan: inout ImportPlan, state: inout State) {
        let ticketID = row.text("ticket_id", required: true)
        let accountID = row.accountID(state: state)
        let status = row.choice("status", TicketStatus.self)
        let opened = row.timestamp("opened_at", required: true)
        let customer = row.timestamp("last_customer_message_at")
        let agent = row.timestamp("last_agent_reply_at")
        let closed = row.timestamp("closed_at")
        let subject = row.text("subject")
        guard row.isGood, let ticketID, let accountID, let status, let opened else { return }
        let ticket = Ticket(ticketID: ticketID, accountID: accountID, status: status, openedAt: opened,
                            lastCustomerMessageAt: customer, lastAgentReplyAt: agent, closedAt: closed, subject: subject)
        if let i = state.ticketIndex[ticketID] {
            plan.batch.tickets[i] = ticket
            plan.replacedInBatch[.tickets, default: 0] += 1
        } else {
            state.ticketIndex[ticketID] = plan.batch.tickets.count
            plan.batch.tickets.append(ticket)
        }
    }

    private func readEvent(_ row: inout RowReader, into plan: inout ImportPlan, state: inout State) {
        let accountID = row.accountID(state: state)
        let kind = row.choice("kind", AccountEventKind.self)
        let at = row.timestamp("at", required: true)
        let detail = row.text("detail")
        guard row.isGood, let accountID, let kind, let at else { return }
        plan.batch.events.append(AccountEvent(accountID: accountID, kind: kind, at: at, detail: detail))
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
