import DefuseDomain
import Testing

@Suite("Playbook: refused events")
struct PlaybookRulesTests {
    let threat = "2026-03-05T14:02:00Z"

    @Test("a recap before any call is refused")
    func recapBeforeCall() {
        let b = LogBuilder(threatAt: threat)
        #expect(refusal(b, .recapSent, "2026-03-05T14:10:00Z")?.contains("hold the triage call") == true)
    }

    @Test("a recap with fewer than three commitments is refused unless forced, and forcing is a deviation")
    func recapNeedsThree() {
        var b = LogBuilder(threatAt: threat)
        b.add(.callStart, "2026-03-05T14:10:00Z")
        b.add(.commitment, "2026-03-05T14:20:00Z", ["text": "A", "owner": "kim", "due": "2026-03-09"])
        b.add(.commitment, "2026-03-05T14:21:00Z", ["text": "B", "owner": "kim", "due": "2026-03-10"])
        b.add(.callEnd, "2026-03-05T14:40:00Z")
        #expect(refusal(b, .recapSent, "2026-03-05T15:00:00Z")?.contains("three dated commitments (2 logged)") == true)
        #expect(refusal(b, .recapSent, "2026-03-05T15:00:00Z", ["force": "true"]) == nil)
        b.add(.recapSent, "2026-03-05T15:00:00Z", ["force": "true"])
        #expect(status(b, asOf: "2026-03-05T15:00:00Z").deviations == ["recap sent with 2 commitments instead of three (forced)"])
    }

    @Test("commitments count only when logged before the recap in event order")
    func commitmentsBeforeRecapInOrder() {
        var b = LogBuilder(threatAt: threat)
        b.add(.callStart, "2026-03-05T14:10:00Z")
        b.add(.commitment, "2026-03-05T14:20:00Z", ["text": "A", "owner": "kim", "due": "2026-03-09"])
        b.add(.commitment, "2026-03-05T14:21:00Z", ["text": "B", "owner": "kim", "due": "2026-03-10"])
        b.add(.commitment, "2026-03-05T17:00:00Z", ["text": "C", "owner": "kim", "due": "2026-03-11"]) // after the recap's time
        b.add(.callEnd, "2026-03-05T14:40:00Z")
        #expect(refusal(b, .recapSent, "2026-03-05T16:00:00Z") != nil)
        #expect(refusal(b, .recapSent, "2026-03-05T17:00:01Z") == nil)
    }

    @Test("a CEO decision without a CEO loop is refused; with one it moves the escalation to executing")
    func ceoDecision() {
        let b = throughRecap()
        #expect(refusal(b, .ceoDecision, "2026-03-05T17:00:00Z")?.contains("no CEO loop") == true)
        let flagship = ctx(arr: 100_001)
        #expect(status(b, flagship, asOf: "2026-03-05T16:30:00Z").state == .ceoLoop)
        #expect(refusal(b, .ceoDecision, "2026-03-05T17:00:00Z", in: flagship) == nil)
        var decided = b
        decided.add(.ceoDecision, "2026-03-05T17:00:00Z", ["text": "Ship the fix first"])
        #expect(status(decided, flagship, asOf: "2026-03-05T17:00:00Z").state == .executing)
        #expect(refusal(b, .ceoBriefed, "2026-03-05T16:10:00Z", in: flagship) == nil)
        var early = LogBuilder(threatAt: threat)
        early.add(.callStart, "2026-03-05T14:10:00Z")
        #expect(refusal(early, .ceoBriefed, "2026-03-05T14:20:00Z", in: flagship)?.contains("not in the CEO loop") == true)
    }

    @Test("a concession before resolved is refused without a manager's override")
    func concessionGuard() {
        let b = throughRecap()
        let f = ["kind": "discount", "amount": "5000"]
        #expect(refusal(b, .concession, "2026-03-06T10:00:00Z", f)?.contains("no concessions while the escalation is hot") == true)
        #expect(refusal(b, .concession, "2026-03-06T10:00:00Z", f.merging(["override": "renewal at stake"]) { $1 })?.contains("only a manager") == true)
        #expect(refusal(b, .concession, "2026-03-06T10:00:00Z", f.merging(["override": "renewal at stake"]) { $1 }, user: "lee") == nil)
        var resolved = b
        resolved.add(.resolved, "2026-03-08T10:00:00Z")
        #expect(refusal(resolved, .concession, "2026-03-09T10:00:00Z", f) == nil, "after resolved no override is needed")
        #expect(refusal(resolved, .concession, "2026-03-07T10:00:00Z", f) != nil, "placed before resolved, it is still hot")
    }

    @Test("anything after closed is refused, even dated before the closing")
    func afterClosed() {
        var b = throughRecap()
        b.add(.resolved, "2026-03-08T10:00:00Z")
        b.add(.closed, "2026-03-09T10:00:00Z")
        for kind in [EventKind.ack, .note, .publicPost, .marker, .diagnosed, .closed, .resolved] {
            #expect(refusal(b, kind, "2026-03-10T10:00:00Z", kind == .note ? ["phase": "listen"] : kind == .marker ? ["name": "press_risk"] : [:])?.contains("closed") == true)
            #expect(refusal(b, kind, "2026-03-08T11:00:00Z")?.contains("closed") == true)
        }
    }

    @Test("one triage call; call_end needs a started call, once")
    func calls() {
        var b = LogBuilder(threatAt: threat)
        #expect(refusal(b, .callEnd, "2026-03-05T14:05:00Z")?.contains("log call_start first") == true)
        b.add(.callStart, "2026-03-05T14:10:00Z")
        #expect(refusal(b, .callStart, "2026-03-05T14:11:00Z")?.contains("already started") == true)
        b.add(.callEnd, "2026-03-05T14:40:00Z")
        #expect(refusal(b, .callEnd, "2026-03-05T14:41:00Z")?.contains("already ended") == true)
    }

    @Test("notes and commitments need the call; commitments stop at resolved; done needs an open commitment")
    func notesAndCommitments() {
        var b = LogBuilder(threatAt: threat)
        #expect(refusal(b, .note, "2026-03-05T14:05:00Z", ["phase": "listen"]) != nil)
        #expect(refusal(b, .commitment, "2026-03-05T14:05:00Z", ["text": "x", "owner": "y", "due": "2026-03-09"]) != nil)
        b = throughRecap()
        #expect(refusal(b, .commitmentDone, "2026-03-06T10:00:00Z", ["n": "4"])?.contains("no commitment 4") == true)
        b.add(.commitmentDone, "2026-03-06T10:00:00Z", ["n": "1"])
        #expect(refusal(b, .commitmentDone, "2026-03-06T11:00:00Z", ["n": "1"])?.contains("already done") == true)
        b.add(.resolved, "2026-03-08T10:00:00Z")
        #expect(refusal(b, .commitment, "2026-03-08T11:00:00Z", ["text": "x", "owner": "y", "due": "2026-03-20"])?.contains("resolved") == true)
        #expect(refusal(b, .commitmentDone, "2026-03-08T11:00:00Z", ["n": "2"]) == nil, "a commitment can be delivered until closed")
    }

    @Test("updates need the call to have ended and stop at resolved; a public response needs a post")
    func updatesAndResponses() {
        var b = LogBuilder(threatAt: threat)
        b.add(.callStart, "2026-03-05T14:10:00Z")
        #expect(refusal(b, .updateSent, "2026-03-05T14:20:00Z") != nil)
        #expect(refusal(b, .publicResponse, "2026-03-05T14:20:00Z")?.contains("no public post") == true)
        b.add(.publicPost, "2026-03-05T14:30:00Z")
        #expect(refusal(b, .publicResponse, "2026-03-05T14:29:00Z") != nil, "a response placed before the post")
        var resolved = throughRecap()
        #expect(refusal(resolved, .updateSent, "2026-03-06T10:00:00Z") == nil)
        resolved.add(.resolved, "2026-03-07T10:00:00Z")
        #expect(refusal(resolved, .updateSent, "2026-03-07T10:00:01Z")?.contains("resolved") == true, "no updates after resolved")
        #expect(refusal(resolved, .updateSent, "2026-03-07T09:59:59Z") == nil, "placed before resolved it is allowed")
        #expect(refusal(b, .publicResponse, "2026-03-05T14:31:00Z") == nil)
    }

    @Test("resolved is refused in the CEO loop; closed needs resolved")
    func resolveAndClose() {
        let b = throughRecap()
        #expect(refusal(b, .resolved, "2026-03-06T10:00:00Z", in: ctx(arr: 200_000))?.contains("CEO decides first") == true)
        #expect(refusal(b, .closed, "2026-03-06T10:00:00Z")?.contains("log resolved first") == true)
        #expect(refusal(LogBuilder(threatAt: threat), .resolved, "2026-03-05T14:05:00Z") == nil, "a threat can be resolved at once")
    }

    @Test("an event placed earlier is refused when it would make a later one not allowed")
    func breaksLaterEvents() {
        var b = LogBuilder(threatAt: threat)
        b.add(.callStart, "2026-03-05T14:10:00Z")
        b.add(.note, "2026-03-05T14:12:00Z", ["phase": "listen"])
        // A resolution at 14:05 would leave the 14:10 call_start in a resolved escalation.
        #expect(refusal(b, .resolved, "2026-03-05T14:05:00Z")?.contains("no longer allowed") == true)
    }

    @Test("facts (a public post, a marker) are accepted anywhere while open and never invalidate later events")
    func facts() {
        var b = throughRecap()
        b.add(.updateSent, "2026-03-07T10:00:00Z")
        #expect(refusal(b, .publicPost, "2026-03-05T14:03:00Z", ["reach": "50000"]) == nil)
        #expect(refusal(b, .marker, "2026-03-05T14:03:00Z", ["name": "needs_roadmap_decision"]) == nil)
    }
}

@Suite("Playbook: event fields")
struct EventSchemaTests {
    @Test("a field not in the event's row is a usage problem; a bad value is an input problem")
    func problems() {
        #expect(EventSchema.normalise(.ack, ["owner": "x"]) == .failure(.unknownField("ack takes no owner (it takes: text)")))
        #expect(EventSchema.normalise(.commitment, ["text": "x", "owner": "y"]) == .failure(.badValue("commitment needs due")))
        #expect(EventSchema.normalise(.commitment, ["text": "x", "owner": "y", "due": "2026-02-30"]) == .failure(.badValue("due must be a calendar date YYYY-MM-DD, got \"2026-02-30\"")))
        #expect(EventSchema.normalise(.concession, ["kind": "bribe", "amount": "5"]) == .failure(.badValue("kind must be one of refund, discount, credit, feature, got \"bribe\"")))
        #expect(EventSchema.normalise(.concession, ["kind": "refund", "amount": "-5"]).isFailure)
        #expect(EventSchema.normalise(.commitmentDone, ["n": "0"]).isFailure)
        #expect(EventSchema.normalise(.note, ["text": "hi"]) == .failure(.badValue("note needs phase")))
        #expect(EventSchema.normalise(.marker, ["name": "PRESS_RISK"]) == .success(["name": "press_risk"]))
        #expect(EventSchema.normalise(.callStart, [:]) == .success([:]))
        #expect(EventSchema.flagNames == ["press", "force"])
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
