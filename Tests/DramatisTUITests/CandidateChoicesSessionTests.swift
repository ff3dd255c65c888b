import DramatisBackends
import DramatisCore
import DramatisTestSupport
@testable import DramatisRuntime
import Foundation
import Testing
@testable import DramatisTUI

/// Candidates of one source through the chat screen's real path (reducer, `EffectRunner`, `ChoicesPump`, a real
/// `OpenAICompatibleBackend` against the loopback `FaultInjector`, a real `Recorder`): one request with `n` fills
/// every pane by choice index, its failure fails every side with one status line and loses nothing, and Ctrl-R on a
/// side asks for that side alone.
@Suite struct CandidateChoicesSessionTests {
    static let texts = ["Tea, obviously.", "Coffee. Strong and black.", "Water; stay hydrated."]

    /// A session on `server` whose chat compares three candidates of its own source (seeds 42, 43, 44).
    static func session(_ server: FaultInjector, home: TemporaryDirectory, blind: Bool = false, shuffleSeed: UInt64 = 0) async throws -> ChatSession {
        let store = TranscriptStore(directory: home.path("Transcripts"))
        let session = try await ChatSession(recorder: Recorder(transcripts: store, datasetRoot: home.path("Datasets")),
                                            backend: ChatFaultRecoveryTests.backend(server.baseURL))
        session.state.chat!.compare = CompareSetup.candidates(of: Fixtures.clippy, sampling: SamplingParameters(temperature: 0.7, seed: 42),
                                                              count: 3, blind: blind, shuffleSeed: shuffleSeed)
        return session
    }

    /// The latest round of the session's conversation.
    static func round(_ session: ChatSession) throws -> CompareRound {
        try #require(session.chat.conversation.turns.last { $0.compare != nil }?.compare)
    }

    @Test func anInterleavedThreeChoiceStreamFillsThreePanesFromOneRequest() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-choices")
        let server = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        let session = try await Self.session(server, home: home)
        await session.send("Tea or coffee?")
        let round = try Self.round(session)
        let conversation = session.chat.conversation
        #expect(round.sides.map(\.source) == ["A", "B", "C"])
        #expect(round.sides.map { conversation[$0.reply].text } == Self.texts)
        #expect(round.sides.map { conversation[$0.reply].reply?.finishReason } == [.stop, .stop, .stop])
        // Each reply records the sampling its choice used (seed + k) and its own token count.
        #expect(round.sides.map { conversation[$0.reply].reply?.sampling?.seed } == [42, 43, 44])
        #expect(round.sides.map { conversation[$0.reply].reply?.usage?.completionTokens } == [4, 7, 6])
        // One request for the three.
        #expect(server.requests.count == 1)
        #expect(String(decoding: try #require(server.requests.first).body, as: UTF8.self).contains("\"n\":3"))
        #expect(server.requests.first?.json?["seed"] as? Int == 42)
        #expect(session.chat.phase == .idle && session.chat.undecidedCompare != nil)
        // The recorder saved all three.
        let store = TranscriptStore(directory: home.path("Transcripts"))
        let saved = try store.load(store.url(for: conversation.id))
        #expect(try Self.round(session).sides.map { saved[$0.reply].text } == Self.texts)
        await server.stop()
    }

    @Test func blindPanesAreFilledByChoiceIndexOfTheirSource() async throws {
        // A shuffle seed whose first round does not show the sources in letter order.
        let probe = CompareSetup.candidates(of: Fixtures.clippy, sampling: SamplingParameters(seed: 42), count: 3, blind: true)
        let home = try TemporaryDirectory(prefix: "dramatis-choices-blind")
        let server = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        var session = try await Self.session(server, home: home, blind: true)
        let user = session.chat.conversation.turns.count
        let shuffle = try #require((0..<64).map(UInt64.init).first { seed in
            var setup = probe
            setup.shuffleSeed = seed
            return setup.paneOrder(forTurn: user).map(\.letter) != ["A", "B", "C"]
        })
        session = try await Self.session(server, home: home, blind: true, shuffleSeed: shuffle)
        await session.send("Tea or coffee?")
        let round = try Self.round(session)
        #expect(round.sides.map(\.source) != ["A", "B", "C"] && round.isBlind)
        let conversation = session.chat.conversation
        // Source A is choice 0, B choice 1, C choice 2, wherever its pane is.
        for side in round.sides {
            let choice = Int(side.source.unicodeScalars.first!.value) - 65
            #expect(conversation[side.reply].text == Self.texts[choice])
            #expect(conversation[side.reply].reply?.sampling?.seed == 42 + choice)
        }
        await server.stop()
    }

    @Test func aFailureOfTheOneRequestFailsEverySideAndCtrlRRegeneratesOneSideAlone() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-choices-fail")
        let broken = FaultResponse.sse([
            FaultResponse.chunk("Tea", index: 0), FaultResponse.chunk("Cof", index: 1), FaultResponse.chunk("Wat", index: 2),
            "{\"error\":{\"message\":\"slot crashed\",\"type\":\"server_error\"}}",
        ])
        let server = try await FaultInjector.start([broken, FaultResponse.sse([FaultResponse.chunk("Coffee, again."),
                                                                                FaultResponse.chunk(nil, finish: "stop"), "[DONE]"])])
        let session = try await Self.session(server, home: home)
        await session.send("Tea or coffee?")
        let expected = "The one request for all 3 candidates failed: scripted reported an error during the reply: slot crashed; partial reply kept, marked incomplete"
        #expect(session.chat.phase == .error(expected))
        #expect(session.renderedText.contains("error: \(expected)"), "status line: \(session.renderedText)")
        let round = try Self.round(session)
        let conversation = session.chat.conversation
        #expect(round.sides.map { conversation[$0.reply].text } == ["Tea", "Cof", "Wat"])
        #expect(round.sides.allSatisfy { conversation[$0.reply].reply?.finishReason == .incomplete })
        #expect(round.sides.allSatisfy { conversation[$0.reply].reply?.error == expected })
        #expect(conversation[conversation[round.sides[0].reply].parent!].text == "Tea or coffee?")
        // On disk too.
        let store = TranscriptStore(directory: home.path("Transcripts"))
        let saved = try store.load(store.url(for: conversation.id))
        #expect(round.sides.map { saved[$0.reply].text } == ["Tea", "Cof", "Wat"])

        // Ctrl-R on pane B: one request for that side alone, with its own seed.
        await session.press(.alt("."))
        #expect(session.chat.conversation.activePath.last == round.sides[1].reply)
        await session.press(.control("r"))
        #expect(server.requests.count == 2)
        let retry = try #require(server.requests.last?.json)
        #expect(retry["n"] == nil && retry["seed"] as? Int == 43)
        let after = try Self.round(session)
        #expect(after.sides[0].reply == round.sides[0].reply && after.sides[2].reply == round.sides[2].reply)
        #expect(session.chat.conversation[after.sides[1].reply].text == "Coffee, again.")
        #expect(session.chat.phase == .idle)
        await server.stop()
    }

    @Test func aChoiceThatEndsEarlyIsFinishedWhileTheOthersStream() async throws {
        let server = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        let inbox = try EventInbox()
        var request = ChatRequest(messages: [.user("Tea or coffee?")], sampling: SamplingParameters(seed: 42))
        request.choices = 3
        await ChoicesPump(ids: [10, 11, 12], backend: ChatFaultRecoveryTests.backend(server.baseURL), request: request, inbox: inbox).run()
        await server.stop()
        let events = inbox.drain()
        let finished = events.compactMap { event -> Int? in if case .streamFinished(let id, .stop, _, _) = event { id } else { nil } }
        #expect(finished == [10, 12, 11], "each choice finishes when it ends: the shortest first, the longest last")
        let tenFinished = try #require(events.firstIndex { if case .streamFinished(10, _, _, _) = $0 { true } else { false } })
        let elevenLastDelta = try #require(events.lastIndex { if case .streamDelta(11, _) = $0 { true } else { false } })
        #expect(tenFinished < elevenLastDelta)
        let texts = [10, 11, 12].map { id in
            events.reduce(into: "") { if case .streamDelta(id, let piece) = $1 { $0 += piece } }
        }
        #expect(texts == Self.texts)
    }

    @Test func aServerIgnoringNStillFillsEveryPane() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-choices-ignored")
        let server = try await FaultInjector.start([ScriptedReply.text("Only one."), ScriptedReply.text("Asked separately.")])
        let session = try await Self.session(server, home: home)
        await session.send("Tea or coffee?")
        let round = try Self.round(session)
        let conversation = session.chat.conversation
        #expect(round.sides.map { conversation[$0.reply].text } == ["Only one.", "Asked separately.", "Asked separately."])
        #expect(server.requests.count == 3)
        #expect(server.requests[0].json?["n"] as? Int == 3)
        #expect(Set(server.requests.dropFirst().compactMap { $0.json?["seed"] as? Int }) == [43, 44])
        await server.stop()
    }
}
