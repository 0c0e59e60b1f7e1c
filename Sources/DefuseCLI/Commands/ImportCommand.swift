import DefuseDomain
import DefuseImport
import DefuseStore
import Foundation

/// `defuse import DIR|FILE... [--skip-bad] [--at T]`: all or nothing, every bad row listed.
enum ImportCommand {
    static let maxListedErrors = 50

    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["at"], switches: ["skip-bad"], command: "import")
        guard !a.positional.isEmpty else { throw .usage("import: name a directory or CSV files (defuse import DIR|FILE... [--skip-bad] [--at T])") }
        let at = try timestamp(a["at"], flag: "at") ?? ctx.now()
        let files = try readFiles(a.positional)
        let store = try g.openStore()
        let (counts, plan) = try importFiles(files, into: store, at: at, skipBad: a.has("skip-bad"), ctx: ctx)
        report(plan.errors, ctx)
        guard let counts else {
            ctx.err("nothing imported: \(plan.errors.count) problem\(plan.errors.count == 1 ? "" : "s") in \(Set(plan.errors.map(\.file)).count) file(s); fix them or use --skip-bad to import the good rows\n")
            return 1
        }
        for kind in ExportKind.allCases {
            guard let c = counts.byKind[kind] else { continue }
            ctx.out("\(kind.rawValue): \(c.added) added, \(c.updated) updated, \(c.skipped) skipped\n")
        }
        let t = counts.total
        ctx.out("total: \(t.added) added, \(t.updated) updated, \(t.skipped) skipped\n")
        if !plan.batch.sponsorChanges.isEmpty {
            ctx.out("recorded \(plan.batch.sponsorChanges.count) executive sponsor change\(plan.batch.sponsorChanges.count == 1 ? "" : "s") dated \(ISO8601.format(at))\n")
        }
        return 0
    }

    /// Validates and writes; nil counts when the import was refused for bad input.
    static func importFiles(_ files: [ImportFile], into store: Store, at: Timestamp, skipBad: Bool, ctx: Context) throws(CLIError) -> (ImportCounts?, ImportPlan) {
        let known: [String: String?]
        do { known = try store.accountSponsors() } catch { throw .input("\(error)") }
        let showProgress = ctx.stderrIsTTY && files.reduce(0, { $0 + $1.bytes.count }) > 8 << 20
        let last = LastPercent()
        var progress: (@Sendable (String, Int, Int) -> Void)?
        if showProgress {
            progress = { [ctx] name, done, total in
                let percent = total == 0 ? 100 : done * 100 / total
                guard percent != last.value else { return }
                last.value = percent
                ctx.err("\r\u{1B}[2Kreading \(name): \(percent)%")
                if done == total { ctx.err("\r\u{1B}[2K") }
            }
        }
        let importer = Importer(known: KnownAccounts(sponsors: known), at: at, progress: progress)
        var timings = PhaseTimings(enabled: ctx.environment["DEFUSE_TIMINGS"] != nil)
        let plan = importer.plan(files)
        timings.lap("validate")
        defer { timings.lap("write"); timings.report(ctx) }
        if !plan.errors.isEmpty && !skipBad { return (nil, plan) }
        if showProgress { ctx.err("writing \(plan.batch.accounts.count + plan.batch.surveys.count + plan.batch.tickets.count + plan.batch.events.count) records…") }
        let added: [ExportKind: Int]
        do { added = try store.apply(plan.batch) } catch { throw .input("import failed, nothing imported: \(error)") }
        if showProgress { ctx.err("\r\u{1B}[2K") }
        return (plan.counts(added: added), plan)
    }

    /// The last percentage printed (progress is reported from one thread at a time).
    final class LastPercent: @unchecked Sendable { var value = -1 }

    static func report(_ errors: [ImportError], _ ctx: Context) {
        for e in errors.prefix(maxListedErrors) { ctx.err("\(e)\n") }
        if errors.count > maxListedErrors { ctx.err("… and \(errors.count - maxListedErrors) more problems\n") }
    }

    /// Files named, and every `.csv` in directories named (sorted by name).
    static func readFiles(_ paths: [String]) throws(CLIError) -> [ImportFile] {
        var files: [ImportFile] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw .input("\(path): no such file or directory") }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
                guard !names.isEmpty else { throw .input("\(path): no .csv files in this directory") }
                for n in names { files.append(try read((path as NSString).appendingPathComponent(n))) }
            } else {
                files.append(try read(path))
            }
        }
        return files
    }

    static func read(_ path: String) throws(CLIError) -> ImportFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .input("\(path): cannot read the file") }
        return ImportFile(name: path, bytes: [UInt8](data))
    }
}
