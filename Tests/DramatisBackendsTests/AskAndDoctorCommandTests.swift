import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis ask` and `dramatis doctor` as a user runs them, against scripted loopback servers.
@Suite(.serialized) struct AskAndDoctorCommandTests {
    static let key = "sk-cli-test-SECRET-0123456789wxyz"

    /// The built `dramatis`. `BuiltProducts.dramatis` looks one folder too high when the test
    /// bundle runs from `.build/<triple>/debug`, so the debug folders are tried as well.
    static var dramatisBinary: URL {
        let candidates = [BuiltProducts.dramatis,
                          BuiltProducts.directory.appendingPathComponent("debug/dramatis"),
                          BuiltProducts.packageRoot.appendingPathComponent(".build/debug/dramatis")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// A working directory whose dramatis.yaml makes `scripted` (at `server`) the default backend.
    func workspace(_ server: FaultInjector?, extra: String = "") throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let base = server.map { $0.baseURL.absoluteString } ?? "http://127.0.0.1:9/v1"
        try """
        default_backend: scripted
        backends:
          scripted:
            kind: openai
            base_url: \(base)
            model: scripted-model
            api_key_env: SCRIPTED_KEY
            idle_timeout: 5
        \(extra)
        """.write(to: dir.path("dramatis.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func dramatis(_ arguments: [String], in dir: TemporaryDirectory, stdin: String? = nil,
                          environment extra: [String: String] = ["SCRIPTED_KEY": key]) async throws -> ProcessResult {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "LANG": "C.UTF-8",
                           "XDG_CONFIG_HOME": dir.path("config").path, "XDG_CACHE_HOME": dir.path("cache").path]
        environment.merge(extra) { $1 }
        return try await ProcessRunner.run(Self.dramatisBinary, arguments, stdin: stdin, environment: environment,
                                     currentDirectory: dir.url, timeout: 60)
    }

    @Test func askStreamsSanitizedText() async throws {
        let server = try await FaultInjector.start(FaultResponse.sse([
            FaultResponse.chunk("Hi \u{1B}[3"), FaultResponse.chunk("1mred\u{1B}[0m \u{1B}]0;title\u{07}done"),
            FaultResponse.chunk(nil, finish: "stop"), "[DONE]"]))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "--temperature", "0", "--seed", "7", "Hello there"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "Hi red done\n")
        #expect(result.stderr == "")
        let request = try #require(server.requests.first)
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        let json = try #require(request.json)
        #expect((json["seed"] as? NSNumber)?.intValue == 7)
        #expect((json["temperature"] as? NSNumber)?.doubleValue == 0)
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages.last == ["role": "user", "content": "Hello there"])
        #expect(messages.first?["role"] == "system")

        // The exchange is saved as a transcript in ./Transcripts, reply stored raw.
        let saved = TranscriptStore(directory: dir.path("Transcripts")).loadAll()
        #expect(saved.failures.isEmpty)
        let conversation = try #require(saved.conversations.first)
        #expect(saved.conversations.count == 1)
        let path = conversation.activePath.map { conversation[$0] }
        #expect(path.map(\.role) == [.user, .assistant])
        #expect(path.first?.text == "Hello there")
        #expect(path.last?.text == "Hi \u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07}done")
        #expect(path.last?.reply?.finishReason == .stop)
        #expect(conversation.backend.name == "scripted")
        #expect(conversation.sampling.seed == 7)
    }

    @Test func askReadsThePromptFromStdin() async throws {
        let server = try await FaultInjector.start(FaultResponse.sse([FaultResponse.chunk("ok", finish: "stop"), "[DONE]"]))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "--no-save", "-"], in: dir, stdin: "from stdin\n")
        #expect(result.status == 0)
        #expect(result.stdout == "ok\n")
        let messages = try #require(server.requests.first?.json?["messages"] as? [[String: String]])
        #expect(messages.last?["content"] == "from stdin")
        #expect(!FileManager.default.fileExists(atPath: dir.path("Transcripts").path))
    }

    @Test func askJSONPrintsTextFinishUsageAndTiming() async throws {
        let server = try await FaultInjector.start(FaultResponse.sse([
            FaultResponse.chunk("Hello"), FaultResponse.chunk(" world", finish: "stop"),
            FaultResponse.usageChunk(prompt: 11, completion: 2), "[DONE]"]))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "--json", "--model", "other-model", "Hi"], in: dir)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "Hello world")
        #expect(object["finish_reason"] as? String == "stop")
        #expect(object["backend"] as? String == "scripted")
        #expect(object["model"] as? String == "other-model")
        let usage = try #require(object["usage"] as? [String: Any])
        #expect((usage["prompt_tokens"] as? NSNumber)?.intValue == 11)
        #expect((usage["completion_tokens"] as? NSNumber)?.intValue == 2)
        let timing = try #require(object["timing"] as? [String: Any])
        #expect(timing["total"] as? NSNumber != nil)
        #expect(timing["time_to_first_token"] as? NSNumber != nil)
        #expect(object["error"] is NSNull)
        #expect(server.requests.first?.json?["model"] as? String == "other-model")
    }

    @Test func askFailureExitsNonZeroWithMaskedKey() async throws {
        let server = try await FaultInjector.start(FaultResponse.plain(status: 401, contentType: "application/json",
            body: "{\"error\":{\"message\":\"Incorrect API key provided: \(Self.key)\",\"code\":\"invalid_api_key\"}}"))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "Hi"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "dramatis ask: scripted rejected the API key (401 Unauthorized); check SCRIPTED_KEY (sk-…wxyz): Incorrect API key provided: sk-…wxyz (invalid_api_key)\n")
        #expect(!result.stderr.contains("SECRET"))
    }

    @Test func askKeepsPartialTextWhenTheStreamBreaks() async throws {
        let server = try await FaultInjector.start(FaultResponse([FaultResponse.sseHead,
            .text("data: \(FaultResponse.chunk("Partial answ"))\n\n"), .close]))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "Hi"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "Partial answ\n")
        #expect(result.stderr == "dramatis ask: scripted closed the connection mid-reply; partial reply kept (12 characters), marked incomplete\n")
        let conversation = try #require(TranscriptStore(directory: dir.path("Transcripts")).loadAll().conversations.first)
        let reply = try #require(conversation.activePath.last.map { conversation[$0] })
        #expect(reply.text == "Partial answ")
        #expect(reply.reply?.finishReason == .incomplete)
        #expect(reply.reply?.error == "scripted closed the connection mid-reply; partial reply kept (12 characters), marked incomplete")
    }

    @Test func askWithMissingKeyVariableOrBadConfigExitsTwo() async throws {
        let dir = try workspace(nil)
        let missing = try await dramatis(["ask", "Hi"], in: dir, environment: [:])
        #expect(missing.status == 2)
        #expect(missing.stderr == "dramatis ask: backend scripted needs an API key: the environment variable SCRIPTED_KEY is not set\n")

        try "backends:\n  bad:\n    kind: openai\n    base_url: http://x/v1\n    model: m\n    api_key: sk-nope-nope-nope\n"
            .write(to: dir.path("dramatis.yaml"), atomically: true, encoding: .utf8)
        let bad = try await dramatis(["ask", "Hi"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("dramatis ask: \(dir.path("dramatis.yaml").path):6: backends.bad.api_key: API keys are never stored"))
        #expect(!bad.stderr.contains("sk-nope"))
    }

    @Test func doctorReportsBackendsKeysAndProbes() async throws {
        let server = try await FaultInjector.start(FaultResponse.sse([FaultResponse.chunk("OK", finish: "length"), "[DONE]"]))
        defer { Task { await server.stop() } }
        let dir = try workspace(server, extra: "  other:\n    kind: openai\n    base_url: http://127.0.0.1:9/v1\n    model: m\n    api_key_env: OTHER_KEY\n")
        let result = try await dramatis(["doctor", "--backend", "scripted"], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ncurses 6"))
        #expect(result.stdout.contains("codeset UTF-8 (UTF-8: ok)"))
        #expect(result.stdout.contains("SCRIPTED_KEY is set (sk-…wxyz)"))
        #expect(result.stdout.contains("OTHER_KEY is NOT set"))
        #expect(result.stdout.contains("yes, in "))
        #expect(result.stdout.contains("Result: the default backend 'scripted' works."))
        #expect(!result.stdout.contains("SECRET"))
        #expect(server.requests.count == 1)
        #expect((server.requests.first?.json?["max_tokens"] as? NSNumber)?.intValue == 1)
    }

    @Test func doctorExitsNonZeroWhenTheDefaultBackendCannotWork() async throws {
        let dir = try workspace(nil)
        let offline = try await dramatis(["doctor", "--offline"], in: dir, environment: [:])
        #expect(offline.status == 1)
        #expect(offline.stdout.contains("SCRIPTED_KEY is NOT set"))
        #expect(offline.stdout.contains("Result: the default backend 'scripted' cannot work: SCRIPTED_KEY is not set"))

        let refused = try await dramatis(["doctor"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("NO: cannot connect to scripted at 127.0.0.1:9: connection refused (is the server running?)"))
    }
}

/// Ctrl-C during `dramatis ask`.
@Suite struct AskInterruptTests {
    @Test func interruptStopsTheReplyClosesTheConnectionAndSavesIt() async throws {
        let server = try await FaultInjector.start(FaultResponse([FaultResponse.sseHead,
            .text("data: \(FaultResponse.chunk("Once upon a time"))\n\n"), .stall]))
        let dir = try TemporaryDirectory()
        try "default_backend: scripted\nbackends:\n  scripted:\n    kind: openai\n    base_url: \(server.baseURL.absoluteString)\n    model: m\n    idle_timeout: 60\n"
            .write(to: dir.path("dramatis.yaml"), atomically: true, encoding: .utf8)
        let process = try ChildProcess(AskAndDoctorCommandTests.dramatisBinary, ["ask", "Tell me a story"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "LANG": "C.UTF-8", "XDG_CONFIG_HOME": dir.path("config").path],
            currentDirectory: dir.url, captureStandardError: true)
        // Wait (with a deadline) until the partial reply is on stdout, then press Ctrl-C.
        var printed = Data()
        let deadline = Date().addingTimeInterval(30)
        let reader = try #require(process.standardOutput)
        while Date() < deadline, !String(decoding: printed, as: UTF8.self).contains("Once upon a time") {
            printed.append(reader.availableData)
        }
        process.signal(SIGINT)
        let status = try await process.wait()
        printed.append(reader.readDataToEndOfFile())
        let stderr = String(decoding: try #require(process.standardError).readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 130)
        #expect(String(decoding: printed, as: UTF8.self) == "Once upon a time\n")
        #expect(stderr == "dramatis ask: stopped; partial reply kept\n")
        #expect(await server.waitForClientClose(within: 5))
        let conversation = try #require(TranscriptStore(directory: dir.path("Transcripts")).loadAll().conversations.first)
        let reply = try #require(conversation.activePath.last.map { conversation[$0] })
        #expect(reply.text == "Once upon a time")
        #expect(reply.reply?.finishReason == .cancelled)
        await server.stop()
    }
}
