import DefuseDomain
import DefuseRender
import DefuseStore

/// `defuse report [--as-of T] [--format table|csv|json|html] [--level all]`.
enum ReportCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["as-of", "format", "level"], switches: [], command: "report")
        guard a.positional.isEmpty else { throw .usage("report: unexpected argument \(a.positional[0])") }
        let format = a["format"] ?? "table"
        guard ["table", "csv", "json", "html"].contains(format) else {
            throw .usage("report: --format must be table, csv, json or html (got \(format))")
        }
        let includeGreen: Bool
        switch a["level"] {
        case nil: includeGreen = false
        case "all": includeGreen = true
        case let other?: throw .usage("report: --level takes only `all` (got \(other))")
        }
        let config = try g.configuration()
        let asOf = try timestamp(a["as-of"], flag: "as-of") ?? ctx.now()
        let store = try g.openStore()
        var timings = PhaseTimings(enabled: ctx.environment["DEFUSE_TIMINGS"] != nil)
        // The histories are let go once evaluated: the report keeps what it prints.
        let report = try { () throws(CLIError) -> HealthReport in
            let histories: [AccountHistory]
            do { histories = try store.loadHistories() } catch { throw .input("\(error)") }
            timings.lap("load")
            return HealthReport.build(histories, asOf: asOf, thresholds: config.health)
        }()
        timings.lap("evaluate")
        defer { timings.lap("render"); timings.report(ctx) }
        switch format {
        case "json": ReportJSON.render(report, includeGreen: includeGreen, sink: ctx.outBytes)
        case "csv": ctx.out(ReportCSV.render(report, includeGreen: includeGreen))
        case "html": ctx.out(ReportHTML.render(report, includeGreen: includeGreen))
        default: ctx.out(ReportTable.render(report, includeGreen: includeGreen, colour: ctx.colourOut))
        }
        return 0
    }
}
