import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisBackends

/// What real servers send (issue #13), through the real client against the loopback fault injector:
/// each shape with the exact events a caller gets.
@Suite struct StreamShapeTests {
    private func run(_ responses: [FaultResponse], retry: RetryPolicy = RetryPolicy(maxRetries: 3, initialBackoff: 0.01, maxWait: 5))
        async throws -> (CollectedReply, FaultInjector) {
        let server = try await FaultInjector.start(responses)
        let backend = OpenAICompatibleBackend(name: "scripted", baseURL: server.baseURL, model: "test-model",
                                              connectTimeout: 5, idleTimeout: 15, retryPolicy: retry)
        let reply = await collect(backend, helloRequest)
        await server.stop()
        return (reply, server)
    }

    @Test func refusalArrivesAsRefusalPiecesNotText() async throws {
        let (reply, _) = try await run([RealServerShapes.refusal])
        #expect(reply.error == nil)
        #expect(reply.text == "")
        #expect(reply.events.prefix(2) == [.refusal("I'm sorry, "), .refusal("I can't help with that.")])
        #expect(reply.refusal == "I'm sorry, I can't help with that.")
        #expect(reply.finishReason == .stop)
        #expect(reply.usage == TokenUsage(promptTokens: 11, completionTokens: 9))
    }

    @Test func deepSeekReasoningIsKeptApartAndUsageInTheFinishChunkCounts() async throws {
        let (reply, _) = try await run([RealServerShapes.deepSeekReasoning])
        #expect(reply.error == nil)
        #expect(reply.reasoning == "The user wants a number.")
        #expect(reply.deltas == ["Forty", "-two."])
        #expect(reply.finishReason == .stop)
        #expect(reply.usage == TokenUsage(promptTokens: 12, completionTokens: 30, reasoningTokens: 26))
        // Reasoning first, then the answer, then finished/usage/timing.
        #expect(reply.events.prefix(4) == [.reasoning("The user wants "), .reasoning("a number."), .delta("Forty"), .delta("-two.")])
        #expect(reply.timing?.timeToFirstToken != nil)
    }

    @Test func ollamaReasoningSpelling() async throws {
        let (reply, _) = try await run([RealServerShapes.ollamaReasoning])
        #expect(reply.error == nil)
        #expect(reply.reasoning == "Hmm, easy.")
        #expect(reply.text == "Yes.")
    }

    @Test func toolCallFinishGivesTheCallThenTheReason() async throws {
        let (reply, _) = try await run([RealServerShapes.toolCall])
        #expect(reply.error == nil)
        #expect(reply.text == "")
        #expect(reply.toolCalls == [ToolCallRecord(name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(reply.finishReason == .other("tool_calls"))
        let call = try #require(reply.events.firstIndex(of: .toolCall(ToolCallRecord(name: "get_weather", arguments: #"{"city":"Paris"}"#))))
        #expect(reply.events[call + 1] == .finished(.other("tool_calls")))
    }

    @Test(arguments: RealServerShapes.ErrorShape.allCases)
    func errorShapesAfterTextKeepThePartialAndAreNotRetried(_ shape: RealServerShapes.ErrorShape) async throws {
        let (reply, server) = try await run([RealServerShapes.errorAfterText(shape)])
        #expect(reply.text == "Once upon")
        let error = try #require(reply.backendError)
        #expect(error.kind == .providerError)
        #expect(error.partialText == "Once upon")
        #expect(error.message == "scripted reported an error during the reply: \(shape.said); partial reply kept, marked incomplete")
        #expect(reply.finishReason == nil)
        #expect(server.requests.count == 1)
    }

    @Test func errorFieldBeforeAnyTextIsReportedToo() async throws {
        let (reply, _) = try await run([FaultResponse([FaultResponse.sseHead, .text(#"error: {"message":"model is loading"}"# + "\n\n")])])
        #expect(reply.backendError?.message == "scripted reported an error during the reply: model is loading")
    }

    @Test func doneWithoutATrailingBlankLineAtEndOfBodyIsACleanEnd() async throws {
        let (reply, _) = try await run([RealServerShapes.doneWithoutBlankLine])
        #expect(reply.error == nil)
        #expect(reply.text == "All good.")
        #expect(reply.finishReason == .stop)
    }

    @Test func threeInterleavedChoicesAreKeptApartByIndex() async throws {
        let (reply, _) = try await run([RealServerShapes.threeChoices])
        #expect(reply.error == nil)
        #expect(reply.deltas == ["Red", " apple"])
        #expect(reply.events.filter { if case .finished = $0 { true } else { false } } == [.finished(.stop)])
    }

    @Test func decoderKeepsEveryChoiceByIndex() throws {
        var decoder = ChatStreamDecoder(failures: BackendFailureMapper(backendName: "s", url: URL(string: "http://h/v1")!, flavour: .openai,
                                                                       model: "m", keyOrigin: nil, key: nil, idleTimeout: 1, connectTimeout: 1))
        var parser = SSEParser()
        var shown: [ChatEvent] = []
        for step in RealServerShapes.threeChoices.steps {
            if case .bytes(let bytes) = step {
                for event in parser.feed(bytes) { shown += try decoder.handle(event) }
            }
        }
        #expect(decoder.choices.mapValues(\.text) == [0: "Red apple", 1: "Green pear", 2: "Blue plum"])
        #expect(decoder.choices.values.allSatisfy { $0.finishReason == .stop })
        #expect(decoder.isDone)
        #expect(shown == [.delta("Red"), .delta(" apple"), .finished(.stop)])
    }

    // MARK: - Retries (one layer, before the first token only)

    static let unavailable = FaultResponse.plain(status: 503, contentType: "application/json",
                                                 body: #"{"error":{"message":"Loading model","code":503}}"#)

    @Test func serviceUnavailableThenSuccess() async throws {
        let (reply, server) = try await run([Self.unavailable, FaultResponse.sse([FaultResponse.chunk("back", finish: "stop"), "[DONE]"])])
        #expect(reply.error == nil)
        #expect(reply.text == "back")
        #expect(server.requests.count == 2)
        #expect(reply.retries.count == 1)
        #expect(reply.retries.first?.attempt == 1)
        #expect(reply.retries.first?.maxRetries == 3)
        #expect(reply.retries.first?.message == "scripted had a server error (503 Service Unavailable): Loading model (503)")
        #expect(reply.events.first.map { if case .retrying = $0 { true } else { false } } == true)
    }

    @Test func retryAfterTwoSecondsIsHonoured() async throws {
        let limited = FaultResponse.plain(status: 503, contentType: "application/json", body: #"{"error":{"message":"busy"}}"#,
                                          headers: [("Retry-After", "2")])
        let started = ContinuousClock.now
        let (reply, server) = try await run([limited, FaultResponse.sse([FaultResponse.chunk("ok", finish: "stop"), "[DONE]"])])
        let waited = ContinuousClock.now - started
        #expect(reply.text == "ok")
        #expect(server.requests.count == 2)
        #expect(reply.retries.map(\.delay) == [2])
        #expect(reply.retries.first?.statusText == "retrying in 2 s (1/3)")
        #expect(waited >= .milliseconds(1900), "waited \(waited)")
    }

    @Test func retryAfterMillisecondsHeaderIsHonoured() async throws {
        let limited = FaultResponse.plain(status: 429, contentType: "application/json", body: #"{"error":{"message":"slow"}}"#,
                                          headers: [("retry-after-ms", "300"), ("Retry-After", "9")])
        let (reply, _) = try await run([limited, FaultResponse.sse([FaultResponse.chunk("ok", finish: "stop"), "[DONE]"])])
        #expect(reply.retries.map(\.delay) == [0.3])
        #expect(reply.text == "ok")
    }

    @Test func threeServerErrorsThenGiveUpWithTheMessage() async throws {
        let failing = FaultResponse.plain(status: 500, contentType: "application/json", body: #"{"error":{"message":"boom"}}"#)
        let (reply, server) = try await run([failing, failing, failing, FaultResponse.sse([FaultResponse.chunk("never", finish: "stop")])],
                                            retry: RetryPolicy(maxRetries: 2, initialBackoff: 0.01, maxWait: 5))
        #expect(server.requests.count == 3)
        #expect(reply.retries.map(\.attempt) == [1, 2])
        #expect(reply.backendError?.kind == .serverError)
        #expect(reply.backendError?.message == "scripted had a server error (500 Internal Server Error) after 2 retries: boom")
        #expect(reply.text == "")
    }

    @Test func serverErrorAfterTheFirstTokenIsNotRetried() async throws {
        let broken = FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Par"))\n\n"),
                                    .text(#"data: {"error":{"message":"internal error","type":"server_error","code":500}}"# + "\n\n")])
        let (reply, server) = try await run([broken, FaultResponse.sse([FaultResponse.chunk("never", finish: "stop")])])
        #expect(server.requests.count == 1)
        #expect(reply.retries.isEmpty)
        #expect(reply.text == "Par")
        #expect(reply.backendError?.partialText == "Par")
        #expect(reply.backendError?.message == "scripted reported an error during the reply: internal error (500); partial reply kept, marked incomplete")
    }

    @Test func connectionClosedAfterTextIsNotRetriedButBeforeAnswerIs() async throws {
        let cut = FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Half"))\n\n"), .close])
        let (partial, partialServer) = try await run([cut, FaultResponse.sse([FaultResponse.chunk("never", finish: "stop")])])
        #expect(partialServer.requests.count == 1)
        #expect(partial.text == "Half")
        #expect(partial.backendError?.kind == .disconnected)

        // The first close is taken for a stale pooled connection and resent at once; the second is retried
        // by the retry layer, announced.
        let (recovered, server) = try await run([FaultResponse([.close]), FaultResponse([.close]),
                                                 FaultResponse.sse([FaultResponse.chunk("fine", finish: "stop"), "[DONE]"])])
        #expect(recovered.error == nil)
        #expect(recovered.text == "fine")
        #expect(server.requests.count == 3)
        #expect(recovered.retries.count == 1)
        #expect(recovered.retries.first?.message == "scripted closed the connection before any reply text")
    }

    @Test func cancellingDuringTheRetryWaitEndsTheStreamQuickly() async throws {
        let server = try await FaultInjector.start([FaultResponse.plain(status: 503, contentType: "application/json",
                                                                        body: #"{"error":{"message":"busy"}}"#, headers: [("Retry-After", "20")])])
        let backend = OpenAICompatibleBackend(name: "scripted", baseURL: server.baseURL, model: "m",
                                              retryPolicy: RetryPolicy(maxRetries: 3, initialBackoff: 1, maxWait: 30))
        let sawRetry = AsyncStream<Void>.makeStream()
        let consumer = Task {
            var events: [ChatEvent] = []
            do {
                for try await event in backend.stream(helloRequest) {
                    events.append(event)
                    if case .retrying = event { sawRetry.continuation.yield() }
                }
            } catch {}
            return events
        }
        for await _ in sawRetry.stream { break }
        let cancelledAt = ContinuousClock.now
        consumer.cancel()
        let events = await consumer.value
        // Far less than the 20 s wait: the sleep was cancelled, no second request went out.
        #expect(ContinuousClock.now - cancelledAt < .seconds(10))
        #expect(events.count == 1)
        #expect(server.requests.count == 1)
        await server.stop()
    }
}
