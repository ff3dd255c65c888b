import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The review queue in the real binary at 80×24: F3 from the picker, a mark lands in the transcript and the dataset,
/// the judge's suggestion is taken with Enter, and the queue resumes where it was left.
@Suite struct TUIReviewQueueTests {
    /// One autopilot-style transcript with three unmarked replies; the third judged 5/5.
    static func transcript() -> Conversation {
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let persona = Persona(id: "clippy", name: "Clippy", systemPrompt: "Clippy is a factual chatbot that is also sarcastic.")
        var conversation = Conversation(id: "20261120-100000-clippy-abcd", createdAt: date, persona: persona,
                                        backend: BackendDescriptor(name: "local", kind: "local", model: "smollm2"),
                                        sampling: SamplingParameters(temperature: 0, seed: 42))
        for (question, answer) in [("Capital of Italy?", "Rome, obviously."), ("Capital of Spain?", "Madrid, naturally."),
                                   ("Capital of Peru?", "Lima, as any atlas says.")] {
            let user = conversation.appendUserMessage(question, origin: .simulated, at: date)
            let reply = conversation.startReply(after: user, backend: "local", model: "smollm2", at: date)
            conversation.appendReplyText(answer, to: reply)
            conversation.finishReply(reply, reason: .stop)
        }
        conversation.setVerdict(JudgeVerdict(judge: "judge-persona-adherence", model: "gpt-4o", status: .scored, score: 5,
                                             reason: "Dry and correct.", raw: "SCORE: 5\nREASON: Dry and correct.", at: date), on: 5)
        return conversation
    }

    @Test func marksLandInTheDatasetAndTheQueueResumesWhereItWasLeft() async throws {
        try await onThread {
            // Nothing here sends a request; a closed port keeps the local engine from starting.
            let cacheParent = AppPaths.fromEnvironment().cacheRoot.deletingLastPathComponent().path
            let harness = try TUIChatHarness(backendURL: URL(string: "http://127.0.0.1:9/v1")!, arguments: [],
                                             environment: ["XDG_CACHE_HOME": cacheParent])
            let store = TranscriptStore(directory: harness.transcripts)
            let original = Self.transcript()
            try store.save(original)
            let tmux = harness.session
            defer { tmux.kill() }
            // The nine shipped assistants; the user simulators and the judge are not offered.
            try tmux.waitFor("9/9", timeout: 60)
            try tmux.press("F3")
            var screen = try tmux.waitFor("Item 1 of 3", timeout: 60)
            #expect(screen.contains("0 reviewed · 3 remaining"))
            #expect(screen.contains("Rome, obviously."))
            #expect(screen.contains("User (simulated)"))
            try tmux.type("+")
            screen = try tmux.waitFor("Item 2 of 3")
            #expect(screen.contains("1 reviewed · 2 remaining"))
            let marked = try harness.waitForSaved(store, id: original.id) { $0[1].mark?.value == .good }
            #expect(marked[3].mark == nil)
            let deadline = Date().addingTimeInterval(30)
            while !harness.dataset("clippy", "sft.jsonl").contains("Rome, obviously."), Date() < deadline { usleep(50_000) }
            #expect(harness.dataset("clippy", "sft.jsonl").contains("Rome, obviously."), "the mark is in the dataset at once")
            try tmux.type("s")
            screen = try tmux.waitFor("Item 3 of 3")
            #expect(screen.contains("Judge judge-persona-adherence: 5/5"))
            try tmux.press("Escape")
            try tmux.waitFor("pick a persona")
            // Back in: the queue resumes at the item it was left on (the skipped one stays queued before it).
            try tmux.press("F3")
            screen = try tmux.waitFor("Item 2 of 2", timeout: 60)
            #expect(screen.contains("Lima, as any atlas says."))
            try tmux.press("Enter")
            try tmux.waitFor("End of the queue")
            let saved = try harness.waitForSaved(store, id: original.id) { $0[5].mark?.value == .good }
            #expect(saved[3].mark == nil, "the skipped reply stays unmarked")
        }
    }

    /// A transcript with one undecided compare round (A and B answer "Capital of Italy?") judged "B better".
    static func comparedTranscript() -> Conversation {
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let persona = Persona(id: "clippy", name: "Clippy", systemPrompt: "Clippy is a factual chatbot that is also sarcastic.")
        var conversation = Conversation(id: "20261120-110000-clippy-cmpr", createdAt: date, persona: persona,
                                        backend: BackendDescriptor(name: "local", kind: "local", model: "smollm2"),
                                        sampling: SamplingParameters(temperature: 0, seed: 42))
        let user = conversation.appendUserMessage("Capital of Italy?", origin: .simulated, simulatedBy: "sim-curious-newcomer", at: date)
        var sides: [CompareSide] = []
        for (index, answer) in ["Rome.", "Rome, as even a goldfish knows."].enumerated() {
            let reply = conversation.startReply(after: user, backend: "local", model: "smollm2", at: date)
            conversation.appendReplyText(answer, to: reply)
            conversation.finishReply(reply, reason: .stop)
            sides.append(CompareSide(reply: reply, source: CompareRound.paneLetter(index), name: "clippy · seed \(42 + index)"))
        }
        conversation.beginCompare(under: user, sides: sides, blind: false)
        conversation.setCompareJudgement(PairwiseVerdict(judge: "judge-persona-adherence", model: "gpt-4o", status: .scored, preferred: "B",
                                                         reason: "B is dry.", raw: "PREFERENCE: B\nREASON: B is dry.", at: date), under: user)
        return conversation
    }

    @Test func aCompareItemIsDecidedWithOneKeyIntoBothDatasets() async throws {
        try await onThread {
            let cacheParent = AppPaths.fromEnvironment().cacheRoot.deletingLastPathComponent().path
            let harness = try TUIChatHarness(backendURL: URL(string: "http://127.0.0.1:9/v1")!, arguments: [],
                                             environment: ["XDG_CACHE_HOME": cacheParent])
            let store = TranscriptStore(directory: harness.transcripts)
            let original = Self.comparedTranscript()
            try store.save(original)
            let tmux = harness.session
            defer { tmux.kill() }
            try tmux.waitFor("9/9", timeout: 60)
            try tmux.press("F3")
            var screen = try tmux.waitFor("Item 1 of 1", timeout: 60)
            #expect(screen.contains("compare") && screen.contains("▶ A · clippy · seed 42") && screen.contains("▶ B · clippy · seed 43"))
            #expect(screen.contains("Rome, as even a goldfish knows.") && screen.contains("User (simulated by sim-curious-newcomer)"))
            #expect(screen.contains("Judge judge-persona-adherence: B better"))
            #expect(screen.contains("a/b A/B better"), "the hint line shows the compare keys: \(screen)")
            // + is not a compare decision: it says which keys are.
            try tmux.type("+")
            screen = try tmux.waitFor("A compare item: a/b better")
            // Enter takes the judge's preference: B good, A bad.
            try tmux.press("Enter")
            try tmux.waitFor("End of the queue")
            let decided = try harness.waitForSaved(store, id: original.id) { $0[0].compare?.decision != nil }
            #expect(decided[0].compare?.decision?.winner == "B" && decided[0].compare?.decision?.judge == nil)
            #expect(decided[2].mark?.value == .good && decided[1].mark?.value == .bad)
            let deadline = Date().addingTimeInterval(30)
            while !harness.dataset("clippy", "preference.jsonl").contains("goldfish"), Date() < deadline { usleep(50_000) }
            #expect(harness.dataset("clippy", "preference.jsonl").contains("Rome, as even a goldfish knows."), "a preference pair at once")
            #expect(harness.dataset("clippy", "sft.jsonl").contains("Rome, as even a goldfish knows."), "and an SFT line")
        }
    }
}
