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
    /// The refund words of the spec, `(?i)\b(refunds?|money[- ]back|charge[- ]?backs?)\b`,
    /// matched by hand: a Swift Regex costs a thousand times more, and `esc list` runs this
    /// over every note of every escalation. Letters, digits, `_` and non-ASCII are word characters.
    public static func mentionsRefund(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { mentionsRefund($0) }
    }

    /// True when the bytes could hold a refund word: one of its stems appears, in any case.
    /// A cheap test before the exact one (most notes say nothing of money).
    static func mayMentionRefund(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 4 else { return false }
        for i in 0..<(b.count - 3) {
            switch b[i] | 0x20 {
            case UInt8(ascii: "r"), UInt8(ascii: "m"), UInt8(ascii: "c"):
                let stem: StaticString = b[i] | 0x20 == UInt8(ascii: "r") ? "refund" : b[i] | 0x20 == UInt8(ascii: "m") ? "money" : "charge"
                let n = stem.utf8CodeUnitCount
                guard i + n <= b.count else { continue }
                var k = 1
                while k < n, b[i + k] | 0x20 == stem.utf8Start[k] { k += 1 }
                if k == n { return true }
            default: continue
            }
        }
        return false
    }

    static func mentionsRefund(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        func lower(_ i: Int) -> UInt8 { b[i] >= 65 && b[i] <= 90 ? b[i] + 32 : b[i] }
        func isWord(_ i: Int) -> Bool {
            let c = b[i]
            return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80
        }
        func literal(_ at: Int, _ word: StaticString) -> Int? {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard at + w.count <= b.count else { return nil }
            for k in 0..<w.count where lower(at + k) != w[k] { return nil }
            return at + w.count
        }
        func boundaryAfter(_ end: Int) -> Bool { end == b.count || !isWord(end) }
        /// Ends of the alternatives at `i`, longest first (as backtracking would try them).
        func ends(_ i: Int) -> [Int] {
            var out: [Int] = []
            if let e = literal(i, "refund") {
                if let s = literal(e, "s") { out.append(s) }
                out.append(e)
            }
            if let m = literal(i, "money"), m < b.count, b[m] == 45 || b[m] == 32, let e = literal(m + 1, "back") { out.append(e) }
            if let c = literal(i, "charge") {
                var starts = [c]
                if c < b.count, b[c] == 45 || b[c] == 32 { starts.insert(c + 1, at: 0) }
                for st in starts {
                    if let e = literal(st, "back") {
                        if let s = literal(e, "s") { out.append(s) }
                        out.append(e)
                    }
                }
            }
            return out
        }
        for i in b.indices where i == 0 || !isWord(i - 1) {
            guard isWord(i) else { continue }
            if let end = ends(i).first(where: boundaryAfter) {
                return String(decoding: b[i..<end], as: UTF8.self)
            }
        }
        return nil
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
            let threatDay = LocalTime.date(of: t, in: ctx.zone)
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
        for i in events.indices where bait == nil {
            if events[i].kind == .diagnosed { break }
            if events[i].kind == .note, events[i].withFieldsBytes(Risks.mayMentionRefund) {
                for key in ["text", "what_broke", "expected", "need_now", "pressure"] {
                    if let w = events[i][key].flatMap(mentionsRefund) { bait = "a \(events[i]["phase"] ?? "") note says \"\(w)\""; break }
                }
            }
        }
        if let bait {
            out.append(Risk(code: .refundBait, evidence: bait + " before any diagnosis", advice: "diagnose first; money talk waits until the fix is known"))
        }
        if events.indices.contains(where: { events[$0].kind == .marker && events[$0]["name"] == MarkerName.productGap.rawValue }) {
            out.append(Risk(code: .productGap, evidence: "marked product_gap", advice: "the product does not do what was sold: fix the promise, not the tone"))
        }
        return out
    }
}

