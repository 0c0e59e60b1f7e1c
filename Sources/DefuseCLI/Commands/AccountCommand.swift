import DefuseApp
import DefuseDomain
import DefuseRender
import DefuseStore

/// `defuse account ID [--as-of T] [--format table|json]`: flags with their evidence.
enum AccountCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["as-of", "format"], switches: [], command: "account")
        guard a.positional.count == 1 else { throw .usage("account: name one account id (defuse account ID [--as-of T] [--format table|json])") }
        let format = a["format"] ?? "table"
        guard ["table", "json"].contains(format) else { throw .usage("account: --format must be table or json (got \(format))") }
        let config = try g.configuration()
        let asOf = try timestamp(a["as-of"], flag: "as-of") ?? ctx.now()
        let store = try g.openStore()
        let id = a.positional[0]
        let found: AccountHistory?
        do { found = try store.loadHistory(accountID: id) } catch { throw .input("\(error)") }
        guard let history = found else { throw .input("no account \"\(id)\" (import accounts.csv first, or check the id)") }
        let escalations = try EscCommand.attempt { () throws(AppError) in
            try Escalations(store: store, config: config).open(accountID: id, asOf: asOf)
        }
        let view = AccountView(history: history, asOf: asOf, thresholds: config.health, openEscalations: escalations)
        ctx.out(format == "json" ? AccountJSON.render(view) : AccountTable.render(view, colour: ctx.colourOut))
        return 0
    }
}
