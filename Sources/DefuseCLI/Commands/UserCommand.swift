import DefuseCrypto
import DefuseDomain
import DefuseStore

/// `defuse user add NAME --role R [--email ADDRESS] [--password-stdin]`, `defuse user list`.
enum UserCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        guard let sub = args.first else { throw .usage("user: add, passwd or list") }
        switch sub {
        case "add":
            let a = try Arguments(Array(args.dropFirst()), valued: ["role", "email"], switches: ["password-stdin"], command: "user add")
            guard a.positional.count == 1, let roleName = a["role"] else {
                throw .usage("user add: defuse user add NAME --role csm|manager|exec|viewer [--email ADDRESS] [--password-stdin]")
            }
            guard let role = Role(rawValue: roleName) else { throw .input("--role must be csm, manager, exec or viewer (got \(roleName))") }
            let name = a.positional[0]
            guard !name.isEmpty, name.count <= 100, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                throw .input("a user name is one word of at most 100 characters")
            }
            if let email = a["email"], !email.contains("@") { throw .input("--email: \"\(email)\" is not an e-mail address") }
            let hash = a.has("password-stdin") ? try PasswordHashing.hash(readPassword(ctx)) : nil
            let store = try g.openStore()
            do { try store.saveUser(User(name: name, role: role, email: a["email"], passwordHash: hash)) } catch { throw .input("\(error)") }
            ctx.out("\(name) is a \(role.rawValue)\(a["email"].map { " <\($0)>" } ?? "")\n")
            return 0
        case "passwd":
            let a = try Arguments(Array(args.dropFirst()), valued: [], switches: [], command: "user passwd")
            guard a.positional.count == 1 else { throw .usage("user passwd: defuse user passwd NAME (the password on standard input)") }
            let store = try g.openStore()
            let found: User?
            do { found = try store.loadUser(a.positional[0]) } catch { throw .input("\(error)") }
            guard var user = found else { throw .input("no user \"\(a.positional[0])\" (add it with `defuse user add`)") }
            user.passwordHash = try PasswordHashing.hash(readPassword(ctx))
            do { try store.saveUser(user) } catch { throw .input("\(error)") }
            ctx.out("password set for \(user.name)\n")
            return 0
        case "list":
            let store = try g.openStore()
            let users: [User]
            do { users = try store.loadUsers() } catch { throw .input("\(error)") }
            for u in users { ctx.out("\(u.name)\t\(u.role.rawValue)\t\(u.email ?? "")\n") }
            return 0
        default:
            throw .usage("user: unknown subcommand \"\(sub)\" (add, passwd, list)")
        }
    }

    static func readPassword(_ ctx: Context) throws(CLIError) -> String {
        var p = ctx.readStdin()
        if p.hasSuffix("\n") { p.removeLast() }
        if p.hasSuffix("\r") { p.removeLast() }
        guard p.count >= 8 else { throw .input("the password must have at least 8 characters") }
        return p
    }
}

enum PasswordHashing {
    static func hash(_ password: String) throws(CLIError) -> String {
        do { return try PasswordHash.make(password) } catch { throw .input(error.description) }
    }
}
