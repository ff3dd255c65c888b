import DramatisBackends
import DramatisCore
import DramatisRuntime
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisTUI

/// The effect runner on its own: what each effect reports back, with a real recorder and a loopback backend.
@Suite struct EffectRunnerTests {
    /// A runner over `RecordingServices` whose backend talks to `server`.
    static func runner(_ home: TemporaryDirectory, server: URL) throws -> (EffectRunner, EventInbox, Recorder) {
        let store = TranscriptStore(directory: home.path("Transcripts"))
        let recorder = Recorder(transcripts: store, datasetRoot: home.path("Datasets"))
        let services = RecordingServices(recorder: recorder, backend: ForwardingBackend(ChatFaultRecoveryTests.backend(server)))
        let inbox = try EventInbox()
        return (EffectRunner(services: services, inbox: inbox, environment: [:]), inbox, recorder)
    }

    /// Waits (off the cooperative pool) until the inbox holds an event.
    static func next(_ inbox: EventInbox) async throws -> [AppEvent] {
        try await onThread { inbox.wait(milliseconds: 30_000) }
    }

    @Test func streamWithoutAChatFailsAtOnce() throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let (runner, _, _) = try Self.runner(home, server: URL(string: "http://127.0.0.1:9/v1")!)
        let events = runner.run(.startStream(id: 7, request: ChatRequest(messages: [.user("hi")])), screen: nil)
        #expect(events == [.streamFailed(stream: 7, message: NoticeMessage.noBackendConnected.text)])
    }

    @Test func aCompareSourcesBackendThatCannotBeMadeFailsOnlyItsStream() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let (runner, inbox, _) = try Self.runner(home, server: URL(string: "http://127.0.0.1:9/v1")!)
        let events = runner.run(.startStreamOn(id: 8, request: ChatRequest(messages: [.user("hi")]), backend: "hosted"), screen: nil)
        #expect(events.isEmpty)
        #expect(try await Self.next(inbox) == [.streamFailed(stream: 8, message: "no backend called hosted is available here")])
    }

    @Test func candidatesWithoutAChatOrWithABackendThatCannotBeMadeFailEveryStream() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let (runner, inbox, _) = try Self.runner(home, server: URL(string: "http://127.0.0.1:9/v1")!)
        let request = ChatRequest(messages: [.user("hi")], choices: 2)
        #expect(runner.run(.startChoices(ids: [3, 4], request: request, backend: nil), screen: nil)
                == [.streamFailed(stream: 3, message: NoticeMessage.noBackendConnected.text),
                    .streamFailed(stream: 4, message: NoticeMessage.noBackendConnected.text)])
        #expect(runner.run(.startChoices(ids: [5, 6], request: request, backend: "hosted"), screen: nil).isEmpty)
        var events = try await Self.next(inbox)
        while events.count < 2 { events += try await Self.next(inbox) }
        #expect(events == [.streamFailed(stream: 5, message: "no backend called hosted is available here"),
                           .streamFailed(stream: 6, message: "no backend called hosted is available here")])
    }

    @Test func recordRunsOnTheWriterAndReportsWhereAndWhatItWrote() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let (runner, inbox, recorder) = try Self.runner(home, server: URL(string: "http://127.0.0.1:9/v1")!)
        var conversation = Fixtures.conversation()
        conversation.appendUserMessage("Hello", at: Fixtures.date)
        #expect(runner.run(.record(conversation, .save), screen: nil).isEmpty)   // not on the caller's thread
        #expect(runner.run(.loadTranscripts, screen: nil).isEmpty)
        var events = try await Self.next(inbox)
        while events.count < 2 { events += try await Self.next(inbox) }
        let location = recorder.transcripts.url(for: conversation.id).path
        #expect(events[0] == .recorded(location: location, reason: .save, contentHash: conversation.hashValue))
        // The listing ran after the write asked for before it.
        guard case .transcriptsLoaded = events[1] else { Issue.record("\(events)"); return }
        runner.finishWrites()
        #expect(try recorder.transcripts.load(recorder.transcripts.url(for: conversation.id)).lastTurn?.text == "Hello")
    }

    @Test func theDatasetIsPreparedOnTheWriterOnceTheChatIsOpen() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let recorder = Recorder(transcripts: TranscriptStore(directory: home.path("Transcripts")), datasetRoot: home.path("Datasets"))
        let services = RecordingServices(recorder: recorder, backend: ForwardingBackend(ChatFaultRecoveryTests.backend(URL(string: "http://127.0.0.1:9/v1")!)))
        let inbox = try EventInbox()
        let runner = EffectRunner(services: services, inbox: inbox, environment: [:])
        #expect(runner.run(.startChat(personaID: "clippy"), screen: nil).isEmpty)
        let ready = try await Self.next(inbox)
        guard case .chatReady(let conversation, _)? = ready.first else { Issue.record("\(ready)"); return }
        // Asked for after the chat was posted, and queued on the writer: a record asked for now runs after it.
        #expect(runner.run(.record(conversation, .save), screen: nil).isEmpty)
        runner.finishWrites()
        #expect(services.preparedConversations.withLock { $0 } == [conversation.id])
        #expect(FileManager.default.fileExists(atPath: recorder.datasetDirectory(personaID: "clippy").path))
    }

    @Test func theDatasetIsComputedOnTheWriterAfterTheMarksBeforeIt() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let (runner, inbox, _) = try Self.runner(home, server: URL(string: "http://127.0.0.1:9/v1")!)
        var conversation = Fixtures.conversation()
        let user = conversation.appendUserMessage("Hello", at: Fixtures.date)
        let reply = conversation.startReply(after: user, backend: "local", model: "m", at: Fixtures.date)
        conversation.appendReplyText("Hi.", to: reply)
        conversation.finishReply(reply, reason: .stop)
        conversation.setMark(.good, on: reply, at: Fixtures.date)
        #expect(runner.run(.record(conversation, .mark), screen: nil).isEmpty)
        #expect(runner.run(.loadDataset(personaID: "clippy"), screen: nil).isEmpty)
        var events = try await Self.next(inbox)
        while events.count < 2 { events += try await Self.next(inbox) }
        guard case .datasetLoaded(let overview) = events[1] else { Issue.record("\(events)"); return }
        // Computed after the record was written: the mark's example is counted.
        #expect(overview.summary == ["SFT examples: 1"])
    }

    @Test func startChatConnectsThenStreamsAndQuitIsRemembered() async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-runner")
        let server = try await FaultInjector.start(ScriptedReply.text("Hello there."))
        let (runner, inbox, _) = try Self.runner(home, server: server.baseURL)
        #expect(runner.run(.startChat(personaID: "clippy"), screen: nil).isEmpty)
        let ready = try await Self.next(inbox)
        guard case .chatReady(let conversation, let connection)? = ready.first else { Issue.record("\(ready)"); return }
        #expect(conversation.persona.id == "clippy")
        #expect(connection == BackendDescriptor(name: "scripted", kind: "openai", model: "test-model"))

        #expect(runner.run(.startStream(id: 1, request: ChatRequest(messages: [.user("Hi")])), screen: nil).isEmpty)
        var text = ""
        var finished: FinishReason?
        while finished == nil {
            for event in try await Self.next(inbox) {
                if case .streamDelta(1, let piece) = event { text += piece }
                if case .streamFinished(1, let reason, _, _) = event { finished = reason }
                if case .streamFailed(_, let message) = event { Issue.record("failed: \(message)"); return }
            }
        }
        #expect(text == "Hello there.")
        #expect(finished == .stop)
        #expect(!runner.quitRequested)
        _ = runner.run(.quit, screen: nil)
        #expect(runner.quitRequested)
        await server.stop()
    }
}

/// The chat stamps replies with the backend it is connected to, not the one the reopened file names.
@Suite struct ConnectionStateTests {
    @Test func aReopenedTranscriptRecordsTheBackendItTalksTo() throws {
        var driver = Driver(Fixtures.pickerState())
        let stored = Fixtures.conversation()
        let connection = BackendDescriptor(name: "openai", kind: "openai", model: "gpt-override")
        driver.send(.chatReady(stored, connection: connection))
        #expect(driver.chat.connection == connection)
        driver.type("Hi")
        let effects = driver.press(.enter)
        guard case .startStream(_, let request)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(request.model == "gpt-override")
        let reply = try #require(driver.chat.stream?.turn)
        #expect(driver.conversation[reply].reply?.backend == "openai")
        #expect(driver.conversation[reply].reply?.model == "gpt-override")
        #expect(Renderer.render(driver.state, width: 80, height: 24).lines[0].contains("openai · gpt-override"))
    }
}

/// "Durable before the badge" is a reducer rule: a mark shows as pending until the revision it was recorded in
/// is reported durable.
@Suite struct DurabilityRuleTests {
    @Test func aMarkIsPendingUntilItsRevisionIsDurable() throws {
        var driver = Driver(Fixtures.chatState())
        let reply = try #require(driver.chat.latestReply)
        let first = driver.press(.alt("="))
        guard case .record(let markedGood, .mark)? = first.first else { Issue.record("\(first)"); return }
        #expect(driver.chat.isMarkPending(reply))
        #expect(Renderer.render(driver.state, width: 80, height: 24).lines.contains { $0.contains("[+ good …]") })
        let second = driver.press(.alt("-"))
        guard case .record(let markedBad, .mark)? = second.first else { Issue.record("\(second)"); return }
        #expect(driver.chat.revision == 2)

        // The first write (revision 1) is durable: the newer mark (revision 2) still is not.
        driver.send(.recorded(location: "x", reason: .mark, contentHash: markedGood.hashValue))
        #expect(driver.chat.durableRevision == 1)
        #expect(driver.chat.isMarkPending(reply))
        #expect(driver.chat.recordedMarks == 1)
        // A report for something never asked for changes nothing about durability.
        driver.send(.recorded(location: "x", reason: .mark, contentHash: 12345))
        #expect(driver.chat.durableRevision == 1 && driver.chat.isMarkPending(reply))

        driver.send(.recorded(location: "x", reason: .mark, contentHash: markedBad.hashValue))
        #expect(driver.chat.durableRevision == 2 && driver.chat.isDurable)
        #expect(!driver.chat.isMarkPending(reply))
        let lines = Renderer.render(driver.state, width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("[- bad]") })
        #expect(!lines.contains { $0.contains("…]") })
    }
}
