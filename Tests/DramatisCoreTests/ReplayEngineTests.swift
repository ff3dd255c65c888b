import Foundation
import Testing
@testable import DramatisCore
import DramatisTestSupport

/// An in-memory backend that answers from a script (unit tests of the engine's logic; the real
/// HTTP paths are covered end to end against llama-server and the fault injector).
final class ScriptedBackend: ChatBackend, @unchecked Sendable {
    // @unchecked Sendable: `requests` and `failures` are only touched while holding `lock`.
    let descriptor = BackendDescriptor(name: "scripted", kind: "test", model: "echo-1")
    private let lock = NSLock()
    private var failures: [BackendError]
    private(set) var requests: [ChatRequest] = []
    let delayPerDelta: UInt64
    /// Retries the first request announces before answering (what a real backend's retry layer reports).
    private var retryNotices: Int

    init(failures: [BackendError] = [], delayPerDelta: UInt64 = 0, retryNotices: Int = 0) {
        self.failures = failures
        self.delayPerDelta = delayPerDelta
        self.retryNotices = retryNotices
    }

    var requestCount: Int { lock.lock(); defer { lock.unlock() }; return requests.count }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        lock.lock()
        requests.append(request)
        let failure = failures.isEmpty ? nil : failures.removeFirst()
        let notices = retryNotices
        retryNotices = 0
        lock.unlock()
        let delay = delayPerDelta
        return AsyncThrowingStream { continuation in
            let task = Task {
                for attempt in 0..<notices {
                    continuation.yield(.retrying(RetryNotice(attempt: attempt + 1, maxRetries: 3, delay: 0, message: "429 from scripted")))
                }
                if let failure { continuation.finish(throwing: failure); return }
                let last = request.messages.last?.content ?? ""
                for word in "Echo: \(last)".split(separator: " ", omittingEmptySubsequences: false) {
                    if delay > 0 {
                        do { try await Task.sleep(nanoseconds: delay) } catch { continuation.finish(throwing: CancellationError()); return }
                    }
                    continuation.yield(.delta(word + " "))
                }
                continuation.yield(.finished(.stop))
                continuation.yield(.usage(TokenUsage(promptTokens: request.messages.count, completionTokens: 3)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

@Suite struct ReplayEngineTests {
    func original() -> Conversation {
        var conversation = TranscriptFixtures.golden()
        conversation.select(5)   // active branch: greeting, question, edited reply, follow-up, "Madrid."
        return conversation
    }

    @Test func replayRerunsTheActiveBranchAndLinksTheOriginal() async throws {
        let backend = ScriptedBackend()
        let persona = Persona(id: "clippy", name: "Clippy", systemPrompt: "New prompt.", greeting: "Hello again.")
        let engine = ReplayEngine(persona: persona, backend: backend)
        var events: [String] = []
        var outcome: ReplayOutcome?
        for try await event in engine.replay(original(), newID: "20261122-000000-clippy-beef") {
            switch event {
            case .started: events.append("started")
            case .userTurn(let index, let count, _, _): events.append("user \(index)/\(count)")
            case .delta: if events.last != "delta" { events.append("delta") }
            case .replyFinished(let result, _): events.append("reply \(result.index)")
            case .retrying: events.append("retry")
            case .finished(let value): outcome = value; events.append("finished")
            }
        }
        #expect(events == ["started", "user 0/2", "delta", "reply 0", "user 1/2", "delta", "reply 1", "finished"])
        let result = try #require(outcome)
        #expect(result.error == nil && !result.cancelled)
        let conversation = result.conversation
        #expect(conversation.id == "20261122-000000-clippy-beef")
        #expect(conversation.replayOf == "20261118-000000-clippy-0001")
        #expect(conversation.persona.systemPrompt == "New prompt.")
        #expect(conversation.activePath.map { conversation[$0].role } == [.assistant, .user, .assistant, .user, .assistant])
        #expect(conversation[1].origin == .replayed)
        #expect(conversation[2].text == "Echo: What is the capital of France?\nBe brief. ")
        #expect(conversation[2].reply?.finishReason == .stop)
        #expect(result.turns[0].oldText == "Paris, as any atlas would tell you.")
        #expect(result.turns[1].oldText == "Madrid.")
        #expect(result.turns[0].usage == TokenUsage(promptTokens: 3, completionTokens: 3))
        #expect(result.turns.allSatisfy { $0.similarity != nil && $0.similarity! < 0.5 })
        // The second request carries the new reply, not the old one, as history.
        #expect(backend.requests[1].messages.map(\.content) == ["New prompt.", "Hello again.", "What is the capital of France?\nBe brief.",
                                                               "Echo: What is the capital of France?\nBe brief. ", "And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭"])
    }

    @Test func backendRetriesAreCountedAndReplayAddsNoRetryLayerOfItsOwn() async {
        // The backend's retry layer announces two retries, then answers: three attempts, one stream.
        let backend = ScriptedBackend(retryNotices: 2)
        let engine = ReplayEngine(persona: TranscriptFixtures.clippy, backend: backend)
        let retries = LockedList()
        let outcome = await engine.run(original()) { event in
            if case .retrying(let index, let attempt, _, let message) = event { retries.append("\(index) \(attempt) \(message)") }
        }
        #expect(outcome.error == nil)
        #expect(outcome.turns.map(\.attempts) == [3, 1])
        #expect(backend.requestCount == 2)
        #expect(retries.items == ["0 2 429 from scripted", "0 3 429 from scripted"])
        #expect(outcome.conversation.turns.filter { $0.role == .assistant && $0.origin == .generated }.count == 2)

        // A rate limit the backend gave up on is reported as it is, not retried again on top.
        let limited = ScriptedBackend(failures: [BackendError(kind: .rateLimited, message: "429 Too Many Requests from scripted after 3 retries")])
        let failed = await ReplayEngine(persona: TranscriptFixtures.clippy, backend: limited).run(original())
        #expect(limited.requestCount == 1)
        #expect(failed.error == "429 Too Many Requests from scripted after 3 retries")
    }

    @Test func aDeadBackendStopsTheReplayWithItsError() async {
        let dead = BackendError(kind: .connectionRefused, message: "connection refused by 127.0.0.1:9")
        let backend = ScriptedBackend(failures: [dead])
        let engine = ReplayEngine(persona: TranscriptFixtures.clippy, backend: backend)
        let outcome = await engine.run(original())
        #expect(outcome.error == "connection refused by 127.0.0.1:9")
        #expect(outcome.turns.count == 1)
        #expect(outcome.turns[0].newFinishReason == .incomplete)
        let reply = outcome.conversation[outcome.turns[0].newReplyTurn]
        #expect(reply.reply?.error == "connection refused by 127.0.0.1:9")
        #expect(reply.isComplete)
    }

    @Test func sessionStepsOneTurnAtATime() async {
        let backend = ScriptedBackend()
        var session = ReplaySession(engine: ReplayEngine(persona: TranscriptFixtures.clippy, backend: backend), original: original())
        #expect(session.turnCount == 2)
        #expect(session.nextUserText == "What is the capital of France?\nBe brief.")
        let first = await session.next()
        #expect(first?.index == 0)
        #expect(backend.requestCount == 1)
        #expect(!session.isFinished)
        #expect(session.nextUserText?.hasPrefix("And of Spain?") == true)
        _ = await session.next()
        #expect(session.isFinished)
        #expect(await session.next() == nil)
        #expect(session.outcome.turns.count == 2)
        #expect(session.conversation.replayOf == "20261118-000000-clippy-0001")
    }

    @Test func similarityScores() {
        #expect(TextSimilarity.score("Paris is the capital.", "paris is the capital.") == 1)
        #expect(TextSimilarity.score("", "") == 1)
        #expect(TextSimilarity.score("alpha beta", "gamma delta") == 0)
        #expect(TextSimilarity.score("Paris is the capital of France.", "Paris is the capital.") == 0.714)
    }

    @Test func batchFileLinesCarryHistoryAndSampling() {
        let persona = Persona(id: "clippy", name: "Clippy", sampling: SamplingParameters(temperature: 0, maxTokens: 64, seed: 7),
                              systemPrompt: "Be terse.")
        let lines = BatchRequestFile.lines(for: original(), persona: persona, model: "gpt-4o-mini")
        #expect(lines == [
            #"{"custom_id":"20261118-000000-clippy-0001#1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"What is the capital of France?\nBe brief."}],"temperature":0,"max_tokens":64,"seed":7}}"#,
            #"{"custom_id":"20261118-000000-clippy-0001#4","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"What is the capital of France?\nBe brief."},{"role":"assistant","content":"Paris, as any atlas would tell you."},{"role":"user","content":"And of Spain? \"Quote\" \\ tab\t ünïcödé 🎭"}],"temperature":0,"max_tokens":64,"seed":7}}"#,
        ])
    }
}

@Suite struct ReplayBatchTests {
    @Test func corruptTranscriptFailsAloneAndReportCoversTheRest() async throws {
        let directory = try TemporaryDirectory()
        let input = TranscriptStore(directory: directory.path("in"))
        try input.save(TranscriptFixtures.golden(id: "20261118-000000-clippy-0001"))
        try input.save(TranscriptFixtures.golden(id: "20261119-000000-clippy-0002", question: "Capital of Italy?"))
        let corrupt = directory.path("in/20261120-000000-clippy-0003.json")
        try Data("{\"format\":\"dramatis-transcript\",\"version\":1}".utf8).write(to: corrupt)
        let backend = ScriptedBackend()
        let runner = BatchReplayRunner(output: TranscriptStore(directory: directory.path("out")), concurrency: 2) { _ in
            ReplaySetup(persona: TranscriptFixtures.clippy, backend: backend)
        }
        let sources = [input.url(for: "20261118-000000-clippy-0001"), corrupt, input.url(for: "20261119-000000-clippy-0002")]
        let report = await runner.run(sources)
        #expect(report.entries.map(\.status) == [.ok, .failed, .ok])
        #expect(report.entries[1].error?.contains("20261120-000000-clippy-0003.json") == true)
        #expect(report.totals.succeeded == 2 && report.totals.failed == 1)
        #expect(report.totals.turns == 2)   // the fixtures' selected branch is the 2+2 branch: one user turn each
        let output = TranscriptStore(directory: directory.path("out"))
        for entry in report.entries where entry.status == .ok {
            let replayed = try output.load(URL(fileURLWithPath: try #require(entry.newPath)))
            #expect(replayed.replayOf == entry.originalID)
        }
        // The JSON report round-trips and the summary names the failure.
        let decoded = try ReplayReport.decode(try report.jsonData())
        #expect(decoded.entries.count == 3)
        #expect(report.summary().contains("FAILED"))
        #expect(try String(decoding: report.jsonData(), as: UTF8.self).contains("\"mean_similarity\""))
    }

    @Test func cancellingStopsCleanlyWithAPartialReport() async throws {
        let directory = try TemporaryDirectory()
        let input = TranscriptStore(directory: directory.path("in"))
        var sources: [URL] = []
        for index in 0..<4 {
            let id = "2026111\(index)-000000-clippy-000\(index)"
            try input.save(TranscriptFixtures.golden(id: id))
            sources.append(input.url(for: id))
        }
        let backend = ScriptedBackend(delayPerDelta: 200_000_000)
        let runner = BatchReplayRunner(output: TranscriptStore(directory: directory.path("out")), concurrency: 1) { _ in
            ReplaySetup(persona: TranscriptFixtures.clippy, backend: backend)
        }
        let started = AsyncStream<Void>.makeStream()
        let task = Task { await runner.run(sources) { event in
            if case .transcriptStarted = event { started.continuation.yield() }
        } }
        for await _ in started.stream { break }
        task.cancel()
        let report = await task.value
        #expect(report.cancelled)
        #expect(report.entries.count == 4)
        #expect(report.entries[0].status == .cancelled)
        #expect(report.entries[1...].allSatisfy { $0.status == .skipped })
    }

    @Test func summaryIsSanitized() {
        let turn = ReplayTurnResult(index: 0, userText: "hi \u{1B}]0;title\u{07}there", originalReplyTurn: 1, newReplyTurn: 2,
                                    oldText: "old", newText: "new \u{1B}[2J", oldFinishReason: .stop, newFinishReason: .length,
                                    usage: TokenUsage(promptTokens: 5, completionTokens: 7), similarity: 0.5, attempts: 2,
                                    error: "bad \u{1B}[31mred")
        let report = ReplayReport(startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 1), cancelled: false,
                                  entries: [.init(source: "/x.json", originalID: "x", status: .failed, error: "e\u{1B}[0m", userTurns: 1, turns: [turn])])
        let summary = report.summary()
        #expect(!summary.contains("\u{1B}"))
        #expect(summary.contains("turn 1: old 3 chars, new 8 chars, finish stop -> length, 5+7 tok, similarity 0.500, 2 attempts"))
        #expect(summary.contains("user: hi there"))
        #expect(report.totals == ReplayReport.Totals(transcripts: 1, succeeded: 0, failed: 1, cancelled: 0, skipped: 0, turns: 1,
                                                     promptTokens: 5, completionTokens: 7, meanSimilarity: 0.5))
    }
}

/// A list appended to from `@Sendable` callbacks.
final class LockedList: @unchecked Sendable {
    // @unchecked Sendable: `storage` is only touched while holding `lock`.
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ item: String) { lock.lock(); storage.append(item); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
