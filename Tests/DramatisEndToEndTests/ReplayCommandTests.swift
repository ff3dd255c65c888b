import Foundation
import Testing
import DramatisCore
import DramatisTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `dramatis replay` end to end: against the fault injector (good replies, a 429 storm, a dead backend,
/// Ctrl-C) and against the real local model.
@Suite(.serialized) struct ReplayCommandTests {
    static let secret = "sk-test-DO-NOT-LEAK-98765"

    /// Two good transcripts (one user turn each on the selected branch... two on the first) and a corrupt one.
    func inputs(in directory: TemporaryDirectory) throws -> URL {
        let folder = directory.path("Transcripts")
        let store = TranscriptStore(directory: folder)
        var first = CLIFixture.conversation(id: "20261118-110640-clippy-aaaa", question: "What is the capital of France?", at: 0)
        let follow = first.appendUserMessage("And of Spain?", at: Date(timeIntervalSince1970: 1_795_000_010))
        let reply = first.startReply(after: follow, backend: "local", model: "smollm2", at: Date(timeIntervalSince1970: 1_795_000_011))
        first.appendReplyText("Madrid.", to: reply)
        first.finishReply(reply, reason: .stop)
        try store.save(first)
        try store.save(CLIFixture.conversation(id: "20261119-110640-clippy-bbbb", question: "Capital of Italy?", at: 86_400))
        try Data("{\"format\":\"dramatis-transcript\",\"version\":1,\"id\":\"x\"}".utf8)
            .write(to: folder.appendingPathComponent("20261120-000000-clippy-cccc.json"))
        return folder
    }

    func environment(baseURL: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_BASE_URL"] = baseURL.absoluteString
        environment["OPENAI_API_KEY"] = Self.secret
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    static func reply(_ text: String) -> FaultResponse {
        .sse([FaultResponse.chunk(nil, role: "assistant"), FaultResponse.chunk(text), FaultResponse.chunk(nil, finish: "stop"),
              FaultResponse.usageChunk(prompt: 12, completion: 3), "[DONE]"])
    }

    func readReport(_ url: URL) throws -> ReplayReport {
        try ReplayReport.decode(try Data(contentsOf: url))
    }

    @Test func replaysGoodTranscriptsAndReportsTheCorruptOne() async throws {
        let injector = try await FaultInjector.start(Self.reply("Paris, sadly."))
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        let folder = try inputs(in: directory)
        let out = directory.path("Replays"), report = directory.path("report.json")
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["replay", folder.path, "--backend", "openai", "--model", "scripted", "--out", out.path, "--report", report.path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url)
        #expect(result.status == 1, "the corrupt transcript makes the run fail: \(result.stderr)")
        let parsed = try readReport(report)
        #expect(parsed.entries.map(\.status) == [.ok, .ok, .failed])
        #expect(parsed.entries[2].error?.contains("20261120-000000-clippy-cccc.json") == true)
        #expect(parsed.totals.turns == 3)
        #expect(parsed.totals.completionTokens == 9)
        #expect(parsed.entries[0].turns.map(\.newText) == ["Paris, sadly.", "Paris, sadly."])
        #expect(parsed.entries[0].turns[1].oldText == "Madrid.")
        for entry in parsed.entries where entry.status == .ok {
            let replayed = try TranscriptStore(directory: out).load(URL(fileURLWithPath: try #require(entry.newPath)))
            #expect(replayed.replayOf == entry.originalID)
            #expect(replayed.backend.name == "openai")
        }
        #expect(result.stdout.contains("FAILED"))
        let everything = result.stdout + result.stderr + (try String(contentsOf: report, encoding: .utf8))
            + (try String(contentsOf: URL(fileURLWithPath: report.path + ".txt"), encoding: .utf8))
            + (try TranscriptStore(directory: out).transcriptFiles().map { try String(contentsOf: $0, encoding: .utf8) }.joined())
        #expect(!everything.contains(Self.secret))
    }

    @Test func rateLimitStormIsRetriedAndSucceeds() async throws {
        let limited = FaultResponse.plain(status: 429, contentType: "application/json",
                                          body: #"{"error":{"message":"Rate limit reached","type":"rate_limit"}}"#, headers: [("Retry-After", "0")])
        // One retry layer (the backend's, 3 retries): three 429s, then the reply.
        let injector = try await FaultInjector.start(Array(repeating: limited, count: 3) + [Self.reply("Rome.")])
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.path("Transcripts"))
        try store.save(CLIFixture.conversation(id: "20261119-110640-clippy-bbbb", question: "Capital of Italy?", at: 86_400))
        let report = directory.path("report.json")
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["replay", "20261119-110640-clippy-bbbb", "--transcripts", store.directory.path, "--backend", "openai",
             "--retry-delay", "0.05", "--report", report.path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try readReport(report)
        #expect(parsed.entries.first?.status == .ok)
        #expect(parsed.entries.first?.turns.first?.newText == "Rome.")
        #expect(injector.requests.count == 4)
        #expect(parsed.entries.first?.turns.first?.attempts == 4)
    }

    @Test func deadBackendFailsEveryTranscriptButWritesTheReport() async throws {
        let directory = try TemporaryDirectory()
        let folder = try inputs(in: directory)
        let report = directory.path("report.json")
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["replay", folder.path, "--backend", "openai", "--out", directory.path("out").path, "--report", report.path],
            environment: environment(baseURL: URL(string: "http://127.0.0.1:9/v1")!), currentDirectory: directory.url)
        #expect(result.status == 1)
        let parsed = try readReport(report)
        #expect(parsed.entries.count == 3)
        #expect(parsed.entries.allSatisfy { $0.status == .failed })
        #expect(parsed.entries[0].error != nil)
        // The partial new transcript is still saved and loads.
        if let path = parsed.entries[0].newPath {
            let replayed = try TranscriptStore(directory: directory.path("out")).load(URL(fileURLWithPath: path))
            #expect(replayed.replayOf == "20261118-110640-clippy-aaaa")
        }
    }

    @Test func batchFileNeedsNoBackend() async throws {
        let directory = try TemporaryDirectory()
        let folder = try inputs(in: directory)
        let batch = directory.path("batch.jsonl")
        let result = try await ProcessRunner.run(BuiltProducts.dramatis,
            ["replay", folder.appendingPathComponent("20261118-110640-clippy-aaaa.json").path, folder.appendingPathComponent("20261119-110640-clippy-bbbb.json").path,
             "--batch-file", batch.path, "--backend", "openai", "--model", "gpt-4o-mini", "--temperature", "0"],
            environment: environment(baseURL: URL(string: "http://127.0.0.1:9/v1")!), currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: batch, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["method"] as? String == "POST")
            #expect(object["url"] as? String == "/v1/chat/completions")
            let body = try #require(object["body"] as? [String: Any])
            #expect(body["model"] as? String == "gpt-4o-mini")
            #expect(body["temperature"] as? Double == 0)
        }
        #expect(lines[1].contains(#""custom_id":"20261118-110640-clippy-aaaa#"#))
    }

    @Test func ctrlCStopsCleanlyWithAPartialReport() async throws {
        // Slow replies: one word every 0.3 s, so the run is still busy when interrupted.
        let slow = FaultResponse([FaultResponse.sseHead] + (0..<40).flatMap { index -> [FaultResponse.Step] in
            [.wait(seconds: 0.3), FaultResponse.Step.text("data: \(FaultResponse.chunk("w\(index) "))\n\n")]
        } + [FaultResponse.Step.text("data: \(FaultResponse.chunk(nil, finish: "stop"))\n\ndata: [DONE]\n\n")])
        let injector = try await FaultInjector.start(slow)
        defer { Task { await injector.stop() } }
        let directory = try TemporaryDirectory()
        let folder = try inputs(in: directory)
        let report = directory.path("report.json")
        let process = try ChildProcess(BuiltProducts.dramatis,
            ["replay", folder.path, "--backend", "openai", "--concurrency", "1", "--out", directory.path("out").path, "--report", report.path],
            environment: environment(baseURL: injector.baseURL), currentDirectory: directory.url, captureStandardOutput: false)
        // Wait until the first request arrived, then interrupt.
        for _ in 0..<300 where injector.requests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!injector.requests.isEmpty)
        try await Task.sleep(for: .milliseconds(500))
        process.signal(SIGINT)
        #expect(try await process.wait() == 130)
        let parsed = try readReport(report)
        #expect(parsed.cancelled)
        #expect(parsed.entries.first?.status == .cancelled)
        #expect(parsed.entries.dropFirst().contains { $0.status == .skipped })
        let replayed = try TranscriptStore(directory: directory.path("out")).load(URL(fileURLWithPath: try #require(parsed.entries.first?.newPath)))
        #expect(replayed.turns.contains { $0.reply?.finishReason == .cancelled })
    }

    @Test func realLocalModelIsDeterministic() async throws {
        let engine = try await LocalModel.engine()
        let directory = try TemporaryDirectory()
        let store = TranscriptStore(directory: directory.path("Transcripts"))
        try store.save(CLIFixture.conversation(id: "20261119-110640-clippy-bbbb", question: "What is the capital of Italy?", at: 86_400))
        var environment = ProcessInfo.processInfo.environment
        environment["DRAMATIS_LOCAL_BASE_URL"] = engine.baseURL.absoluteString
        var texts: [String] = []
        for run in 0..<2 {
            let report = directory.path("report-\(run).json")
            let result = try await ProcessRunner.run(BuiltProducts.dramatis,
                ["replay", "20261119-110640-clippy-bbbb", "--transcripts", store.directory.path, "--backend", "local",
                 "--temperature", "0", "--seed", "42", "--max-tokens", "48", "--out", directory.path("out-\(run)").path, "--report", report.path],
                environment: environment, currentDirectory: directory.url, timeout: 300)
            #expect(result.status == 0, "\(result.stderr)")
            let parsed = try readReport(report)
            let turn = try #require(parsed.entries.first?.turns.first)
            #expect(!turn.newText.isEmpty)
            #expect(turn.usage != nil)
            #expect(turn.similarity != nil)
            texts.append(turn.newText)
        }
        #expect(texts[0] == texts[1])
    }
}
