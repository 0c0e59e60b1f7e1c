import DefuseApp
import DefuseDomain
import DefuseRender
import Foundation

/// `defuse esc open|log|show|list|draft`: the playbook from the command line.
enum EscCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        guard let sub = args.first else { throw .usage("esc: name a subcommand: open, log, show, list, draft, share, verify") }
        let rest = Array(args.dropFirst())
        switch sub {
        case "open": return try open(rest, g, ctx)
        case "log": return try log(rest, g, ctx)
        case "show": return try show(rest, g, ctx)
        case "list": return try list(rest, g, ctx)
        case "draft": return try draft(rest, g, ctx)
        case "share": return try share(rest, g, ctx)
        case "verify": return try verify(rest, g, ctx)
        default: throw .usage("esc: unknown subcommand \"\(sub)\" (open, log, show, list, draft, share, verify)")
        }
    }

    static func service(_ g: GlobalOptions) throws(CLIError) -> Escalations {
        Escalations(store: try g.openStore(), config: try g.configuration())
    }

    /// Runs a use case, turning its error into the exit code `cli.md` gives.
    static func attempt<T>(_ body: () throws(AppError) -> T) throws(CLIError) -> T {
        do { return try body() } catch {
            switch error {
            case .usage(let m): throw .usage(m)
            case .input(let m), .notFound(let m), .tooLarge(let m), .unsupported(let m): throw .input(m)
            case .refused(let m): throw .refused("refused: " + m)
            }
        }
    }

    static func open(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["account", "channel", "text", "at", "reach", "user"], switches: ["press"], command: "esc open")
        guard a.positional.isEmpty else { throw .usage("esc open: unexpected argument \(a.positional[0])") }
        for required in ["account", "channel", "text"] where a[required] == nil {
            throw .usage("esc open: --\(required) is required (defuse esc open --account ID --channel C --text WORDS)")
        }
        let at = try timestamp(a["at"], flag: "at")
        var fields: [String: String] = [:]
        for k in ["channel", "text", "reach"] { fields[k] = a[k] }
        if a.has("press") { fields["press"] = "true" }
        let svc = try service(g)
        let s = try attempt { () throws(AppError) in
            try svc.open(accountID: a["account"] ?? "", fields: fields, at: at, user: a["user"] ?? ctx.loginName, now: ctx.now())
        }
        ctx.out(s.escalation.id + "\n")
        ctx.out(EscalationTable.render(s, colour: ctx.colourOut))
        return 0
    }

    static func log(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        guard args.count >= 2, !args[0].hasPrefix("--"), !args[1].hasPrefix("--") else {
            throw .usage("esc log: name the escalation and the event (defuse esc log E-1 ack --at T)")
        }
        let id = args[0], name = args[1]
        guard let kind = EventKind(rawValue: name), kind != .threat else {
            throw .usage(EventKind(rawValue: name) == .threat ? "esc log: a threat opens an escalation: use `defuse esc open`"
                         : "esc log: unknown event \"\(name)\" (events: \(EventKind.allCases.dropFirst().map(\.rawValue).joined(separator: ", ")))")
        }
        let schema = EventSchema.fields(kind)
        let valued = Set(schema.filter { $0.type != .flag }.map { $0.name.replacing("_", with: "-") }).union(["at", "user"])
        let switches = Set(schema.filter { $0.type == .flag }.map(\.name))
        let a = try Arguments(Array(args.dropFirst(2)), valued: valued, switches: switches, command: "esc log \(name)")
        guard a.positional.isEmpty else { throw .usage("esc log: unexpected argument \(a.positional[0])") }
        var fields: [String: String] = [:]
        for (k, v) in a.values where k != "at" && k != "user" { fields[k.replacing("-", with: "_")] = v }
        for s in a.switches { fields[s] = "true" }
        let at = try timestamp(a["at"], flag: "at")
        let svc = try service(g)
        let user = a["user"] ?? ctx.loginName
        let s: EscalationStatus
        if kind == .evidence, let path = a["file"] {
            // The file itself goes in the locker; the event records its hash, name, size and type.
            guard let data = FileManager.default.contents(atPath: path) else { throw .input("esc log evidence: cannot read \(path)") }
            let locker = EvidenceLocker(config: try g.configuration(), storeLocation: g.db)
            s = try attempt { () throws(AppError) in
                try svc.logEvidence(id, bytes: [UInt8](data), name: path, note: a["note"], at: at, user: user, now: ctx.now(), locker: locker)
            }
        } else {
            s = try attempt { () throws(AppError) in try svc.log(id, event: name, fields: fields, at: at, user: user, now: ctx.now()) }
        }
        ctx.out("\(s.escalation.id): \(name) recorded; state \(s.state.rawValue). Next: \(s.nextAction)\n")
        return 0
    }

    static func show(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["as-of", "format"], switches: [], command: "esc show")
        guard a.positional.count == 1 else { throw .usage("esc show: name one escalation (defuse esc show E-1)") }
        let format = a["format"] ?? "table"
        guard ["table", "json"].contains(format) else { throw .usage("esc show: --format must be table or json (got \(format))") }
        let asOf = try timestamp(a["as-of"], flag: "as-of") ?? ctx.now()
        let svc = try service(g)
        let s = try attempt { () throws(AppError) in try svc.status(a.positional[0], asOf: asOf) }
        ctx.out(format == "json" ? EscalationJSON.render(s) : EscalationTable.render(s, colour: ctx.colourOut))
        return 0
    }

    static func list(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["as-of", "format"], switches: ["open"], command: "esc list")
        guard a.positional.isEmpty else { throw .usage("esc list: unexpected argument \(a.positional[0])") }
        let format = a["format"] ?? "table"
        guard ["table", "json"].contains(format) else { throw .usage("esc list: --format must be table or json (got \(format))") }
        let asOf = try timestamp(a["as-of"], flag: "as-of") ?? ctx.now()
        let svc = try service(g)
        var timings = PhaseTimings(enabled: ctx.environment["DEFUSE_TIMINGS"] != nil)
        let output: EscalationListOutput = format == "json"
            ? EscalationListJSON(parts: Escalations.cores) : EscalationListTable(parts: Escalations.cores, colour: ctx.colourOut)
        _ = try attempt { () throws(AppError) in
            try svc.forEachStatus(asOf: asOf, openOnly: a.has("open"), parts: Escalations.cores) { part, s in output.add(s, part: part) }
        }
        timings.lap("load+fold+render")
        output.write(to: ctx.outBytes)
        timings.lap("write")
        timings.report(ctx)
        ctx.releaseAtExit(output)
        return 0
    }

    static func draft(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["as-of"], switches: [], command: "esc draft")
        guard a.positional.count == 2, let kind = Draft.Kind(rawValue: a.positional[1]) else {
            throw .usage("esc draft: defuse esc draft ID triage|recap|ceo|public|postmortem [--as-of T]")
        }
        let asOf = try timestamp(a["as-of"], flag: "as-of") ?? ctx.now()
        let svc = try service(g)
        let s = try attempt { () throws(AppError) in try svc.status(a.positional[0], asOf: asOf) }
        let link = kind == .public ? Sharing(store: svc.store, config: svc.config, storeLocation: g.db).currentLink(s.escalation.number) : nil
        let d = Draft.make(kind, s, timeline: link)
        ctx.out(d.markdown)
        for w in d.warnings { ctx.err("caution: \(w)\n") }
        return 0
    }

    /// `esc share ID [--revoke]`: a link to the customer's page, printed once on the first line.
    static func share(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["user"], switches: ["revoke"], command: "esc share")
        guard a.positional.count == 1 else { throw .usage("esc share: defuse esc share ID [--revoke]") }
        let svc = try service(g)
        let sharing = Sharing(store: svc.store, config: svc.config, storeLocation: g.db)
        let id = a.positional[0]
        if a.has("revoke") {
            let n = try attempt { () throws(AppError) in try sharing.revoke(id, now: ctx.now()) }
            ctx.out("\(id): \(n) link\(n == 1 ? "" : "s") revoked; the page answers 404 from now on.\n")
            return 0
        }
        let url = try attempt { () throws(AppError) in try sharing.create(id, user: a["user"] ?? ctx.loginName, now: ctx.now()) }
        ctx.out(url + "\n")
        ctx.err("Share it with the customer during the call. It shows what we heard, the commitments and the updates, nothing internal; `defuse esc share \(id) --revoke` ends it, and it expires 30 days after the escalation is closed.\n")
        return 0
    }

    /// `esc verify ID`: re-hashes every evidence file of the escalation.
    static func verify(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: [], switches: [], command: "esc verify")
        guard a.positional.count == 1 else { throw .usage("esc verify: defuse esc verify ID") }
        let svc = try service(g)
        let locker = EvidenceLocker(config: svc.config, storeLocation: g.db)
        let results = try attempt { () throws(AppError) in try svc.verifyEvidence(a.positional[0], locker: locker) }
        var bad = 0
        for (e, check) in results {
            let name = Terminal.cell(e["file"] ?? "?", max: 60)
            let sha = e["sha256"] ?? "(no hash recorded)"
            switch check {
            case .intact: ctx.out("\(Terminal.paint("ok", .green, enabled: ctx.colourOut))       \(sha)  \(name)\n")
            case .changed(let actual):
                bad += 1
                ctx.out("\(Terminal.paint("CHANGED", .red, enabled: ctx.colourOut))  \(sha)  \(name) (the stored file now hashes to \(actual))\n")
            case .missing:
                bad += 1
                ctx.out("\(Terminal.paint("MISSING", .red, enabled: ctx.colourOut))  \(sha)  \(name) (\(locker.path(sha)))\n")
            }
        }
        if results.isEmpty { ctx.out("\(a.positional[0]) has no evidence filed.\n") }
        guard bad == 0 else { throw .input("esc verify: \(bad) of \(results.count) evidence file\(results.count == 1 ? "" : "s") changed or missing") }
        return 0
    }
}
