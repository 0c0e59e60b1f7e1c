public enum AccountEventKind: String, CaseIterable, Sendable {
    case sponsorChange = "sponsor_change"
    case healthCall = "health_call"
    case churned, renewed, note
}

/// Something that happened to an account (`events.csv`, or recorded by an import).
public struct AccountEvent: Hashable, Sendable {
    public var accountID: String
    public var kind: AccountEventKind
    public var at: Timestamp
    public var detail: String?

    public init(accountID: String, kind: AccountEventKind, at: Timestamp, detail: String? = nil) {
        self.accountID = accountID; self.kind = kind; self.at = at; self.detail = detail
    }
}
