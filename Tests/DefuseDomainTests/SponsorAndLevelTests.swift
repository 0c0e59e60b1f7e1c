import DefuseDomain
import Testing

@Suite("Rule 4: sponsor_change, and levels")
struct SponsorAndLevelTests {
    @Test("a sponsor change exactly 90 days ago does not raise it; 89 days ago does")
    func ninetyDays() {
        let asOf = "2026-12-01T00:00:00Z"
        #expect(health(events: [event(.sponsorChange, "2026-09-02T00:00:00Z")], asOf: asOf).flags.isEmpty) // 90 days
        #expect(health(events: [event(.sponsorChange, "2026-09-02T00:00:01Z")], asOf: asOf).flags == [.sponsorChange])
        #expect(health(events: [event(.sponsorChange, "2026-09-03T00:00:00Z")], asOf: asOf).flags == [.sponsorChange]) // 89 days
    }

    @Test("a sponsor change after the report's moment is ignored; one exactly at it counts")
    func afterAsOf() {
        #expect(health(events: [event(.sponsorChange, "2026-12-01T00:00:01Z")], asOf: "2026-12-01").flags.isEmpty)
        #expect(health(events: [event(.sponsorChange, "2026-12-01T00:00:00Z")], asOf: "2026-12-01").flags == [.sponsorChange])
    }

    @Test("other event kinds do not raise it")
    func otherKinds() {
        let evs = [AccountEventKind.healthCall, .churned, .renewed, .note].map { event($0, "2026-11-01") }
        #expect(health(events: evs, asOf: "2026-12-01").flags.isEmpty)
    }

    @Test("no flag is green, one is yellow, two or more are red; flags in the spec's order")
    func levels() {
        let asOf = "2026-12-01"
        #expect(health(asOf: asOf).level == .green)
        let waiting = [ticket("T1", .open, opened: "2026-01-01")]
        #expect(health(tickets: waiting, asOf: asOf).level == .yellow)
        let four = health(surveys: [nps(1, "2026-05-01"), nps(1, "2026-08-01")],
                          tickets: waiting + (2...6).map { ticket("T\($0)", .pending, opened: "2026-11-01") },
                          events: [event(.sponsorChange, "2026-11-01")], asOf: asOf)
        #expect(four.flags == [.consecutiveDetractors, .openTickets, .responseDelay, .sponsorChange])
        #expect(four.level == .red)
        #expect(HealthLevel(flagCount: 2) == .red)
    }
}

@Suite("Health call due and unheard signals")
struct HealthCallTests {
    let detractors = [nps(3, "2026-05-01T10:00:00Z"), nps(3, "2026-08-01T10:00:00Z")]
    let asOf = "2026-09-01T00:00:00Z"

    @Test("due when no health call came after the newest detractor answer")
    func dueWithoutCall() {
        #expect(health(surveys: detractors, asOf: asOf).healthCallDue)
    }

    @Test("a call before the newest answer leaves it due; a call after it clears it")
    func beforeVersusAfter() {
        #expect(health(surveys: detractors, events: [event(.healthCall, "2026-08-01T09:59:59Z")], asOf: asOf).healthCallDue)
        #expect(!health(surveys: detractors, events: [event(.healthCall, "2026-08-01T10:00:01Z")], asOf: asOf).healthCallDue)
    }

    @Test("a call at the same instant as the answer is not after it")
    func sameInstant() {
        #expect(health(surveys: detractors, events: [event(.healthCall, "2026-08-01T10:00:00Z")], asOf: asOf).healthCallDue)
    }

    @Test("a call after the report's moment does not count")
    func callAfterAsOf() {
        #expect(health(surveys: detractors, events: [event(.healthCall, "2026-09-02")], asOf: asOf).healthCallDue)
    }

    @Test("a new answer in a round that raises the flag makes it due again")
    func newAnswerReopens() {
        let more = detractors + [nps(2, "2026-08-20T00:00:00Z")]
        #expect(health(surveys: more, events: [event(.healthCall, "2026-08-10")], asOf: asOf).healthCallDue)
    }

    @Test("when both kinds raise it, only a call after the later of their newest answers clears it")
    func bothKinds() {
        let both = detractors + [csat(2, "2026-04-01"), csat(2, "2026-08-15T00:00:00Z")]
        #expect(health(surveys: both, events: [event(.healthCall, "2026-08-10")], asOf: asOf).healthCallDue)
        #expect(!health(surveys: both, events: [event(.healthCall, "2026-08-16")], asOf: asOf).healthCallDue)
    }

    @Test("not due without the flag, even after a lone detractor round")
    func noFlagNoCall() {
        #expect(!health(surveys: [nps(1, "2026-08-01")], asOf: asOf).healthCallDue)
    }

    @Test("a lone detractor round is an unheard signal without raising the flag or making a call due")
    func loneRoundUnheard() {
        let h = health(surveys: [nps(1, "2026-08-01")], asOf: "2026-09-01")
        #expect(h.hasUnheardSignal)
        #expect(h.flags.isEmpty)
        #expect(!h.healthCallDue)
    }

    @Test("exactly 90 days ago is outside the unheard window; 90 days less a second is inside")
    func unheardBoundary() {
        let s = [nps(1, "2026-06-02T00:00:00Z")]
        #expect(!health(surveys: s, asOf: "2026-08-31T00:00:00Z").hasUnheardSignal)
        #expect(health(surveys: s, asOf: "2026-08-30T23:59:59Z").hasUnheardSignal)
    }

    @Test("a health call after the newest detractor round's answer hears it, even if good rounds came after")
    func heardSignal() {
        let s = [nps(1, "2026-06-10"), nps(9, "2026-07-10")]
        #expect(health(surveys: s, asOf: "2026-08-01").hasUnheardSignal, "a good round after it does not clear it")
        #expect(!health(surveys: s, events: [event(.healthCall, "2026-06-11")], asOf: "2026-08-01").hasUnheardSignal)
        #expect(health(surveys: s, events: [event(.healthCall, "2026-06-09")], asOf: "2026-08-01").hasUnheardSignal)
    }

    @Test("the newest detractor round of either kind decides")
    func newestOfEitherKind() {
        let s = [nps(1, "2026-06-10"), csat(2, "2026-07-10")]
        #expect(health(surveys: s, events: [event(.healthCall, "2026-06-20")], asOf: "2026-08-01").hasUnheardSignal)
        #expect(!health(surveys: s, events: [event(.healthCall, "2026-07-20")], asOf: "2026-08-01").hasUnheardSignal)
    }
}
