import DefuseDomain
import Testing

@Suite("Rule 1: consecutive_detractors")
struct ConsecutiveDetractorsTests {
    let asOf = "2026-12-01T00:00:00Z"

    @Test("two detractor rounds in a row raise the flag")
    func twoDetractorRounds() {
        let h = health(surveys: [nps(6, "2026-05-01"), nps(5, "2026-08-01")], asOf: asOf)
        #expect(h.flags == [.consecutiveDetractors])
        #expect(h.level == .yellow)
    }

    @Test("a round whose mean is exactly 7 is not a detractor round; 6.5 is")
    func meanExactlySeven() {
        let exactly7 = health(surveys: [nps(6, "2026-05-01"), nps(6, "2026-08-01"), nps(8, "2026-08-02")], asOf: asOf)
        #expect(!exactly7.flags.contains(.consecutiveDetractors))
        let below = health(surveys: [nps(6, "2026-05-01"), nps(6, "2026-08-01"), nps(7, "2026-08-02")], asOf: asOf)
        #expect(below.flags.contains(.consecutiveDetractors))
    }

    @Test("one detractor round alone never raises it, however many answers it has")
    func oneRoundAlone() {
        let h = health(surveys: [nps(0, "2026-07-01"), nps(1, "2026-08-01"), nps(2, "2026-09-01")], asOf: asOf)
        #expect(h.flags.isEmpty)
    }

    @Test("only the two most recent rounds count: an older detractor pair followed by a good round clears it")
    func onlyTwoMostRecent() {
        let cleared = health(surveys: [nps(3, "2026-02-01"), nps(3, "2026-05-01"), nps(9, "2026-08-01")], asOf: asOf)
        #expect(cleared.flags.isEmpty)
        let raised = health(surveys: [nps(9, "2026-02-01"), nps(3, "2026-05-01"), nps(3, "2026-08-01")], asOf: asOf)
        #expect(raised.flags == [.consecutiveDetractors])
    }

    @Test("rounds need not be in adjacent quarters")
    func nonAdjacentQuarters() {
        let h = health(surveys: [nps(4, "2025-01-15"), nps(4, "2026-10-15")], asOf: asOf)
        #expect(h.flags == [.consecutiveDetractors])
    }

    @Test("NPS and CSAT form separate rounds: one detractor round of each does not raise it")
    func kindsAreSeparate() {
        let h = health(surveys: [nps(4, "2026-05-01"), csat(4, "2026-08-01")], asOf: asOf)
        #expect(h.flags.isEmpty)
        let csatPair = health(surveys: [nps(9, "2026-05-01"), csat(4, "2026-05-01"), csat(2, "2026-08-01")], asOf: asOf)
        #expect(csatPair.flags == [.consecutiveDetractors])
    }

    @Test("quarter edges are UTC: 23:59:59 on 31 March is Q1, midnight on 1 April is Q2")
    func quarterEdge() {
        let split = health(surveys: [nps(4, "2026-03-31T23:59:59Z"), nps(4, "2026-04-01T00:00:00Z")], asOf: asOf)
        #expect(split.flags == [.consecutiveDetractors], "two quarters, two detractor rounds")
        let same = health(surveys: [nps(4, "2026-04-01T00:00:00Z"), nps(4, "2026-06-30T23:59:59Z")], asOf: asOf)
        #expect(same.flags.isEmpty, "both in Q2: one round")
    }

    @Test("an answer with a non-UTC offset falls in its UTC quarter")
    func offsetAnswerQuarter() {
        // 2026-03-31T21:30-05:00 is 2026-04-01T02:30Z: Q2, the same round as the April answer.
        let h = health(surveys: [nps(4, "2026-03-31T21:30:00-05:00"), nps(4, "2026-04-20T00:00:00Z")], asOf: asOf)
        #expect(h.flags.isEmpty)
        #expect(h.evidence.rounds.map(\.label) == ["2026-Q2"])
        // 2026-04-01T04:00+05:30 is 2026-03-31T22:30Z: Q1.
        let back = health(surveys: [nps(4, "2026-04-01T04:00:00+05:30"), nps(4, "2026-04-20T00:00:00Z")], asOf: asOf)
        #expect(back.evidence.rounds.map(\.label) == ["2026-Q1", "2026-Q2"])
        #expect(back.flags == [.consecutiveDetractors])
    }

    @Test("the account's time zone does not move quarters")
    func timeZoneIgnoredForQuarters() {
        let a = account(tz: "Pacific/Auckland")
        let h = health(a, surveys: [nps(4, "2026-03-31T23:00:00Z"), nps(4, "2026-04-01T01:00:00Z")], asOf: asOf)
        #expect(h.evidence.rounds.map(\.label) == ["2026-Q1", "2026-Q2"])
    }

    @Test("answers before onboarding do not count; one exactly at onboarding does")
    func onboarding() {
        let a = account(onboarded: "2026-04-01")
        let before = health(a, surveys: [nps(2, "2026-03-31T23:59:59Z"), nps(2, "2026-08-01")], asOf: asOf)
        #expect(before.flags.isEmpty)
        let at = health(a, surveys: [nps(2, "2026-04-01T00:00:00Z"), nps(2, "2026-06-01")], asOf: asOf)
        #expect(at.flags.isEmpty, "both in Q2: one round")
        let two = health(a, surveys: [nps(2, "2026-04-01T00:00:00Z"), nps(2, "2026-07-01")], asOf: asOf)
        #expect(two.flags == [.consecutiveDetractors])
    }

    @Test("answers after the report's moment are ignored; one exactly at it counts")
    func afterAsOf() {
        let later = health(surveys: [nps(2, "2026-05-01"), nps(2, "2026-12-01T00:00:01Z")], asOf: asOf)
        #expect(later.flags.isEmpty)
        let exactly = health(surveys: [nps(2, "2026-05-01"), nps(2, "2026-12-01T00:00:00Z")], asOf: asOf)
        #expect(exactly.flags == [.consecutiveDetractors])
    }

    @Test("a later good answer in the newest quarter can lift its mean out of detractor")
    func meanOfRound() {
        let h = health(surveys: [nps(2, "2026-05-01"), nps(4, "2026-10-02"), nps(10, "2026-11-02")], asOf: asOf)
        #expect(h.flags.isEmpty) // (4 + 10) / 2 = 7
    }

    @Test("a changed threshold is used")
    func threshold() {
        var th = HealthThresholds()
        th.detractorBelow = 5
        let h = health(surveys: [nps(6, "2026-05-01"), nps(5, "2026-08-01")], asOf: asOf, thresholds: th)
        #expect(h.flags.isEmpty)
    }
}
