import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisBackends

/// Several choices of one request (`n`): what `OpenAICompatibleBackend.streamChoices` sends, how it splits an
/// interleaved stream by choice, and its policy for servers that reject or ignore `n`, against the loopback
/// `FaultInjector`.
@Suite struct ChoicesStreamTests {
    static let texts = ["Tea, obviously.", "Coffee. Strong and black.", "Water; stay hydrated."]

    /// Every event of a several-choice stream, by choice, and the error that ended it.
    struct Collected {
        var events: [Int: [ChatEvent]] = [:]
        var failures: [Int: BackendError] = [:]
        var error: Error?
        /// Choice indices in arrival order of their delta events (to see the interleaving).
        var deltaOrder: [Int] = []
        /// Every event in arrival order, with its choice.
        var sequence: [(choice: Int, event: ChatEvent)] = []

        func text(_ choice: Int) -> String {
            (events[choice] ?? []).reduce(into: "") { if case .delta(let piece) = $1 { $0 += piece } }
        }
        func finish(_ choice: Int) -> FinishReason? {
            (events[choice] ?? []).lazy.compactMap { if case .finished(let reason) = $0 { reason } else { nil } }.first
        }
        func usage(_ choice: Int) -> TokenUsage? {
            (events[choice] ?? []).lazy.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first
        }
    }

    static func collectChoices(_ backend: any ChatBackend, _ request: ChatRequest) async -> Collected {
        var collected = Collected()
        do {
            for try await item in backend.streamChoices(request) {
                switch item {
                case .event(let choice, let event):
                    collected.events[choice, default: []].append(event)
                    collected.sequence.append((choice, event))
                    if case .delta = event { collected.deltaOrder.append(choice) }
                case .failed(let choice, let error):
                    collected.failures[choice] = error
                }
            }
        } catch {
            collected.error = error
        }
        return collected
    }

    static func backend(_ server: FaultInjector, supportsChoices: Bool = true) -> OpenAICompatibleBackend {
        OpenAICompatibleBackend(name: "scripted", baseURL: server.baseURL, model: "test-model", connectTimeout: 5, idleTimeout: 10,
                                retryPolicy: RetryPolicy(maxRetries: 0), supportsChoices: supportsChoices)
    }

    static func request(choices: Int) -> ChatRequest {
        var request = helloRequest
        request.choices = choices
        return request
    }

    @Test func oneRequestWithNSplitsTheInterleavedStreamByChoice() async throws {
        let server = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        let collected = await Self.collectChoices(Self.backend(server), Self.request(choices: 3))
        await server.stop()
        #expect(collected.error == nil && collected.failures.isEmpty)
        #expect((0..<3).map(collected.text) == Self.texts)
        #expect((0..<3).map(collected.finish) == [.stop, .stop, .stop])
        // llama.cpp's usage chunk after each choice's finish belongs to that choice.
        #expect((0..<3).map { collected.usage($0)?.completionTokens } == [4, 7, 6])
        #expect(collected.deltaOrder.prefix(3) == [0, 1, 2], "the pieces arrive interleaved")
        // Choice 0 (the shortest) ends, with its usage and timing, while choice 1 still streams.
        let zeroEnded = try #require(collected.sequence.firstIndex { if $0.choice == 0, case .timing = $0.event { true } else { false } })
        let oneLastDelta = try #require(collected.sequence.lastIndex { if $0.choice == 1, case .delta = $0.event { true } else { false } })
        #expect(zeroEnded < oneLastDelta)
        // Each choice ends with its own timing, after its finish and usage.
        for choice in 0..<3 {
            guard case .timing(let timing)? = collected.events[choice]?.last else { Issue.record("no timing for \(choice)"); continue }
            #expect(timing.timeToFirstToken != nil)
        }
        // One request, asking for three choices.
        #expect(server.requests.count == 1)
        let body = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
        #expect(body.contains("\"n\":3"))
        #expect(server.requests.first?.json?["seed"] as? Int == 42)
    }

    @Test func aSingleReplyStillSendsNoNAndSeesChoiceZeroOnly() async throws {
        let server = try await FaultInjector.start([FaultResponse.choices(Self.texts)])
        let reply = await collect(Self.backend(server), helloRequest)
        await server.stop()
        #expect(reply.error == nil)
        #expect(reply.text == Self.texts[0])
        #expect(server.requests.first?.json?["n"] == nil)
    }

    @Test func aServerIgnoringNGetsTheMissingChoicesAskedForSeparatelyWithTheirSeeds() async throws {
        // The server answers every request with one choice (index 0), whatever `n` says.
        let server = try await FaultInjector.start([ScriptedStream.text("Only one."), ScriptedStream.text("Separate.")])
        let backend = Self.backend(server)
        let collected = await Self.collectChoices(backend, Self.request(choices: 3))
        #expect(collected.error == nil && collected.failures.isEmpty)
        #expect(collected.text(0) == "Only one.")
        #expect(collected.text(1) == "Separate." && collected.text(2) == "Separate.")
        #expect(server.requests.count == 3)
        #expect(server.requests[0].json?["n"] as? Int == 3)
        let separate = server.requests.dropFirst().compactMap(\.json)
        #expect(separate.allSatisfy { $0["n"] == nil })
        #expect(Set(separate.compactMap { $0["seed"] as? Int }) == [43, 44])
        // The backend remembers: the next round asks for each choice on its own at once, without `n`.
        let next = await Self.collectChoices(backend, Self.request(choices: 2))
        #expect(next.text(0) == "Separate." && next.text(1) == "Separate.")
        #expect(server.requests.count == 5)
        #expect(server.requests.dropFirst(3).allSatisfy { $0.json?["n"] == nil })
        await server.stop()
    }

    @Test func a4xxNamingNFallsBackToParallelRequests() async throws {
        // llama-server's answer when n exceeds its --parallel slots.
        let rejected = FaultResponse.plain(status: 400, contentType: "application/json",
                                           body: "{\"error\":{\"code\":400,\"message\":\"Field 'n': Value must be between 1 <= value <= 2, but got 3\",\"type\":\"invalid_request_error\"}}")
        let server = try await FaultInjector.start([rejected, ScriptedStream.text("Separately.")])
        let collected = await Self.collectChoices(Self.backend(server), Self.request(choices: 3))
        await server.stop()
        #expect(collected.error == nil && collected.failures.isEmpty)
        #expect((0..<3).map(collected.text) == ["Separately.", "Separately.", "Separately."])
        #expect(server.requests.count == 4)
        #expect(Set(server.requests.dropFirst().compactMap { $0.json?["seed"] as? Int }) == [42, 43, 44])
    }

    @Test func another4xxFailsTheWholeRequest() async throws {
        let rejected = FaultResponse.plain(status: 400, contentType: "application/json",
                                           body: "{\"error\":{\"message\":\"context too long\"}}")
        let server = try await FaultInjector.start([rejected])
        let collected = await Self.collectChoices(Self.backend(server), Self.request(choices: 2))
        await server.stop()
        let error = try #require(collected.error as? BackendError)
        #expect(error.message.contains("context too long"))
        #expect(server.requests.count == 1)
    }

    @Test func withoutSupportForNEachChoiceIsItsOwnRequestAndFailsAlone() async throws {
        let rejected = FaultResponse.plain(status: 500, contentType: "application/json", body: "{\"error\":{\"message\":\"one side broke\"}}")
        let server = try await FaultInjector.start([ScriptedStream.text("First."), rejected])
        let collected = await Self.collectChoices(Self.backend(server, supportsChoices: false), Self.request(choices: 2))
        await server.stop()
        #expect(collected.error == nil)
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.json?["n"] == nil })
        // Whichever request came second failed, alone; the other choice has its text.
        #expect(collected.failures.count == 1)
        let failed = try #require(collected.failures.keys.first)
        #expect(collected.failures[failed]?.message.contains("one side broke") == true)
        #expect(collected.text(1 - failed) == "First.")
    }

    @Test func aFailureMidStreamFailsEveryUnfinishedChoiceThroughTurnService() async throws {
        // Choice 1 finishes, then the server reports an error while choices 0 and 2 are still streaming.
        let broken = FaultResponse.sse([
            FaultResponse.chunk("Tea", index: 0), FaultResponse.chunk("Coffee.", index: 1),
            FaultResponse.chunk(nil, finish: "stop", index: 1), FaultResponse.chunk("Wat", index: 2),
            "{\"error\":{\"message\":\"slot crashed\",\"type\":\"server_error\"}}",
        ])
        let server = try await FaultInjector.start([broken])
        var texts: [Int: String] = [:]
        let outcome = await TurnService(backend: Self.backend(server)).streamChoices(Self.request(choices: 3)) { choice, event in
            if case .delta(let piece) = event { texts[choice, default: ""] += piece }
        }
        await server.stop()
        #expect(texts == [0: "Tea", 1: "Coffee.", 2: "Wat"])
        let shared = try #require(outcome.sharedFailure)
        #expect(shared.message.contains("slot crashed"))
        #expect(outcome.choices[0].error == shared && outcome.choices[2].error == shared)
        #expect(outcome.choices[1].error == nil && outcome.choices[1].reason == .stop)
        #expect(outcome.choices.map(\.reason) == [.incomplete, .stop, .incomplete])
    }

    @Test func cancellingTheConsumerClosesTheOneRequest() async throws {
        let endless = FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Tea", index: 0))\n\n"),
                                     .text("data: \(FaultResponse.chunk("Cof", index: 1))\n\n"), .stall])
        let server = try await FaultInjector.start([endless])
        let backend = Self.backend(server)
        // Cancelled once the first piece has arrived (not after a fixed wait: on busy cores the request may not
        // have reached the server by then).
        let firstPiece = AsyncStream<Void>.makeStream()
        let task = Task {
            await TurnService(backend: backend).streamChoices(Self.request(choices: 2)) { _, _ in firstPiece.continuation.yield() }
        }
        for await _ in firstPiece.stream { break }
        task.cancel()
        let outcome = await task.value
        let everyChoiceCancelled = outcome.choices.allSatisfy { $0.cancelled }
        #expect(everyChoiceCancelled)
        #expect(await server.waitForClientClose(within: 20))
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test func theLocalEngineAndHostedKindsSendNByDefaultAndOllamaDoesNot() throws {
        #expect(BackendSettings.local.sendsChoiceCount)
        #expect(BackendSettings(name: "o", kind: .openai, model: "m").sendsChoiceCount)
        #expect(BackendSettings(name: "a", kind: .azure, model: "m").sendsChoiceCount)
        #expect(!BackendSettings(name: "l", kind: .ollama, model: "m").sendsChoiceCount)
        var configured = BackendSettings(name: "v", kind: .openai, model: "m")
        configured.supportsChoices = false
        #expect(!configured.sendsChoiceCount)
    }
}

/// Scripted one-choice streams for these tests.
enum ScriptedStream {
    /// Role chunk, the text, finish, usage, `[DONE]`.
    static func text(_ text: String) -> FaultResponse {
        FaultResponse.sse([FaultResponse.chunk(nil, role: "assistant"), FaultResponse.chunk(text), FaultResponse.chunk(nil, finish: "stop"),
                           FaultResponse.usageChunk(prompt: 10, completion: 3), "[DONE]"])
    }
}
