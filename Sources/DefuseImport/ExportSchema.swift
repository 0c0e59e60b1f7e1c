import DefuseDomain

/// The columns of each export (`data-formats.md`) and how a file is recognised by its header.
public enum ExportSchema {
    public static func columns(_ kind: ExportKind) -> (required: [String], optional: [String]) {
        switch kind {
        case .accounts:
            return (["account_id", "name", "arr_usd"], ["renewal_date", "csm", "exec_sponsor", "onboarded_on", "timezone"])
        case .surveys:
            return (["account_id", "kind", "score", "responded_at"], ["response_id", "scale", "comment"])
        case .tickets:
            return (["ticket_id", "account_id", "status", "opened_at"],
                    ["last_customer_message_at", "last_agent_reply_at", "closed_at", "subject"])
        case .events:
            return (["account_id", "kind", "at"], ["detail"])
        }
    }

    /// The kind whose columns the header shares most of, counting only the columns that set
    /// the kinds apart (every kind has `account_id`). Nil when no kind or two kinds fit equally.
    public static func recognise(header: [String]) -> ExportKind? {
        let names = Set(header)
        let scored = ExportKind.allCases.map { kind -> (ExportKind, Int) in
            let (req, opt) = columns(kind)
            let distinctive = (req + opt).filter { $0 != "account_id" && $0 != "kind" }
            return (kind, distinctive.filter(names.contains).count)
        }
        let best = scored.map(\.1).max() ?? 0
        let winners = scored.filter { $0.1 == best }
        guard best > 0, winners.count == 1 else { return nil }
        return winners[0].0
    }
}
