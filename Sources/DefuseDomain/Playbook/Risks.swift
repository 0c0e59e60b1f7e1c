/// The bear case: signals of bad faith, each with its evidence. Signals, not verdicts.
public struct Risk: Hashable, Sendable {
    public enum Code: String, CaseIterable, Sendable {
        case serialEscalator = "serial_escalator"
        case renewalTimed = "renewal_timed"
        case departedChampion = "departed_champion"
        case refundBait = "refund_bait"
        case productGap = "product_gap"
    }
    public var code: Code
    public var evidence: String
    /// What to do about it.
    public var advice: String
}

public enum Risks {
    /// The refund words of the spec: `(?i)\b(refunds?|money[- ]back|charge[- ]?backs?)\b`.
    public static func mentionsRefund(_ text: String) -> String? {
        let pattern = #/(?i)\b(refunds?|money[- ]back|charge[- ]?backs?)\b/#
        return (try? pattern.firstMatch(in: text)).flatMap { $0 }.map { String($0.output.0) }
    }

    /// `events` are the escalation's events up to the moment, in apply order.
    public static func derive(_ events: [EscalationEvent], _ ctx: PlaybookContext) -> [Risk] {
        guard let threat = events.first(where: { $0.kind == .threat }) else { return [] }
        let t = threat.at
        var out: [Risk] = []

        let window = ctx.threatMoments.filter { $0 <= t && $0 >= t - .days(365 as Int64) }
        if window.count >= 4 {
            out.append(Risk(code: .serialEscalator, evidence: "\(window.count) escalations in the 365 days up to this threat",
                            advice: "they are training you: hold the line on price"))
        }
        if let renewal = ctx.account.renewalDate {
            let threatDay = LocalTime.date(of: t, in: ctx.account.timeZone)
            let days = CalendarDate(utcOf: renewal).daysSinceEpoch - threatDay.daysSinceEpoch
            if (60...90).contains(days) {
                out.append(Risk(code: .renewalTimed, evidence: "renewal on \(CalendarDate(utcOf: renewal)), \(days) days after the threat",
                                advice: "possibly negotiation theater: keep the fix and the renewal apart"))
            }
        }
        if let change = ctx.accountEvents.last(where: { $0.kind == .sponsorChange && $0.at <= t && $0.at >= t - .days(90 as Int64) }) {
            out.append(Risk(code: .departedChampion, evidence: "executive sponsor changed \(ISO8601.format(change.at))\(change.detail.map { ": \($0)" } ?? "")",
                            advice: "a new buyer may be building a case to switch: win them, not just the ticket"))
        }
        var bait: String?
        if let w = mentionsRefund(threat.text ?? "") { bait = "the threat says \"\(w)\"" }
        for e in events {
            if e.kind == .diagnosed { break }
            if bait == nil, e.kind == .note {
                for key in ["text", "what_broke", "expected", "need_now", "pressure"] {
                    if let w = e[key].flatMap(mentionsRefund) { bait = "a \(e["phase"] ?? "") note says \"\(w)\""; break }
                }
            }
        }
        if let bait {
            out.append(Risk(code: .refundBait, evidence: bait + " before any diagnosis", advice: "diagnose first; money talk waits until the fix is known"))
        }
        if events.contains(where: { $0.kind == .marker && $0["name"] == MarkerName.productGap.rawValue }) {
            out.append(Risk(code: .productGap, evidence: "marked product_gap", advice: "the product does not do what was sold: fix the promise, not the tone"))
        }
        return out
    }
}
