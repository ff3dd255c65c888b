import DramatisCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import DramatisTestSupport
import Testing
@testable import DramatisBackends

/// End to end against the real llama-server with SmolLM2-135M (temperature 0, fixed seed).
@Suite(.serialized)
struct LocalModelStreamingTests {
    private func backend() async throws -> OpenAICompatibleBackend {
        OpenAICompatibleBackend(name: "local", baseURL: try await LocalLlamaServer.baseURL(), model: BackendSettings.localModelName,
                                kind: "local", idleTimeout: 120)
    }

    private let request = ChatRequest(messages: [.system("You are a helpful assistant."), .user("Name three colours of the rainbow.")],
                                      sampling: SamplingParameters(temperature: 0, maxTokens: 24, seed: 42))

    @Test func streamsSeveralDeltasWithFinishUsageAndTiming() async throws {
        let reply = await collect(try await backend(), request)
        #expect(reply.error == nil)
        #expect(reply.deltas.count > 3, "a streamed reply comes in several pieces")
        #expect(!reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let finish = try #require(reply.finishReason)
        #expect(finish == .stop || finish == .length)
        let usage = try #require(reply.usage)
        #expect(usage.promptTokens > 10)
        #expect(usage.completionTokens > 0 && usage.completionTokens <= 24)
        let timing = try #require(reply.timing)
        #expect(timing.timeToFirstToken != nil)
        #expect(timing.total >= (timing.timeToFirstToken ?? 0))
        #expect((timing.tokensPerSecond ?? 0) > 0)
    }

    @Test func temperatureZeroWithSeedIsDeterministic() async throws {
        let backend = try await backend()
        let first = await collect(backend, request)
        let second = await collect(backend, request)
        #expect(first.error == nil, "\(String(describing: first.error))")
        #expect(second.error == nil, "\(String(describing: second.error))")
        #expect(!first.text.isEmpty)
        #expect(first.text == second.text)
        #expect(first.usage == second.usage)
    }

    @Test func maxTokensEndsWithLength() async throws {
        var short = request
        short.messages = [.user("Write a long story about a lighthouse keeper.")]
        short.sampling.maxTokens = 5
        let reply = await collect(try await backend(), short)
        #expect(reply.finishReason == .length)
        #expect(reply.usage?.completionTokens == 5)
    }

    @Test func cancellingStopsGenerationOnTheServer() async throws {
        let backend = try await backend()
        var long = request
        long.messages = [.user("Write a very long story about a lighthouse keeper and the sea.")]
        long.sampling.maxTokens = 1500
        var pieces = 0
        for try await event in backend.stream(long) {
            if case .delta = event { pieces += 1 }
            if pieces == 3 { break }
        }
        #expect(pieces == 3)
        // llama-server reports its slot idle once it notices the closed connection; it would
        // otherwise keep generating up to 1500 tokens.
        let slots = try await LocalLlamaServer.baseURL().deletingLastPathComponent().appendingPathComponent("slots")
        var idle = false
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && !idle {
            if let (data, _) = try? await URLSession.shared.data(from: slots),
               let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
                idle = array.allSatisfy { ($0["is_processing"] as? Bool) == false }
            }
            if !idle { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(idle, "the server stopped generating after the client closed the connection")
        // And the server is free for the next request.
        let next = await collect(backend, request)
        #expect(next.error == nil)
        #expect(!next.text.isEmpty)
    }
}

/// `dramatis ask` end to end with the real local model.
@Suite(.serialized) struct AskLocalModelTests {
    @Test func askIsDeterministicAndReportsUsageAndTiming() async throws {
        let base = try await LocalLlamaServer.baseURL()
        let dir = try TemporaryDirectory()
        let environment = ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "LANG": "C.UTF-8",
                           "XDG_CONFIG_HOME": dir.path("config").path, "DRAMATIS_LOCAL_BASE_URL": base.absoluteString]
        let arguments = ["ask", "--json", "--temperature", "0", "--seed", "42", "--max-tokens", "16", "Name a colour of the sky."]
        let first = try await ProcessRunner.run(AskAndDoctorCommandTests.dramatisBinary, arguments, environment: environment,
                                          currentDirectory: dir.url, timeout: 300)
        let second = try await ProcessRunner.run(AskAndDoctorCommandTests.dramatisBinary, arguments, environment: environment,
                                           currentDirectory: dir.url, timeout: 300)
        #expect(first.status == 0, "\(first.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let text = try #require(a["text"] as? String)
        #expect(!text.isEmpty)
        #expect(text == b["text"] as? String)
        #expect(a["backend"] as? String == "local")
        let usage = try #require(a["usage"] as? [String: Any])
        #expect(((usage["completion_tokens"] as? NSNumber)?.intValue ?? 0) > 0)
        let timing = try #require(a["timing"] as? [String: Any])
        #expect(((timing["tokens_per_second"] as? NSNumber)?.doubleValue ?? 0) > 0)

        // Plain mode prints the same text, sanitized, followed by a newline.
        let plain = try await ProcessRunner.run(AskAndDoctorCommandTests.dramatisBinary, Array(arguments.filter { $0 != "--json" }),
                                          environment: environment, currentDirectory: dir.url, timeout: 300)
        #expect(plain.status == 0)
        #expect(plain.stdout == TerminalSanitizer.sanitize(text) + (text.hasSuffix("\n") ? "" : "\n"))
    }
}
