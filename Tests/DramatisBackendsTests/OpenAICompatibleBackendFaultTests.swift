#if canImport(Glibc)
import Glibc
#endif
import DramatisCore
import DramatisTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import DramatisBackends

/// Every failure of the issue's matrix, scripted by the loopback `FaultInjector`, with the
/// exact user-facing outcome asserted.
@Suite struct OpenAICompatibleBackendFaultTests {
    static let key = "sk-test-SECRETKEY-9876543210abcd"

    private func backend(_ server: FaultInjector, flavour: BackendFlavour = .openai, idleTimeout: Double = 5,
                         retry: RetryPolicy = RetryPolicy(maxRetries: 3, initialBackoff: 0.01, maxWait: 5)) -> OpenAICompatibleBackend {
        let base = flavour.isAzure ? URL(string: "http://127.0.0.1:\(server.port)")! : server.baseURL
        return OpenAICompatibleBackend(name: "scripted", baseURL: base, model: "test-model", flavour: flavour,
                                       keyProvider: APIKeyProvider(source: .environment("TEST_API_KEY"), environment: ["TEST_API_KEY": Self.key]),
                                       connectTimeout: 2, idleTimeout: idleTimeout, retryPolicy: retry)
    }

    private func run(_ responses: [FaultResponse], flavour: BackendFlavour = .openai, idleTimeout: Double = 5,
                     retry: RetryPolicy = RetryPolicy(maxRetries: 3, initialBackoff: 0.01, maxWait: 5))
        async throws -> (CollectedReply, FaultInjector) {
        let server = try await FaultInjector.start(responses)
        let reply = await collect(backend(server, flavour: flavour, idleTimeout: idleTimeout, retry: retry), helloRequest)
        await server.stop()
        return (reply, server)
    }

    // MARK: - Well-formed streams

    @Test func streamsDeltasFinishUsageAndTimingAndSendsTheRightRequest() async throws {
        let (reply, server) = try await run([FaultResponse([
            FaultResponse.sseHead,
            .text(": keep-alive\r\n\r\n"),
            .text("data: {\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\r\n\r\n"),
            .text("data: \(FaultResponse.chunk(nil, role: "assistant"))\r\n\r\n"),
            .text("data: \(FaultResponse.chunk("Hel"))\r\n\r\ndata: \(FaultResponse.chunk("lo"))\r\n\r\n"),
            .text("data: \(FaultResponse.chunk(nil, finish: "stop"))\r\n\r\n"),
            .text("data: \(FaultResponse.usageChunk(prompt: 12, completion: 2))\r\n\r\n"),
            .text("data: [DONE]\r\n\r\n"),
        ])])
        #expect(reply.error == nil)
        #expect(reply.deltas == ["Hel", "lo"])
        #expect(reply.finishReason == .stop)
        #expect(reply.usage == TokenUsage(promptTokens: 12, completionTokens: 2))
        #expect(reply.timing != nil)
        #expect(reply.timing?.timeToFirstToken != nil)
        // Order: deltas, finished, usage, timing.
        #expect(reply.events.count == 5)
        if case .finished = reply.events[2], case .usage = reply.events[3], case .timing = reply.events[4] {} else {
            Issue.record("unexpected order \(reply.events)")
        }

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        #expect(request.headers["api-key"] == nil)
        let json = try #require(request.json)
        #expect(json["model"] as? String == "test-model")
        #expect(json["stream"] as? Bool == true)
        #expect((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((json["temperature"] as? NSNumber)?.doubleValue == 0)
        #expect((json["max_tokens"] as? NSNumber)?.intValue == 16)
        #expect((json["seed"] as? NSNumber)?.intValue == 42)
        #expect(json["top_p"] == nil)
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "You are terse."], ["role": "user", "content": "Say hi"]])
    }

    @Test func azureUsesDeploymentURLAndApiKeyHeader() async throws {
        let (reply, server) = try await run([FaultResponse.sse([FaultResponse.chunk("ok", finish: "stop"), "[DONE]"])],
                                            flavour: .azure(apiVersion: "2024-10-21"))
        #expect(reply.text == "ok")
        let request = try #require(server.requests.first)
        #expect(request.uri == "/openai/deployments/test-model/chat/completions?api-version=2024-10-21")
        #expect(request.headers["api-key"] == Self.key)
        #expect(request.headers["authorization"] == nil)
    }

    @Test func csiEscapeSplitAcrossTwoDeltasIsRemovedBySanitizer() async throws {
        let (reply, _) = try await run([FaultResponse.sse([
            FaultResponse.chunk("Hi \u{1B}[3"), FaultResponse.chunk("1mred\u{1B}]52;c;ZXZpbA==\u{07}!"),
            FaultResponse.chunk(nil, finish: "stop"), "[DONE]"])])
        // Raw text is delivered untouched (it is stored raw) …
        #expect(reply.deltas == ["Hi \u{1B}[3", "1mred\u{1B}]52;c;ZXZpbA==\u{07}!"])
        // … and the sanitizer, fed delta by delta as every display path does, removes both sequences whole.
        var sanitizer = TerminalSanitizer()
        let shown = reply.deltas.map { sanitizer.feed($0) }.joined() + sanitizer.finish()
        #expect(shown == "Hi red!")
    }

    @Test func utf8SequenceSplitBetweenNetworkReadsArrivesWhole() async throws {
        let bytes = Array("data: \(FaultResponse.chunk("café 🎭"))\n\n".utf8)
        let emoji = bytes.firstIndex(of: 0xF0)!
        let (reply, _) = try await run([FaultResponse([
            FaultResponse.sseHead, .bytes(Array(bytes[..<(emoji + 2)])), .wait(seconds: 0.05), .bytes(Array(bytes[(emoji + 2)...])),
            .text("data: \(FaultResponse.chunk(nil, finish: "length"))\n\ndata: [DONE]\n\n")])])
        #expect(reply.text == "café 🎭")
        #expect(reply.finishReason == .length)
    }

    @Test func llamaCppTimingsGiveUsageWhenNoUsageChunk() async throws {
        let final = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"timings\":{\"prompt_n\":9,\"predicted_n\":3,\"predicted_per_second\":50.0}}"
        let (reply, _) = try await run([FaultResponse.sse([FaultResponse.chunk("a"), FaultResponse.chunk("b"), final, "[DONE]"])])
        #expect(reply.usage == TokenUsage(promptTokens: 9, completionTokens: 3))
        #expect(reply.text == "ab")
    }

    @Test func multiLineDataAndEventFieldsAreAccepted() async throws {
        // A JSON chunk split over two `data:` lines is joined with "\n", which JSON allows as whitespace.
        let (reply, _) = try await run([FaultResponse([FaultResponse.sseHead,
            .text("event: message\nid: 1\ndata: {\"choices\":[{\"index\":0,\n"),
            .text("data: \"delta\":{\"content\":\"multi\"},\"finish_reason\":\"stop\"}]}\n\n"),
            .text("data: [DONE]\n\n")])])
        #expect(reply.text == "multi")
        #expect(reply.error == nil)
    }

    // MARK: - HTTP failures

    @Test func unauthorizedMasksTheKey() async throws {
        let body = "{\"error\":{\"message\":\"Incorrect API key provided: \(Self.key).\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"
        let (reply, _) = try await run([FaultResponse.plain(status: 401, contentType: "application/json", body: body)])
        let error = try #require(reply.backendError)
        #expect(error.kind == .unauthorized)
        #expect(error.message == "scripted rejected the API key (401 Unauthorized); check TEST_API_KEY (sk-…abcd): Incorrect API key provided: sk-…abcd. (invalid_api_key)")
        #expect(!error.message.contains("SECRETKEY"))
        #expect(error.isRetryable)
    }

    @Test func forbidden() async throws {
        let (reply, _) = try await run([FaultResponse.plain(status: 403, contentType: "application/json", body: "{\"error\":{\"message\":\"Access denied\"}}")])
        #expect(reply.backendError?.kind == .unauthorized)
        #expect(reply.backendError?.message == "scripted refused access (403 Forbidden); the key may lack permission for this model — check TEST_API_KEY (sk-…abcd): Access denied")
    }

    @Test func unknownModel() async throws {
        let body = "{\"error\":{\"message\":\"The model `test-model` does not exist\",\"code\":\"model_not_found\"}}"
        let (reply, server) = try await run([FaultResponse.plain(status: 404, contentType: "application/json", body: body)])
        #expect(reply.backendError?.kind == .notFound)
        #expect(reply.backendError?.message == "scripted does not know model 'test-model' or the URL http://127.0.0.1:\(server.port)/v1/chat/completions (404 Not Found): The model `test-model` does not exist (model_not_found)")
    }

    @Test func unknownAzureDeployment() async throws {
        let body = "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}"
        let (reply, _) = try await run([FaultResponse.plain(status: 404, contentType: "application/json", body: body)], flavour: .azure(apiVersion: "2024-10-21"))
        #expect(reply.backendError?.kind == .notFound)
        #expect(reply.backendError?.message.hasPrefix("scripted does not know deployment 'test-model'") == true)
        #expect(reply.backendError?.message.hasSuffix("(404 Not Found): The API deployment for this resource does not exist. (DeploymentNotFound)") == true)
    }

    @Test func rateLimitIsRetriedHonouringRetryAfterThenSucceeds() async throws {
        let limited = FaultResponse.plain(status: 429, contentType: "application/json",
                                          body: "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
                                          headers: [("Retry-After", "0")])
        let ok = FaultResponse.sse([FaultResponse.chunk("after retry", finish: "stop"), "[DONE]"])
        let (reply, server) = try await run([limited, limited, ok])
        #expect(reply.error == nil)
        #expect(reply.text == "after retry")
        #expect(server.requests.count == 3)
    }

    @Test func rateLimitGivesUpAfterBoundedRetries() async throws {
        let limited = FaultResponse.plain(status: 429, contentType: "application/json",
                                          body: "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
                                          headers: [("Retry-After", "0")])
        let (reply, server) = try await run([limited], retry: RetryPolicy(maxRetries: 2, initialBackoff: 0.01, maxWait: 5))
        #expect(server.requests.count == 3)
        #expect(reply.backendError?.kind == .rateLimited)
        #expect(reply.backendError?.message == "scripted is rate limiting (429 Too Many Requests) after 2 retries; retry after 0 s: Rate limit reached (rate_limit_exceeded)")
    }

    @Test func rateLimitWithLongRetryAfterFailsAtOnce() async throws {
        let limited = FaultResponse.plain(status: 429, contentType: "application/json", body: "{\"error\":{\"message\":\"slow down\"}}",
                                          headers: [("Retry-After", "3600")])
        let (reply, server) = try await run([limited])
        #expect(server.requests.count == 1)
        #expect(reply.backendError?.message == "scripted is rate limiting (429 Too Many Requests); retry after 60 min: slow down")
    }

    @Test func serverErrorIsRetriedThenReported() async throws {
        let (reply, server) = try await run([FaultResponse.plain(status: 503, contentType: "application/json", body: "{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}")])
        #expect(server.requests.count == 4)
        #expect(reply.backendError?.kind == .serverError)
        #expect(reply.backendError?.message == "scripted had a server error (503 Service Unavailable) after 3 retries: Loading model (503)")
    }

    @Test func htmlErrorPage() async throws {
        let html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>nginx</body></html>"
        let (reply, server) = try await run([FaultResponse.plain(status: 502, contentType: "text/html", body: html)],
                                            retry: RetryPolicy(maxRetries: 0))
        #expect(reply.backendError?.kind == .serverError)
        #expect(reply.backendError?.message == "scripted answered 502 Bad Gateway with an HTML page (\"502 Bad Gateway\") instead of an API reply; check the base URL http://127.0.0.1:\(server.port)/v1/chat/completions")
    }

    @Test func htmlPageWithStatus200IsNotAnEventStream() async throws {
        let html = "<html><head><title>Welcome to nginx!</title></head></html>"
        let (reply, server) = try await run([FaultResponse.plain(status: 200, contentType: "text/html", body: html)])
        #expect(reply.backendError?.kind == .malformedResponse)
        #expect(reply.backendError?.message == "scripted answered with an HTML page (\"Welcome to nginx!\") instead of an event stream; check the base URL http://127.0.0.1:\(server.port)/v1/chat/completions")
    }

    @Test func nonSSEJSONErrorBody() async throws {
        let (reply, _) = try await run([FaultResponse.plain(status: 400, contentType: "application/json",
                                                            body: "{\"error\":{\"message\":\"'messages' must contain at least one message\",\"type\":\"invalid_request_error\"}}")])
        #expect(reply.backendError?.kind == .providerError)
        #expect(reply.backendError?.message == "scripted rejected the request (400 Bad Request): 'messages' must contain at least one message")
    }

    // MARK: - Transport failures

    @Test func connectionRefused() async throws {
        // A socket bound but never listening: connecting is refused, and no other test's
        // server can take the port meanwhile (closing it first let a llama-server reuse it).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let backend = OpenAICompatibleBackend(name: "gone", baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, model: "m", connectTimeout: 2)
        let reply = await collect(backend, helloRequest)
        #expect(reply.backendError?.kind == .connectionRefused)
        #expect(reply.backendError?.message == "cannot connect to gone at 127.0.0.1:\(port): connection refused (is the server running?)")
    }

    @Test func dnsFailure() async throws {
        let backend = OpenAICompatibleBackend(name: "nowhere", baseURL: URL(string: "http://no-such-host.invalid/v1")!, model: "m", connectTimeout: 5)
        let reply = await collect(backend, helloRequest)
        #expect(reply.backendError?.kind == .dnsFailure)
        #expect(reply.backendError?.message == "cannot resolve host 'no-such-host.invalid' for backend nowhere (DNS lookup failed); check the URL and the network")
    }

    @Test func noResponseBeforeTheIdleTimeout() async throws {
        let (reply, server) = try await run([FaultResponse([.stall])], idleTimeout: 0.5)
        #expect(reply.backendError?.kind == .timeout)
        #expect(reply.backendError?.message == "scripted at 127.0.0.1:\(server.port) sent no response within 0.5 s")
    }

    @Test func stallMidStreamKeepsPartialText() async throws {
        let (reply, _) = try await run([FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("partial "))\n\n"), .stall])],
                                       idleTimeout: 0.5)
        #expect(reply.deltas == ["partial "])
        let error = try #require(reply.backendError)
        #expect(error.kind == .stalled)
        #expect(error.partialText == "partial ")
        #expect(error.message == "scripted stalled: no data for 0.5 s in the middle of the reply; partial reply kept (8 characters), marked incomplete")
    }

    @Test func disconnectMidStreamKeepsPartialText() async throws {
        let (reply, _) = try await run([FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Hello, wor"))\n\n"), .close])])
        let error = try #require(reply.backendError)
        #expect(error.kind == .disconnected)
        #expect(error.partialText == "Hello, wor")
        #expect(error.message == "scripted closed the connection mid-reply; partial reply kept (10 characters), marked incomplete")
    }

    @Test func replyCutInsideAUTF8Sequence() async throws {
        let next = Array("data: \(FaultResponse.chunk("café"))\n\n".utf8)
        let cut = next.firstIndex(of: 0xC3)! + 1            // first byte of "é" only
        let (reply, _) = try await run([FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Olá "))\n\n"),
                                                       .bytes(Array(next[..<cut])), .close])])
        let error = try #require(reply.backendError)
        #expect(reply.deltas == ["Olá "])
        #expect(error.kind == .disconnected)
        #expect(error.partialText == "Olá ")
        #expect(error.message == "scripted closed the connection mid-reply; partial reply kept (4 characters), marked incomplete")
    }

    @Test func streamEndingWithoutDoneOrFinishIsIncomplete() async throws {
        // The body ends cleanly (terminating chunk) but the model never finished.
        let (reply, _) = try await run([FaultResponse.sse([FaultResponse.chunk("half")])])
        #expect(reply.backendError?.kind == .disconnected)
        #expect(reply.backendError?.partialText == "half")
    }

    @Test func malformedJSONChunk() async throws {
        let (reply, _) = try await run([FaultResponse.sse([FaultResponse.chunk("ok "), "{\"choices\":[{\"delta\":{\"content\":\"x\"}", "[DONE]"])])
        let error = try #require(reply.backendError)
        #expect(error.kind == .malformedResponse)
        #expect(error.partialText == "ok ")
        #expect(error.message == "scripted sent malformed JSON in a stream chunk: {\"choices\":[{\"delta\":{\"content\":\"x\"}; partial reply kept, marked incomplete")
    }

    @Test func errorObjectMidStream() async throws {
        let (reply, _) = try await run([FaultResponse.sse([FaultResponse.chunk("Once upon"),
                                                           "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}"])])
        let error = try #require(reply.backendError)
        #expect(error.kind == .providerError)
        #expect(error.partialText == "Once upon")
        #expect(error.message == "scripted reported an error during the reply: The server had an error while processing your request.; partial reply kept, marked incomplete")
    }

    @Test func providerErrorTextCannotInjectEscapes() async throws {
        let (reply, _) = try await run([FaultResponse.plain(status: 500, contentType: "application/json",
                                                            body: "{\"error\":{\"message\":\"boom\\u001b]0;pwned\\u0007 \\u001b[2Jdone\"}}")],
                                       retry: RetryPolicy(maxRetries: 0))
        #expect(reply.backendError?.message == "scripted had a server error (500 Internal Server Error): boom done")
    }

    // MARK: - Cancellation

    @Test func cancellingClosesTheConnection() async throws {
        var steps: [FaultResponse.Step] = [FaultResponse.sseHead]
        for index in 0..<600 {
            steps.append(.text("data: \(FaultResponse.chunk("tok\(index) "))\n\n"))
            steps.append(.wait(seconds: 0.05))
        }
        let server = try await FaultInjector.start(FaultResponse(steps))
        let backend = backend(server)
        var received: [String] = []
        for try await event in backend.stream(helloRequest) {
            if case .delta(let text) = event { received.append(text) }
            if received.count == 3 { break }
        }
        #expect(received == ["tok0 ", "tok1 ", "tok2 "])
        // The server sees the client close the connection long before its 30 s script would end (a loaded
        // 2-core machine once took more than 5 s to get there).
        #expect(await server.waitForClientClose(within: 20))
        await server.stop()
    }

    @Test func cancellingTheConsumingTaskClosesTheConnection() async throws {
        let server = try await FaultInjector.start(FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("first"))\n\n"), .stall]))
        let backend = backend(server, idleTimeout: 30)
        let firstDelta = AsyncStream<Void>.makeStream()
        let consumer = Task {
            var count = 0
            do {
                for try await event in backend.stream(helloRequest) {
                    if case .delta = event { count += 1; firstDelta.continuation.yield() }
                }
            } catch {}
            return count
        }
        for await _ in firstDelta.stream { break }
        consumer.cancel()
        #expect(await consumer.value == 1)
        #expect(await server.waitForClientClose(within: 20))
        await server.stop()
    }
}

/// Key handling on the wire.
@Suite struct OpenAICompatibleBackendKeyTests {
    @Test func keyFromCommandIsSentAndMaskedInErrors() async throws {
        let server = try await FaultInjector.start(FaultResponse.plain(status: 401, contentType: "application/json",
                                                                       body: "{\"error\":{\"message\":\"bad key\"}}"))
        let provider = APIKeyProvider(source: .command(["/bin/sh", "-c", "echo sk-from-vault-ABCDEFGH1234"]), environment: ["PATH": "/usr/bin:/bin"])
        let backend = OpenAICompatibleBackend(name: "vault", baseURL: server.baseURL, model: "m", keyProvider: provider)
        let reply = await collect(backend, helloRequest)
        await server.stop()
        #expect(server.requests.first?.headers["authorization"] == "Bearer sk-from-vault-ABCDEFGH1234")
        #expect(reply.backendError?.message == "vault rejected the API key (401 Unauthorized); check command `/bin/sh -c echo sk-…1234` (sk-…1234): bad key")
    }

    @Test func rateLimitErrorMidStreamIsRateLimited() async throws {
        let server = try await FaultInjector.start(FaultResponse.sse([
            "{\"error\":{\"message\":\"Rate limit exceeded\",\"type\":\"rate_limit_error\"}}"]))
        let backend = OpenAICompatibleBackend(name: "s", baseURL: server.baseURL, model: "m",
                                              retryPolicy: RetryPolicy(maxRetries: 1, initialBackoff: 0.01))
        let reply = await collect(backend, helloRequest)
        await server.stop()
        #expect(server.requests.count == 2, "a rate limit before any text is retried once, then reported")
        #expect(reply.backendError?.kind == .rateLimited)
        #expect(reply.backendError?.message == "s reported an error during the reply: Rate limit exceeded")
    }
}

/// Connect timeout, with a listener whose full accept queue makes connects hang.
@Suite struct OpenAICompatibleBackendConnectTimeoutTests {
    @Test func connectTimeout() async throws {
        let listener = try UnacceptingListener()
        let backend = OpenAICompatibleBackend(name: "slow", baseURL: URL(string: "http://127.0.0.1:\(listener.port)/v1")!, model: "m",
                                              connectTimeout: 0.5, idleTimeout: 5)
        let reply = await collect(backend, helloRequest)
        #expect(reply.backendError?.kind == .timeout)
        #expect(reply.backendError?.message == "could not connect to slow at 127.0.0.1:\(listener.port) within 0.5 s")
        withExtendedLifetime(listener) {}
    }
}
