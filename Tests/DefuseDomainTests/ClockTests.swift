import DefuseDomain
import Testing

@Suite("Playbook clocks")
struct ClockTests {
    @Test("acknowledge in 60 minutes, met by the first ack or call_start; the call in 15")
    func acknowledgeAndCall() {
        var b = LogBuilder(threatAt: "2026-03-05T14:02:00Z")
        var s = status(b, asOf: "2026-03-05T14:10:00Z")
        #expect(clock(s, "acknowledge").map { [ISO8601.format($0.startedAt), ISO8601.format($0.due), $0.state.rawValue] }
                == ["2026-03-05T14:02:00Z", "2026-03-05T15:02:00Z", "pending"])
        #expect(clock(s, "acknowledge")?.metAt == nil)
        #expect(clock(s, "triage_call")?.state == .pending)
        #expect(status(b, asOf: "2026-03-05T14:17:00Z").clocks.map(\.state) == [.pending, .breached], "due <= T is breached")
        b.add(.callStart, "2026-03-05T14:20:00Z")
        s = status(b, asOf: "2026-03-05T14:30:00Z")
        #expect(clock(s, "acknowledge")?.state == .met)
        #expect(clock(s, "acknowledge")?.metAt == t("2026-03-05T14:20:00Z"))
        #expect(clock(s, "triage_call")?.state == .metLate)
        #expect(status(b, asOf: "2026-03-05T14:19:59Z").clocks.map(\.state) == [.pending, .breached], "events after T are not seen")
    }

    @Test("a clock appears once the event that starts it is at or before the moment")
    func appears() {
        let b = throughRecap()
        #expect(status(b, asOf: "2026-03-05T14:49:59Z").clocks.map(\.name) == ["acknowledge", "triage_call", "commitment:1", "commitment:2", "commitment:3"])
        #expect(status(b, asOf: "2026-03-05T14:50:00Z").clocks.map(\.name) == ["acknowledge", "triage_call", "recap", "status_update", "commitment:1", "commitment:2", "commitment:3"])
    }

    @Test("recap within 2 hours of the call's end")
    func recap() {
        let b = throughRecap(callEnd: "2026-03-05T14:50:00Z", recap: "2026-03-05T16:50:00Z")
        #expect(clock(status(b, asOf: "2026-03-05T17:00:00Z"), "recap")?.state == .met, "exactly at the due time is met")
        let late = throughRecap(callEnd: "2026-03-05T14:50:00Z", recap: "2026-03-05T16:50:01Z")
        #expect(clock(status(late, asOf: "2026-03-05T17:00:00Z"), "recap")?.state == .metLate)
    }

    @Test("status updates are due at 17:00 local two days on, across DST", arguments: [
        // zone, call end (UTC), first due (UTC)
        ("America/New_York", "2026-03-06T15:00:00Z", "2026-03-08T21:00:00Z"),  // 17:00 EDT on the switch day
        ("America/New_York", "2026-03-05T15:00:00Z", "2026-03-07T22:00:00Z"),  // 17:00 EST the day before
        ("Australia/Sydney", "2026-04-03T01:00:00Z", "2026-04-05T07:00:00Z"),  // 17:00 AEST as DST ends
        ("Australia/Sydney", "2026-04-02T01:00:00Z", "2026-04-04T06:00:00Z"),  // 17:00 AEDT
        ("Europe/Berlin", "2026-10-23T10:00:00Z", "2026-10-25T16:00:00Z"),     // 17:00 CET as DST ends
        ("Europe/Berlin", "2026-10-22T10:00:00Z", "2026-10-24T15:00:00Z"),     // 17:00 CEST
        ("Asia/Kolkata", "2026-06-10T20:00:00Z", "2026-06-13T11:30:00Z"),      // 01:30 IST on the 11th: local date counts
        ("UTC", "2026-06-10T23:59:59Z", "2026-06-12T17:00:00Z"),
    ])
    func statusUpdateDue(zone: String, callEnd: String, due: String) {
        #expect(Clocks.statusUpdateDue(after: t(callEnd), zone: zone) == t(due))
    }

    @Test("each update meets the open cycle and starts the next; late cycles are counted")
    func cycles() {
        var b = throughRecap(callEnd: "2026-03-05T15:00:00Z")  // New York: first due Sat 7 Mar 22:00Z
        let c = ctx(tz: "America/New_York")
        var s = status(b, c, asOf: "2026-03-07T21:59:59Z")
        #expect(clock(s, "status_update").map { [$0.state.rawValue, ISO8601.format($0.due)] } == ["pending", "2026-03-07T22:00:00Z"])
        #expect(clock(status(b, c, asOf: "2026-03-07T22:00:00Z"), "status_update")?.state == .breached)
        b.add(.updateSent, "2026-03-07T23:00:00Z")  // late: 18:00 EST
        s = status(b, c, asOf: "2026-03-08T00:00:00Z")
        let u = clock(s, "status_update")
        #expect(u?.cycle == 2)
        #expect(u?.lateCount == 1)
        #expect(u?.due == t("2026-03-09T21:00:00Z"), "reference 7 Mar local, due 9 Mar 17:00 EDT")
        b.add(.updateSent, "2026-03-09T20:00:00Z")
        let third = clock(status(b, c, asOf: "2026-03-09T20:30:00Z"), "status_update")
        #expect(third?.cycle == 3)
        #expect(third?.lateCount == 1)
    }

    @Test("resolved ends the open update cycle: met at the resolution when in time, else breached")
    func resolvedEndsCycle() {
        var b = throughRecap(callEnd: "2026-03-05T15:00:00Z")
        b.add(.resolved, "2026-03-06T12:00:00Z")
        let s = status(b, asOf: "2026-03-20T00:00:00Z")
        #expect(clock(s, "status_update").map { [$0.state.rawValue, $0.metAt.map(ISO8601.format) ?? "-"] } == ["met", "2026-03-06T12:00:00Z"])
        var late = throughRecap(callEnd: "2026-03-05T15:00:00Z")
        late.add(.resolved, "2026-03-08T12:00:00Z")
        #expect(clock(status(late, asOf: "2026-03-20T00:00:00Z"), "status_update")?.state == .breached)
        #expect(clock(status(late, asOf: "2026-03-20T00:00:00Z"), "recap")?.state == .met, "other clocks keep their state")
    }

    @Test("the public response clock shows the latest post; earlier ones answered late are counted")
    func publicResponse() {
        var b = LogBuilder(threatAt: "2026-03-05T14:00:00Z")
        b.add(.publicPost, "2026-03-05T15:00:00Z")
        b.add(.publicResponse, "2026-03-05T16:30:00Z")  // 30 minutes late
        b.add(.publicPost, "2026-03-06T09:00:00Z")
        var s = status(b, asOf: "2026-03-06T09:30:00Z")
        #expect(clock(s, "public_response").map { [$0.state.rawValue, ISO8601.format($0.due), String($0.lateCount ?? -1)] } == ["pending", "2026-03-06T10:00:00Z", "1"])
        b.add(.publicPost, "2026-03-06T09:10:00Z")
        b.add(.publicResponse, "2026-03-06T09:50:00Z")  // answers both open posts
        s = status(b, asOf: "2026-03-06T12:00:00Z")
        #expect(clock(s, "public_response").map { [$0.state.rawValue, String($0.lateCount ?? -1)] } == ["met", "1"])
        var unanswered = LogBuilder(threatAt: "2026-03-05T14:00:00Z")
        unanswered.add(.publicPost, "2026-03-05T15:00:00Z")
        unanswered.add(.publicPost, "2026-03-05T15:30:00Z")
        #expect(clock(status(unanswered, asOf: "2026-03-05T15:59:59Z"), "public_response")?.lateCount == 0, "the first is not yet past due")
        #expect(clock(status(unanswered, asOf: "2026-03-05T16:00:00Z"), "public_response")?.lateCount == 1)
    }

    @Test("a commitment is due at 17:00 local on its date and met by its done event")
    func commitments() {
        var b = throughRecap(dues: ["2026-03-08", "2026-03-09", "2026-03-10"])
        b.add(.commitmentDone, "2026-03-08T20:59:59Z", ["n": "1"])
        b.add(.commitmentDone, "2026-03-09T21:00:01Z", ["n": "2"])
        let s = status(b, ctx(tz: "America/New_York"), asOf: "2026-03-10T21:00:00Z")
        #expect(s.clocks.filter { $0.name.hasPrefix("commitment") }.map(\.state) == [.met, .metLate, .breached])
        #expect(clock(s, "commitment:1")?.due == t("2026-03-08T21:00:00Z"))
    }
}

@Suite("Playbook: bear case and CEO loop")
struct RiskAndCEOTests {
    let threat = "2026-06-15T12:00:00Z"

    func risks(_ c: PlaybookContext, _ build: (inout LogBuilder) -> Void = { _ in }) -> [Risk.Code] {
        var b = LogBuilder(threatAt: threat)
        build(&b)
        return status(b, c, asOf: "2026-06-20T00:00:00Z").risks.map(\.code)
    }

    @Test("serial escalator: the 4th escalation in 365 days, both ends included, this one counted")
    func serial() {
        let three = ["2025-06-15T12:00:00Z", "2026-01-01T00:00:00Z", threat]
        #expect(risks(ctx(threats: three)) == [])
        #expect(risks(ctx(threats: three + ["2026-06-15T12:00:00Z"])) == [.serialEscalator], "another at the same instant counts")
        #expect(risks(ctx(threats: ["2025-06-15T11:59:59Z", "2026-01-01", "2026-02-01", threat])) == [], "a day and a second too old")
        #expect(risks(ctx(threats: ["2025-06-15T12:00:00Z", "2026-01-01", "2026-02-01", threat])) == [.serialEscalator])
        #expect(risks(ctx(threats: ["2026-01-01", "2026-02-01", threat, "2026-06-16"])) == [], "later escalations do not count")
    }

    @Test("renewal timed: 60 to 90 days after the threat's local date", arguments: [
        ("2026-08-13", false), ("2026-08-14", true), ("2026-09-13", true), ("2026-09-14", false),
    ])
    func renewal(renewal: String, raised: Bool) {
        // 59, 60, 90 and 91 days after 2026-06-15.
        #expect(risks(ctx(renewal: renewal)) == (raised ? [.renewalTimed] : []))
    }

    @Test("renewal timed uses the threat's local date")
    func renewalLocalDate() {
        // 2026-06-15T02:00Z is still 14 June in New York: 2026-08-13 is 60 days after that.
        var b = LogBuilder(threatAt: "2026-06-15T02:00:00Z")
        b.add(.ack, "2026-06-15T02:01:00Z")
        #expect(status(b, ctx(tz: "America/New_York", renewal: "2026-08-13"), asOf: "2026-06-16").risks.map(\.code) == [.renewalTimed])
        #expect(status(b, ctx(tz: "UTC", renewal: "2026-08-13"), asOf: "2026-06-16").risks.map(\.code) == [])
    }

    @Test("departed champion: a sponsor change in the 90 days before the threat, both ends included")
    func departedChampion() {
        func change(_ at: String) -> [AccountEvent] { [AccountEvent(accountID: "A-1", kind: .sponsorChange, at: t(at))] }
        #expect(risks(ctx(events: change("2026-03-17T12:00:00Z"))) == [.departedChampion], "exactly 90 days")
        #expect(risks(ctx(events: change("2026-03-17T11:59:59Z"))) == [], "90 days and a second")
        #expect(risks(ctx(events: change("2026-03-16T12:00:00Z"))) == [], "91 days")
        #expect(risks(ctx(events: change("2026-06-15T12:00:01Z"))) == [], "after the threat")
    }

    @Test("refund bait: refund words in the threat or in notes before the first diagnosis")
    func refundBait() {
        #expect(Risks.mentionsRefund("we want our MONEY-BACK") == "MONEY-BACK")
        #expect(Risks.mentionsRefund("a chargeback is coming") == "chargeback")
        #expect(Risks.mentionsRefund("Refunds please") == "Refunds")
        #expect(Risks.mentionsRefund("nonrefundable fees") == nil, "word boundaries")
        var b = LogBuilder(threatAt: threat, text: "Fix it or we post")
        b.add(.callStart, "2026-06-15T12:10:00Z")
        b.add(.note, "2026-06-15T12:15:00Z", ["phase": "listen", "need_now": "a full refund"])
        #expect(status(b, asOf: "2026-06-16").risks.map(\.code) == [.refundBait])
        var after = LogBuilder(threatAt: threat, text: "Fix it or we post")
        after.add(.callStart, "2026-06-15T12:10:00Z")
        after.add(.diagnosed, "2026-06-15T12:12:00Z", ["text": "a bad index"])
        after.add(.note, "2026-06-15T12:15:00Z", ["phase": "listen", "need_now": "a full refund"])
        #expect(status(after, asOf: "2026-06-16").risks.map(\.code) == [], "after the diagnosis it is a fair ask")
        #expect(risks(ctx()) == [])
        var threatWords = LogBuilder(threatAt: threat, text: "Give us a refund or else")
        threatWords.add(.diagnosed, "2026-06-15T12:12:00Z")
        #expect(status(threatWords, asOf: "2026-06-16").risks.map(\.code) == [.refundBait], "the threat's words always count")
    }

    @Test("product gap comes from its marker; risks are listed in the spec's order")
    func productGapAndOrder() {
        let all = risks(ctx(renewal: "2026-08-20", events: [AccountEvent(accountID: "A-1", kind: .sponsorChange, at: t("2026-06-01"))],
                            threats: ["2026-01-01", "2026-02-01", "2026-03-01", threat])) { b in
            b.add(.marker, "2026-06-15T12:05:00Z", ["name": "product_gap"])
            b.events[0].fields["text"] = "refund now"
        }
        #expect(all == [.serialEscalator, .renewalTimed, .departedChampion, .refundBait, .productGap])
    }

    @Test("flagship: ARR above 100,000 (not at it), or in the 20 largest (not the 21st)", arguments: [
        (100_000.0, 21, false), (100_001.0, 21, true), (50_000.0, 20, true), (50_000.0, 21, false),
    ])
    func flagship(arr: Double, rank: Int, expected: Bool) {
        #expect(ctx(arr: arr, rank: rank).isFlagship == expected)
    }

    @Test("flagship_top_n = 0 turns the rank off")
    func topNOff() {
        var th = PlaybookThresholds()
        th.flagshipTopN = 0
        #expect(!ctx(arr: 50_000, rank: 1, thresholds: th).isFlagship)
    }

    @Test("press risk: reach 10,000 or more on the threat or a post, --press, or the marker; reasons in order", arguments: [
        (9_999, nil as Int?, false), (10_000, nil, true), (0, 9_999, false), (0, 10_000, true),
    ])
    func pressReach(threatReach: Int, postReach: Int?, expected: Bool) {
        var b = LogBuilder(threatAt: threat, reach: threatReach)
        if let postReach { b.add(.publicPost, "2026-06-15T13:00:00Z", ["reach": String(postReach)]) }
        #expect(status(b, asOf: "2026-06-16").ceoReasons == (expected ? [.pressRisk] : []))
    }

    @Test("every reason, in the spec's order")
    func allReasons() {
        var b = LogBuilder(threatAt: threat, press: true)
        b.add(.marker, "2026-06-15T12:01:00Z", ["name": "hostile_reference"])
        b.add(.marker, "2026-06-15T12:02:00Z", ["name": "needs_roadmap_decision"])
        #expect(status(b, ctx(arr: 500_000), asOf: "2026-06-16").ceoReasons == [.flagship, .roadmapDecision, .hostileReference, .pressRisk])
    }
}
