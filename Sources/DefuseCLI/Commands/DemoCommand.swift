import DefuseCrypto
import DefuseDemo
import DefuseDomain
import DefuseImport
import DefuseRender
import DefuseStore
import Foundation

/// `defuse demo [--accounts N] [--csv DIR] [--at T] [--no-import]`: writes a seeded demo data
/// set as CSV exports, imports it, and shows the report and where to look next.
enum DemoCommand {
    /// The demo database's web login; demo data only.
    static let demoPassword = "defuse-demo"

    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["accounts", "csv", "at", "seed", "escalations"], switches: ["no-import"], command: "demo")
        guard a.positional.isEmpty else { throw .usage("demo: unexpected argument \(a.positional[0])") }
        let count = try wholeNumber(a["accounts"], flag: "accounts", in: 1...10_000_000) ?? 3_000
        let seed = UInt64(try wholeNumber(a["seed"], flag: "seed", in: 0...Int.max) ?? 2026)
        let at = try timestamp(a["at"], flag: "at") ?? Timestamp(seconds: ctx.now().unixSeconds)
        let isURL = g.db.contains("://")
        let dir = a["csv"] ?? (((isURL ? "." : (g.db as NSString).deletingLastPathComponent) as NSString).appendingPathComponent("defuse-demo-data"))

        let data = DemoData.generate(accounts: count, asOf: at, seed: seed)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, text) in data.files {
                try Data(text.utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(name)))
            }
        } catch {
            throw .input("\(dir): cannot write the demo files: \(error.localizedDescription)")
        }
        ctx.out("Wrote \(count) demo accounts as CSV exports to \(dir)/\n")
        if a.has("no-import") { return 0 }

        let store = try g.openStore()
        let known: [String: String?]
        do { known = try store.accountSponsors() } catch { throw .input("\(error)") }
        if let real = known.keys.first(where: { !$0.hasPrefix(DemoData.idPrefix) }) {
            throw .input("\(store.location) holds real accounts (e.g. \(real)); refusing to mix demo data into it. Use --db demo.db")
        }
        let files = try ImportCommand.readFiles([dir])
        let (counts, plan) = try ImportCommand.importFiles(files, into: store, at: at, skipBad: false, ctx: ctx)
        guard let counts else {
            ImportCommand.report(plan.errors, ctx)
            throw .input("the demo data did not import")
        }
        ctx.out("Imported into \(store.location): \(counts.total.added) added, \(counts.total.updated) updated.\n")
        let escalations = try wholeNumber(a["escalations"], flag: "escalations", in: 0...1_000_000) ?? 12
        let ids = plan.batch.accounts.sorted { $0.arrUSD > $1.arrUSD }.prefix(max(escalations, 1) * 3).map(\.id)
        do {
            // Every escalation has its threat event: none logged means none opened.
            if try store.latestEventID() == 0 {
                try store.insertEscalations(DemoEscalations.generate(count: escalations, accountIDs: Array(ids), asOf: at, seed: seed))
                ctx.out("Opened \(escalations) demo escalations.\n")
            }
        } catch { throw .input("\(error)") }
        // A demo login for the web app.
        do {
            if try store.loadUser("demo") == nil {
                try store.saveUser(User(name: "demo", role: .manager, email: "demo@example.com", passwordHash: try PasswordHash.make(Self.demoPassword)))
            }
        } catch { throw .input("\(error)") }
        ctx.out("Web app login: user demo, password \(Self.demoPassword) (run `defuse serve`).\n\n")

        let config = try g.configuration()
        let histories: [AccountHistory]
        do { histories = try store.loadHistories() } catch { throw .input("\(error)") }
        let report = HealthReport.build(histories, asOf: at, thresholds: config.health)
        var shown = report
        shown.accounts = Array(report.listed(includeGreen: false).prefix(15))
        ctx.out(ReportTable.render(shown, includeGreen: false, colour: ctx.colourOut))
        let listed = report.listed(includeGreen: false).count
        if listed > 15 { ctx.out("… \(listed - 15) more red and yellow accounts: run `defuse report` for all of them.\n") }
        let cmd = ctx.programName + (g.db == "./defuse.db" ? "" : " --db \(g.db)")
        let top = report.accounts.first
        ctx.out("""

        Where to look next:
          \(cmd) report
              the full early-warning report
          \(cmd) account \(top?.account.id ?? "D-000001")
              why the top account is \(top?.level.rawValue ?? "red"), with the evidence behind each flag
          \(cmd) report --format html > report.html
              one page to mail to your manager

        """)
        return 0
    }
}
