import DefuseDomain
import DefuseImport
import Testing

let accountsHeader = "account_id,name,arr_usd,renewal_date,csm,exec_sponsor,onboarded_on,timezone\n"

func plan(_ files: [(String, String)], known: [String: String?] = [:], at: String = "2026-12-01T00:00:00Z") -> ImportPlan {
    Importer(known: KnownAccounts(sponsors: known), at: ISO8601.parse(at)!)
        .plan(files.map { ImportFile(name: $0.0, bytes: Array($0.1.utf8)) })
}

/// The single error line a bad input produces, as `FILE:LINE: column: message`.
func errors(_ files: [(String, String)], known: [String: String?] = ["A-1": String?.none]) -> [String] {
    plan(files, known: known).errors.map(\.description)
}

@Suite("Import: recognising and reading the four exports")
struct ImporterTests {
    @Test("files are recognised by their header, any column order and case, unknown columns ignored")
    func recognise() {
        let p = plan([
            ("t.csv", "STATUS,Ticket_ID,account_id,opened_at,extra\nOpen,T1,A-1,2026-11-01,x\n"),
            ("a.csv", "Name,ARR_USD,account_id,misc\nAcme,100,A-1,y\n"),
            ("s.csv", "score,kind,account_id,responded_at\n7.0,NPS,A-1,2026-11-01\n"),
            ("e.csv", "kind,at,account_id,detail\nhealth_call,2026-11-02,A-1,\n"),
        ])
        #expect(p.errors.isEmpty)
        #expect(p.files.map(\.kind) == [.accounts, .surveys, .tickets, .events])
        #expect(p.batch.accounts.first?.name == "Acme")
        #expect(p.batch.accounts.first?.timeZone == "UTC")
        #expect(p.batch.tickets.first?.status == .open)
        #expect(p.batch.surveys.first?.score == 7)
        #expect(p.batch.surveys.first?.kind == .nps)
        #expect(p.batch.events.first?.kind == .healthCall)
    }

    @Test("a later row with the same key replaces an earlier one")
    func laterRowWins() {
        let p = plan([("a.csv", accountsHeader + "A-1,Old,1,,,,,\nA-1,New,2,,,,,\n")])
        #expect(p.batch.accounts.map(\.name) == ["New"])
        #expect(p.rows[.accounts] == 2)
        #expect(p.replacedInBatch[.accounts] == 1)
        let t = plan([("t.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,open,2026-01-01\nT1,A-1,solved,2026-01-01\n")], known: ["A-1": String?.none])
        #expect(t.batch.tickets.map(\.status) == [.solved])
    }

    @Test("survey answers are keyed by response_id when given; without one each row is a new answer")
    func surveyKeys() {
        let p = plan([("s.csv", "response_id,account_id,kind,score,responded_at\nR1,A-1,nps,3,2026-01-01\nR1,A-1,nps,9,2026-01-01\n,A-1,nps,5,2026-01-01\n,A-1,nps,5,2026-01-01\n")],
                     known: ["A-1": String?.none])
        #expect(p.batch.surveys.map(\.score) == [9, 5, 5])
    }

    @Test("a scale turns the score into 0..10")
    func scale() {
        let p = plan([("s.csv", "account_id,kind,score,scale,responded_at\nA-1,csat,4,5,2026-01-01\nA-1,csat,3,4,2026-01-01\n")], known: ["A-1": String?.none])
        #expect(p.batch.surveys.map(\.score) == [8, 7.5])
    }

    @Test("surveys, tickets and events may refer to accounts imported in the same command")
    func sameCommandAccounts() {
        let p = plan([("t.csv", "ticket_id,account_id,status,opened_at\nT1,NEW,open,2026-01-01\n"),
                      ("a.csv", accountsHeader + "NEW,New Co,10,,,,,\n")])
        #expect(p.errors.isEmpty)
        #expect(p.newAccounts == 1)
    }

    @Test("a re-import that changes a non-empty sponsor records a sponsor_change dated --at")
    func sponsorChange() {
        let p = plan([("a.csv", accountsHeader + "A-1,Acme,1,,,Dana,,\nA-2,B,1,,,Lee,,\nA-3,C,1,,,,,\nA-4,D,1,,,Max,,\nNEW,E,1,,,Zoe,,\n")],
                     known: ["A-1": "Robin", "A-2": "Lee", "A-3": "Sam", "A-4": String?.none], at: "2026-12-01T09:00:00Z")
        #expect(p.batch.sponsorChanges.map(\.accountID) == ["A-1"])
        #expect(p.batch.sponsorChanges.first?.at == ISO8601.parse("2026-12-01T09:00:00Z"))
        #expect(p.batch.sponsorChanges.first?.detail == "Dana (was Robin)")
    }
}

@Suite("Import: bad input")
struct BadInputTests {
    @Test("a missing required column is named on line 1")
    func missingColumn() {
        #expect(errors([("t.csv", "ticket_id,account_id,opened_at\nT1,A-1,2026-01-01\n")]) == ["t.csv:1: status: missing required column"])
    }

    @Test("a missing required value")
    func missingValue() {
        #expect(errors([("a.csv", accountsHeader + "A-2,,5,,,,,\n")]) == ["a.csv:2: name: missing value"])
    }

    @Test("a repeated header name")
    func repeatedHeader() {
        #expect(errors([("a.csv", "account_id,name,arr_usd,Name\nA-2,x,1,y\n")]) == ["a.csv:1: name: repeated header name"])
    }

    @Test("an empty file, or one with only blank lines")
    func emptyFile() {
        #expect(errors([("x.csv", "")]) == ["x.csv:1: file: empty file: expected a header row"])
        #expect(errors([("x.csv", "\u{FEFF}\n\r\n")]) == ["x.csv:1: file: empty file: expected a header row"])
    }

    @Test("a header that is no Defuse export")
    func unknownHeader() {
        #expect(errors([("x.csv", "foo,bar\n1,2\n")]).first?.hasPrefix("x.csv:1: header: not an accounts, surveys, tickets or events export") == true)
    }

    @Test("scores outside their range, and fractions", arguments: [
        ("11", "", "s.csv:2: score: 11 is outside 0..10"),
        ("-1", "", "s.csv:2: score: -1 is outside 0..10"),
        ("6", "5", "s.csv:2: score: 6 is outside 0..5"),
        ("7.5", "", "s.csv:2: score: not a whole number: \"7.5\""),
        ("seven", "", "s.csv:2: score: not a whole number: \"seven\""),
        ("3", "0", "s.csv:2: scale: must be a whole number above 0 (got 0)"),
    ])
    func scores(score: String, scale: String, expected: String) {
        #expect(errors([("s.csv", "account_id,kind,score,scale,responded_at\nA-1,nps,\(score),\(scale),2026-01-01\n")]) == [expected])
    }

    @Test("7.0 is accepted as 7; 10 and 0 are in range")
    func wholeWithZeroFraction() {
        #expect(errors([("s.csv", "account_id,kind,score,responded_at\nA-1,nps,7.0,2026-01-01\nA-1,nps,10,2026-01-01\nA-1,csat,0,2026-01-01\n")]).isEmpty)
    }

    @Test("unknown kinds and statuses list what is allowed")
    func unknownChoices() {
        #expect(errors([("s.csv", "account_id,kind,score,responded_at\nA-1,ces,7,2026-01-01\n")]) == ["s.csv:2: kind: unknown kind \"ces\" (expected one of: nps, csat)"])
        #expect(errors([("t.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,escalated,2026-01-01\n")])
                == ["t.csv:2: status: unknown status \"escalated\" (expected one of: new, open, pending, hold, solved, closed)"])
        #expect(errors([("e.csv", "account_id,kind,at\nA-1,party,2026-01-01\n")]).first?.hasPrefix("e.csv:2: kind: unknown kind \"party\"") == true)
    }

    @Test("unparseable timestamps and numbers")
    func unparseable() {
        #expect(errors([("t.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,open,31/12/2026\n")])
                == ["t.csv:2: opened_at: not a timestamp: \"31/12/2026\" (expected e.g. 2026-03-05T14:02:00Z or 2026-03-05)"])
        #expect(errors([("a.csv", accountsHeader + "A-2,X,\"120,000\",,,,,\n")])
                == ["a.csv:2: arr_usd: not a number: \"120,000\" (expected a plain decimal such as 120000.50)"])
        #expect(errors([("a.csv", accountsHeader + "A-2,X,1e5,,,,,\n")]).count == 1)
        #expect(errors([("a.csv", accountsHeader + "A-2,X,120000.50,2027-02-30,,,,\n")]).first?.hasPrefix("a.csv:2: renewal_date: not a timestamp") == true)
    }

    @Test("a negative ARR")
    func negativeARR() {
        #expect(errors([("a.csv", accountsHeader + "A-2,X,-5,,,,,\n")]) == ["a.csv:2: arr_usd: must not be negative (got -5)"])
    }

    @Test("an unknown IANA time zone")
    func unknownZone() {
        #expect(errors([("a.csv", accountsHeader + "A-2,X,5,,,,,Mars/Olympus\n")]) == ["a.csv:2: timezone: unknown IANA time zone \"Mars/Olympus\""])
        #expect(errors([("a.csv", accountsHeader + "A-2,X,5,,,,,Asia/Kolkata\n")]).isEmpty)
    }

    @Test("an account_id that is neither imported nor known")
    func unknownAccount() {
        #expect(errors([("e.csv", "account_id,kind,at\nGHOST,note,2026-01-01\n")])
                == ["e.csv:2: account_id: unknown account \"GHOST\" (not in the accounts imported nor already known)"])
    }

    @Test("a bad account row makes the rows that refer to it bad too")
    func badAccountCascades() {
        let e = errors([("a.csv", accountsHeader + "A-2,X,-1,,,,,\n"), ("t.csv", "ticket_id,account_id,status,opened_at\nT1,A-2,open,2026-01-01\n")])
        #expect(e == ["a.csv:2: arr_usd: must not be negative (got -1)",
                      "t.csv:2: account_id: unknown account \"A-2\" (not in the accounts imported nor already known)"])
    }

    @Test("LINE is where the record starts, after quoted line breaks")
    func lineOfRecord() {
        let text = accountsHeader + "A-2,\"Two\nLines\",1,,,,,\nA-3,\"Three\nmore\nlines\",-1,,,,,\n"
        #expect(errors([("a.csv", text)]) == ["a.csv:4: arr_usd: must not be negative (got -1)"])
    }

    @Test("every bad value in a row is listed, and bad rows are counted")
    func everyProblem() {
        let p = plan([("t.csv", "ticket_id,account_id,status,opened_at\n,A-1,weird,never\nT2,A-1,open,2026-01-01\n")], known: ["A-1": String?.none])
        #expect(p.errors.map(\.column) == ["ticket_id", "status", "opened_at"])
        #expect(p.badRows[.tickets] == 1)
        #expect(p.batch.tickets.map(\.ticketID) == ["T2"])
    }

    @Test("a row with fewer fields than the header has the missing ones empty")
    func shortRow() {
        let p = plan([("a.csv", accountsHeader + "A-2,Short,5\n")])
        #expect(p.errors.isEmpty)
        #expect(p.batch.accounts.first?.csm == nil)
    }

    @Test("a CSV syntax error stops reading that file and is reported")
    func syntaxError() {
        #expect(errors([("a.csv", accountsHeader + "A-2,\"open,5\n")]) == ["a.csv:2: row: a quoted field is never closed"])
    }
}

@Suite("Import: reading files on two cores")
struct ParallelImportTests {
    @Test("the parallel path plans exactly what the sequential one does, bad rows included")
    func sameAsSequential() {
        var surveys = "response_id,account_id,kind,score,responded_at,comment\n"
        var tickets = "ticket_id,account_id,status,opened_at,subject\n"
        for i in 0..<20_000 {
            surveys += "R\(i),A-\(i % 50),\(i % 2 == 0 ? "nps" : "csat"),\(i % 11),2026-0\(1 + i % 9)-1\(i % 10),\"comment, \(i)\"\n"
            tickets += "T\(i),A-\(i % 50),\(["open", "hold", "solved"][i % 3]),2026-01-0\(1 + i % 9),Subject \(i)\n"
        }
        tickets += "T-bad,GHOST,open,2026-01-01,x\n"
        let accounts = "account_id,name,arr_usd\n" + (0..<50).map { "A-\($0),Name \($0),\($0 * 100)\n" }.joined()
        let files = [ImportFile(name: "t.csv", bytes: Array(tickets.utf8)), ImportFile(name: "s.csv", bytes: Array(surveys.utf8)),
                     ImportFile(name: "a.csv", bytes: Array(accounts.utf8))]
        let at = ISO8601.parse("2026-12-01")!
        let parallel = Importer(known: KnownAccounts(), at: at).plan(files)
        let sequential = Importer(known: KnownAccounts(), at: at, progress: { _, _, _ in }).plan(files)
        #expect(parallel.batch.surveys == sequential.batch.surveys)
        #expect(parallel.batch.tickets == sequential.batch.tickets)
        #expect(parallel.batch.accounts == sequential.batch.accounts)
        #expect(parallel.errors == sequential.errors)
        #expect(parallel.errors.map(\.description) == ["t.csv:20002: account_id: unknown account \"GHOST\" (not in the accounts imported nor already known)"])
        #expect(parallel.files.map(\.kind) == sequential.files.map(\.kind))
        #expect(parallel.rows == sequential.rows && parallel.badRows == sequential.badRows)
        #expect(parallel.batch.surveys.count == 20_000)
    }
}
