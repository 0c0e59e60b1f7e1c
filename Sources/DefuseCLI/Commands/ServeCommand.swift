import DefuseCrypto
import DefuseDomain
import DefuseHTTP
import DefuseStore
import DefuseWeb
import Foundation

/// `defuse serve [--host 127.0.0.1] [--port 8080]`: the web app and JSON API. SIGINT or
/// SIGTERM stops it cleanly: requests in flight finish, then the store closes.
enum ServeCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["host", "port"], switches: ["quiet", "no-worker"], command: "serve")
        guard a.positional.isEmpty else { throw .usage("serve: unexpected argument \(a.positional[0])") }
        let host = a["host"] ?? "127.0.0.1"
        let port = try wholeNumber(a["port"], flag: "port", in: 0...65_535) ?? 8080
        var config = try g.configuration()
        _ = try g.openStore()  // migrates, and fails early on a bad location
        let quiet = a.has("quiet")
        let log: @Sendable (String) -> Void = { [ctx] line in if !quiet { ctx.err(line + "\n") } }
        // Share links point at this server unless `base_url` says where the team reaches it.
        if config.sharing.baseURL == SharingSettings().baseURL && port != 0 { config.sharing.baseURL = "http://\(host):\(port)" }
        let app = WebApp(storeLocation: g.db, config: config, now: ctx.now, accessLog: quiet ? nil : log)
        let server = HTTPServer(handler: app)

        let signals = blockStopSignals()
        let bound: UInt16
        // On PostgreSQL a request mostly waits for the network: more threads keep the cores busy.
        let threads = ProcessInfo.processInfo.activeProcessorCount * (isPostgresURL(g.db) ? 8 : 1)
        do { bound = try server.start(host: host, port: UInt16(port), threads: threads) } catch { throw .input(error.description) }
        ctx.out("Defuse is listening on http://\(host):\(bound)/ (database \(g.db)); Ctrl-C stops it.\n")
        Thread { app.warmUp() }.start()
        // The scheduler of notifications.md runs beside the web app unless told otherwise.
        let worker = a.has("no-worker") ? nil : WorkerCommand.notificationWorker(g, config, ctx, log: log)
        if let worker {
            worker.start()
            if !worker.hasChannels { log("notifications: no smtp_url or webhook.NAME.url in the configuration; nothing will be sent") }
        }
        let received = waitForStop(signals)
        ctx.err("stopping (signal \(received)): finishing requests in flight…\n")
        server.stop()
        worker?.stop()
        ctx.err("stopped\n")
        return 0
    }

    /// Blocks SIGINT and SIGTERM before any thread starts (threads inherit the mask), so that
    /// `waitForStop` receives them instead of the default handler killing the process.
    static func blockStopSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        return signals
    }

    static func waitForStop(_ signals: sigset_t) -> Int32 {
        var signals = signals
        var received: Int32 = 0
        sigwait(&signals, &received)
        return received
    }
}

/// `defuse token create --user NAME [--label TEXT]`, `defuse token revoke ID|TOKEN`.
enum TokenCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        guard let sub = args.first else { throw .usage("token: create or revoke") }
        let store = try g.openStore()
        switch sub {
        case "create":
            let a = try Arguments(Array(args.dropFirst()), valued: ["user", "label"], switches: [], command: "token create")
            guard let name = a["user"], a.positional.isEmpty else { throw .usage("token create: defuse token create --user NAME [--label TEXT]") }
            let user: User?
            do { user = try store.loadUser(name) } catch { throw .input("\(error)") }
            guard user != nil else { throw .input("no user \"\(name)\" (add it with `defuse user add \(name) --role ...`)") }
            let token = "dfs_" + Crypto.randomHex(bytes: 24)
            let number: Int
            do { number = try store.saveToken(user: name, label: a["label"], hash: Crypto.sha256Hex(Array(token.utf8)), at: ctx.now()) } catch {
                throw .input("\(error)")
            }
            ctx.out(token + "\n")
            ctx.err("token \(number) for \(name): shown once, stored hashed. Send it as `Authorization: Bearer <token>`.\n")
            return 0
        case "revoke":
            let a = try Arguments(Array(args.dropFirst()), valued: [], switches: [], command: "token revoke")
            guard a.positional.count == 1 else { throw .usage("token revoke: defuse token revoke ID|TOKEN") }
            let given = a.positional[0]
            let key = given.hasPrefix("dfs_") ? Crypto.sha256Hex(Array(given.utf8)) : given
            let revoked: Bool
            do { revoked = try store.revokeToken(key, at: ctx.now()) } catch { throw .input("\(error)") }
            guard revoked else { throw .input("no live token \(given.hasPrefix("dfs_") ? "like that" : given)") }
            ctx.out("revoked\n")
            return 0
        default:
            throw .usage("token: unknown subcommand \"\(sub)\" (create, revoke)")
        }
    }
}
