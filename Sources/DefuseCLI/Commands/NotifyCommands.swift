import DefuseDomain
import DefuseNotify
import DefuseRender
import DefuseStore
import Foundation

/// `defuse worker [--once]`: the scheduler and outbox of `notifications.md` without the web app.
enum WorkerCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: [], switches: ["once", "quiet"], command: "worker")
        guard a.positional.isEmpty else { throw .usage("worker: unexpected argument \(a.positional[0])") }
        let config = try g.configuration()
        let store = try g.openStore()
        let quiet = a.has("quiet")
        let log: @Sendable (String) -> Void = { [ctx] line in if !quiet { ctx.err(line + "\n") } }
        let worker = notificationWorker(g, config, ctx, log: log)
        if !worker.hasChannels { ctx.err("worker: no smtp_url or webhook.NAME.url in the configuration: nothing will be sent\n") }
        if a.has("once") {
            // One plan and one delivery round, for cron jobs and tests.
            do {
                let queued = try Scheduler(store: store, config: config).tick(now: ctx.now())
                let d = Dispatcher(store: store, transport: ChannelTransport(settings: config.notifications), settings: config.notifications)
                d.log = log
                d.afterClaim = worker.afterClaim
                var total = (sent: 0, failed: 0)
                while true {
                    let r = try d.deliverDue(clock: ctx.now)
                    total.sent += r.sent; total.failed += r.failed
                    if r.sent + r.failed < d.batchSize { break }
                }
                ctx.out("\(queued) queued, \(total.sent) sent, \(total.failed) failed\n")
            } catch { throw .input("\(error)") }
            return 0
        }
        let signals = ServeCommand.blockStopSignals()
        worker.start()
        ctx.out("Defuse worker is running on \(g.db); Ctrl-C stops it.\n")
        let received = ServeCommand.waitForStop(signals)
        ctx.err("stopping (signal \(received))…\n")
        worker.stop()
        return 0
    }

    /// The worker of this process. `DEFUSE_FAULT=kill-after-claim` kills the process with
    /// SIGKILL right after it claims messages (the crash test).
    static func notificationWorker(_ g: GlobalOptions, _ config: Configuration, _ ctx: Context, log: @escaping @Sendable (String) -> Void) -> NotificationWorker {
        let location = g.db
        let open: @Sendable () throws -> Store = { try DefuseStore.openStore(location) }
        var crash: (@Sendable ([OutboxMessage]) -> Void)?
        if ctx.environment["DEFUSE_FAULT"] == "kill-after-claim" { crash = { _ in killSelf() } }
        return NotificationWorker(openStore: open, config: config, clock: ctx.now, log: log, afterClaim: crash)
    }
}

/// `defuse outbox [--all] [--format table|json]`, `defuse outbox retry ID`.
enum OutboxCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        if args.first == "retry" {
            let a = try Arguments(Array(args.dropFirst()), valued: [], switches: [], command: "outbox retry")
            guard a.positional.count == 1 else { throw .usage("outbox retry: defuse outbox retry ID") }
            guard let id = Int(a.positional[0].trimmingPrefix("#")), id > 0 else { throw .input("outbox retry: \"\(a.positional[0])\" is not a message id") }
            let store = try g.openStore()
            let done: Bool
            do { done = try store.retryOutbox(id: id, now: ctx.now()) } catch { throw .input("\(error)") }
            guard done else { throw .input("outbox retry: no dead message #\(id) (see `defuse outbox`)") }
            ctx.out("#\(id) will be sent again by the next worker round\n")
            return 0
        }
        let a = try Arguments(args, valued: ["format"], switches: ["all"], command: "outbox")
        guard a.positional.isEmpty else { throw .usage("outbox: unexpected argument \(a.positional[0]) (defuse outbox [retry ID])") }
        let format = a["format"] ?? "table"
        guard ["table", "json"].contains(format) else { throw .usage("outbox: --format must be table or json (got \(format))") }
        let store = try g.openStore()
        let list: [OutboxMessage]
        do {
            list = try store.loadOutbox(OutboxFilter(states: a.has("all") ? nil : [.dead, .pending, .sending], limit: 100_000))
        } catch { throw .input("\(error)") }
        if format == "json" {
            ctx.out(OutboxJSON.render(list))
            return 0
        }
        if list.isEmpty {
            ctx.out(a.has("all") ? "The outbox is empty.\n" : "Nothing waiting and nothing dead: every notification went out.\n")
            return 0
        }
        let colour = ctx.colourOut
        let rows = list.map { m -> [String] in
            let state = Terminal.paint(m.state.rawValue, m.state == .dead ? .red : m.state == .sent ? .green : .yellow, enabled: colour)
            let when = m.sentAt ?? m.nextAttemptAt
            return ["#\(m.id)", state, "\(m.attempts)", m.type.rawValue, Terminal.cell(m.recipient, max: 32), ISO8601.format(when),
                    Terminal.cell(m.key, max: 48), Terminal.cell(m.lastError ?? "", max: 60)]
        }
        ctx.out(Terminal.table(["id", "state", "tries", "type", "to", "sent / next try", "key", "last error"], rows).joined(separator: "\n") + "\n")
        let dead = list.filter { $0.state == .dead }.count
        if dead > 0 { ctx.out("\(dead) dead: fix the channel, then `defuse outbox retry ID`.\n") }
        return 0
    }
}

/// The crash test's fault: the process dies at once, as with `kill -9`.
@Sendable func killSelf() { _ = kill(getpid(), SIGKILL) }
