import DefuseDomain

/// The `defuse` command line (`cli.md`). `run` never throws and never traps on bad input:
/// every failure becomes one line on standard error and an exit code.
public enum DefuseCLI {
    public static func run(_ arguments: [String], context ctx: Context) -> Int32 {
        var args = arguments
        do throws(CLIError) {
            let global = try GlobalOptions.extract(&args, context: ctx)
            guard let command = args.first else {
                ctx.out(usage)
                return 2
            }
            let rest = Array(args.dropFirst())
            switch command {
            case "import": return try ImportCommand.run(rest, global, ctx)
            case "report": return try ReportCommand.run(rest, global, ctx)
            case "account": return try AccountCommand.run(rest, global, ctx)
            case "demo": return try DemoCommand.run(rest, global, ctx)
            case "esc": return try EscCommand.run(rest, global, ctx)
            case "user": return try UserCommand.run(rest, global, ctx)
            case "token": return try TokenCommand.run(rest, global, ctx)
            case "serve": return try ServeCommand.run(rest, global, ctx)
            case "worker": return try WorkerCommand.run(rest, global, ctx)
            case "outbox": return try OutboxCommand.run(rest, global, ctx)
            case "migrate": return try MigrateCommand.run(rest, global, ctx)
            case "copy": return try CopyCommand.run(rest, global, ctx)
            case "backup": return try BackupCommand.run(rest, global, ctx, restore: false)
            case "restore": return try BackupCommand.run(rest, global, ctx, restore: true)
            case "help", "--help", "-h":
                ctx.out(usage)
                return 0
            default:
                throw CLIError.usage("unknown command \"\(command)\"; run `defuse help` for the list")
            }
        } catch {
            ctx.err("defuse: \(error.message)\n")
            return error.exitCode
        }
    }

    public static let usage = """
    defuse: the escalation desk and account-health watch

      defuse import DIR|FILE... [--skip-bad] [--at T]    load CRM, survey, help-desk and event exports
      defuse report [--as-of T] [--format table|csv|json|html] [--level all]
      defuse account ID [--as-of T] [--format table|json]
      defuse demo [--accounts N] [--csv DIR]              build a realistic demo database

      defuse esc open --account ID --channel C --text WORDS [--at T] [--reach N] [--press]
      defuse esc log ID EVENT [--at T] [--user NAME] [event fields as flags]
      defuse esc show ID [--as-of T] [--format table|json]
      defuse esc list [--as-of T] [--open] [--format table|json]
      defuse esc draft ID triage|recap|ceo|public|postmortem [--as-of T]
      defuse esc share ID [--revoke]                      a link to the customer's page (what we heard, commitments, updates)
      defuse esc log ID evidence --file PATH [--note T]   file a screenshot or PDF, kept by its SHA-256
      defuse esc verify ID                                re-hash the escalation's evidence files
      defuse user add NAME --role csm|manager|exec|viewer [--email ADDRESS] [--password-stdin]
      defuse token create --user NAME [--label TEXT]        prints a new API token once
      defuse user passwd NAME                              reads the new password from stdin
      defuse serve [--host 127.0.0.1] [--port 8080]        the web app, the JSON API and the notification worker
      defuse worker [--once]                               the notification scheduler alone
      defuse outbox [--all] [retry ID]                     notifications waiting or dead; send a dead one again

      defuse migrate                                       bring the database to this build's schema
      defuse copy --from defuse.db --to postgres://... [--force]   move everything, verified by checksums
      defuse backup FILE | defuse restore FILE [--force]   an online copy of a SQLite database, and back

    Global: --db PATH (or DEFUSE_DB; default ./defuse.db), --config FILE (default defuse.conf beside the database)

    """
}
