import DramatisBackends
import DramatisCore
import DramatisTestSupport
import DramatisRuntime
import Foundation
import Synchronization
import Testing
@testable import DramatisTUI

/// The whole backend failure matrix through the chat screen's real path: the reducer asks for a
/// stream, a real `OpenAICompatibleBackend` talks to the loopback `FaultInjector`, its events go
/// back into the reducer, and `.record` effects go to a real `Recorder` on disk — what
/// `dramatis chat` does, minus curses. For every failure: the status line shows the exact message,
/// the conversation (earlier exchange and its mark, the user's message, the partial reply) is
/// intact in memory and on disk, and Ctrl-R once the fault has stopped gets the reply, with exactly
/// the same history sent again (no half turn in it).
@Suite struct ChatFaultRecoveryTests {
    static let key = "sk-tui-fault-KEY-0123456789abcd"
    static let question = "And the capital of Italy?"
    static let firstAnswer = "Paris, obviously."
    static let recovered = "Rome. Try to keep up."

    /// How the fault is produced, and how it stops.
    enum Transport: Sendable {
        /// The injector answers request 1 (first exchange) normally, then these, then `recovered` for ever.
        case scripted([FaultResponse])
        /// A port bound but not listening; the fault stops when that socket listens, served by an injector.
        case refused
        /// A listener whose accept queue is full; the fault stops when an injector takes it over and accepts.
        case connectTimeout
        /// A host that does not resolve; the fault stops when the chat's backend points at a server that answers.
        case dnsFailure
    }

    struct FaultCase: Sendable, CustomTestStringConvertible {
        var label: String
        var transport: Transport
        /// The exact message for the failure; `port` is the port the backend talks to.
        var message: @Sendable (_ port: Int) -> String
        /// Text of the failed reply kept in the conversation.
        var partial: String = ""
        /// Requests the injector sees for the failed attempt (429 is retried by the backend).
        var faultRequests: Int = 1
        /// Connect and idle timeouts of the faulty backend: short only where the fault is a timeout (its message
        /// names them); elsewhere patient, so a loaded machine pausing a loopback stream is not mistaken for the fault.
        var timeout: Double = 15
        var testDescription: String { label }
    }

    static func limited(retryAfter: String) -> FaultResponse {
        FaultResponse.plain(status: 429, contentType: "application/json",
                            body: "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
                            headers: [("Retry-After", retryAfter)])
    }

    static let unavailable = FaultResponse.plain(status: 503, contentType: "application/json",
                                                 body: "{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}")
    static let badGateway = FaultResponse.plain(status: 502, contentType: "text/html",
                                                body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")

    static func stream(_ steps: FaultResponse.Step...) -> FaultResponse { FaultResponse([FaultResponse.sseHead] + steps) }

    static func data(_ json: String) -> FaultResponse.Step { .text("data: \(json)\n\n") }

    static let cases: [FaultCase] = {
        let cafe = Array("data: \(FaultResponse.chunk("café"))\n\n".utf8)
        let cut = cafe.firstIndex(of: 0xC3)! + 1
        return [
            FaultCase(label: "401", transport: .scripted([.plain(status: 401, contentType: "application/json",
                                                                  body: "{\"error\":{\"message\":\"Incorrect API key provided: \(key)\",\"code\":\"invalid_api_key\"}}")]),
                      message: { _ in "scripted rejected the API key (401 Unauthorized); check TUI_TEST_KEY (sk-…abcd): Incorrect API key provided: sk-…abcd (invalid_api_key)" }),
            FaultCase(label: "403", transport: .scripted([.plain(status: 403, contentType: "application/json", body: "{\"error\":{\"message\":\"Access denied\"}}")]),
                      message: { _ in "scripted refused access (403 Forbidden); the key may lack permission for this model — check TUI_TEST_KEY (sk-…abcd): Access denied" }),
            FaultCase(label: "404", transport: .scripted([.plain(status: 404, contentType: "application/json",
                                                                  body: "{\"error\":{\"message\":\"The model `test-model` does not exist\",\"code\":\"model_not_found\"}}")]),
                      message: { "scripted does not know model 'test-model' or the URL http://127.0.0.1:\($0)/v1/chat/completions (404 Not Found): The model `test-model` does not exist (model_not_found)" }),
            FaultCase(label: "429 after bounded retries", transport: .scripted([limited(retryAfter: "0"), limited(retryAfter: "0")]),
                      message: { _ in "scripted is rate limiting (429 Too Many Requests) after 1 retry; retry after 0 s: Rate limit reached (rate_limit_exceeded)" },
                      faultRequests: 2),
            FaultCase(label: "429 with a long Retry-After", transport: .scripted([limited(retryAfter: "3600")]),
                      message: { _ in "scripted is rate limiting (429 Too Many Requests); retry after 60 min: Rate limit reached (rate_limit_exceeded)" }),
            FaultCase(label: "503 after bounded retries", transport: .scripted(Array(repeating: unavailable, count: 2)),
                      message: { _ in "scripted had a server error (503 Service Unavailable) after 1 retry: Loading model (503)" },
                      faultRequests: 2),
            FaultCase(label: "HTML error page", transport: .scripted(Array(repeating: badGateway, count: 2)),
                      message: { "scripted answered 502 Bad Gateway after 1 retry with an HTML page (\"502 Bad Gateway\") instead of an API reply; check the base URL http://127.0.0.1:\($0)/v1/chat/completions" },
                      faultRequests: 2),
            FaultCase(label: "connection refused", transport: .refused,
                      message: { "cannot connect to scripted at 127.0.0.1:\($0): connection refused (is the server running?)" }, faultRequests: 0),
            FaultCase(label: "DNS failure", transport: .dnsFailure,
                      message: { _ in "cannot resolve host 'no-such-host.invalid' for backend scripted (DNS lookup failed); check the URL and the network" },
                      faultRequests: 0),
            FaultCase(label: "connect timeout", transport: .connectTimeout,
                      message: { "could not connect to scripted at 127.0.0.1:\($0) within 2 s" }, faultRequests: 0, timeout: 2),
            FaultCase(label: "no first byte", transport: .scripted([FaultResponse([.stall])]),
                      message: { "scripted at 127.0.0.1:\($0) sent no response within 2 s" }, timeout: 2),
            FaultCase(label: "stall mid-stream", transport: .scripted([stream(data(FaultResponse.chunk("Rome, I ")), .stall)]),
                      message: { _ in "scripted stalled: no data for 2 s in the middle of the reply; partial reply kept (8 characters), marked incomplete" },
                      partial: "Rome, I ", timeout: 2),
            FaultCase(label: "disconnect mid-stream", transport: .scripted([stream(data(FaultResponse.chunk("Rome, obv")), .close)]),
                      message: { _ in "scripted closed the connection mid-reply; partial reply kept (9 characters), marked incomplete" },
                      partial: "Rome, obv"),
            FaultCase(label: "reply cut inside a UTF-8 sequence",
                      transport: .scripted([stream(data(FaultResponse.chunk("Olá ")), .bytes(Array(cafe[..<cut])), .close)]),
                      message: { _ in "scripted closed the connection mid-reply; partial reply kept (4 characters), marked incomplete" },
                      partial: "Olá "),
            FaultCase(label: "malformed JSON chunk",
                      transport: .scripted([stream(data(FaultResponse.chunk("ok ")), data("{\"choices\":[{\"delta\":{\"content\":\"x\"}"), data("[DONE]"))]),
                      message: { _ in "scripted sent malformed JSON in a stream chunk: {\"choices\":[{\"delta\":{\"content\":\"x\"}; partial reply kept, marked incomplete" },
                      partial: "ok "),
            FaultCase(label: "error chunk mid-stream",
                      transport: .scripted([stream(data(FaultResponse.chunk("Once upon")),
                                                   data("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}"))]),
                      message: { _ in "scripted reported an error during the reply: The server had an error while processing your request.; partial reply kept, marked incomplete" },
                      partial: "Once upon"),
        ]
    }()

    @Test("a failure keeps the conversation and Ctrl-R succeeds once the fault stops", arguments: cases)
    func failureThenRetry(_ fault: FaultCase) async throws {
        let home = try TemporaryDirectory(prefix: "dramatis-tui-fault")
        let store = TranscriptStore(directory: home.path("Transcripts"))

        // Bring up the fault; `first` answers the first exchange (transport faults use it too, via `backend`).
        let good = ScriptedReply.text(Self.firstAnswer)
        var injector: FaultInjector?
        var refusing: RefusingPort?
        var unaccepting: UnacceptingListener?
        var backendURL: URL
        var firstServer: FaultInjector?
        switch fault.transport {
        case .scripted(let faults):
            let server = try await FaultInjector.start([good] + faults + [ScriptedReply.text(Self.recovered)])
            injector = server
            backendURL = server.baseURL
        case .refused:
            refusing = try RefusingPort()
            backendURL = URL(string: "http://127.0.0.1:\(refusing!.port)/v1")!
            firstServer = try await FaultInjector.start(good)
        case .connectTimeout:
            unaccepting = try UnacceptingListener()
            backendURL = URL(string: "http://127.0.0.1:\(unaccepting!.port)/v1")!
            firstServer = try await FaultInjector.start(good)
        case .dnsFailure:
            backendURL = URL(string: "http://no-such-host.invalid/v1")!
            firstServer = try await FaultInjector.start(good)
        }
        let faultyBackend = Self.backend(backendURL, timeout: fault.timeout)
        let port = backendURL.port ?? 80

        // A first exchange, marked good: the failure must not disturb it.
        let session = try await ChatSession(recorder: Recorder(transcripts: store, datasetRoot: home.path("Datasets")),
                                            backend: firstServer.map { Self.backend($0.baseURL) } ?? faultyBackend)
        await session.send("What is the capital of France?")
        #expect(session.chat.conversation.lastTurn?.text == Self.firstAnswer)
        await session.press(.alt("="))
        let firstReply = try #require(session.chat.latestReply)
        #expect(session.chat.conversation[firstReply].mark?.value == .good)

        // The failure.
        session.backend = faultyBackend
        await session.send(Self.question)
        let expected = fault.message(port)
        let chat = session.chat
        #expect(chat.phase == .error(expected))
        #expect(!chat.isGenerating)
        #expect(session.renderedText.contains("error: \(expected)"), "status line: \(session.renderedText)")
        let path = chat.conversation.activePath.map { chat.conversation[$0] }
        #expect(path.map(\.role) == [.assistant, .user, .assistant, .user, .assistant])
        #expect(path.map(\.text) == [Fixtures.clippy.greeting!, "What is the capital of France?", Self.firstAnswer, Self.question, fault.partial])
        #expect(path[2].mark?.value == .good)
        #expect(path[4].reply?.finishReason == .incomplete)
        #expect(path[4].reply?.error == expected)
        // … and the same on disk.
        let saved = try store.load(store.url(for: chat.conversation.id))
        let savedPath = saved.activePath.map { saved[$0] }
        #expect(savedPath.map(\.text) == path.map(\.text))
        #expect(savedPath[2].mark?.value == .good)
        #expect(savedPath[4].reply?.finishReason == .incomplete)
        #expect(savedPath[4].reply?.error == expected)
        if let injector { #expect(injector.requests.count == 1 + fault.faultRequests) }

        // The fault stops.
        switch fault.transport {
        case .scripted:
            break
        case .refused:
            injector = try await FaultInjector.start([ScriptedReply.text(Self.recovered)], listeningOn: refusing!.startListening())
        case .connectTimeout:
            injector = try await FaultInjector.start([ScriptedReply.text(Self.recovered)], listeningOn: unaccepting!.startAccepting())
        case .dnsFailure:
            injector = try await FaultInjector.start([ScriptedReply.text(Self.recovered)])
            session.backend = Self.backend(injector!.baseURL)
        }
        let server = try #require(injector)
        let before = server.requests.count

        // Ctrl-R: a new reply to the same question, the failed one kept as an alternative. The retry talks to the
        // same server with patient timeouts (see `FaultCase.timeout`).
        session.backend = Self.backend(server.baseURL)
        let failed = try #require(session.chat.latestReply)
        await session.press(.control("r"))
        #expect(session.chat.phase == .idle)
        let retried = try #require(session.chat.latestReply)
        #expect(session.chat.conversation[retried].text == Self.recovered)
        #expect(session.chat.conversation[retried].reply?.finishReason == .stop)
        #expect(session.chat.conversation.alternatives(of: retried) == [failed, retried])
        #expect(session.requests.count == 3)
        #expect(session.requests[2].messages == session.requests[1].messages, "the retry must send the same history")
        #expect(session.requests[1].messages.last == .user(Self.question))
        #expect(!session.requests[2].messages.contains { $0.content == fault.partial && !fault.partial.isEmpty })
        #expect(server.requests.count == before + 1)
        #expect(server.requests.last?.headers["authorization"] == "Bearer \(Self.key)")
        let reloaded = try store.load(store.url(for: session.chat.conversation.id))
        #expect(reloaded.lastTurn?.text == Self.recovered)
        #expect(reloaded.alternatives(of: retried).count == 2)
        #expect(!session.renderedText.contains("error:"))

        await server.stop()
        await firstServer?.stop()
        withExtendedLifetime((refusing, unaccepting)) {}
    }

    static func backend(_ url: URL, timeout: Double = 15) -> OpenAICompatibleBackend {
        OpenAICompatibleBackend(name: "scripted", baseURL: url, model: "test-model",
                                keyProvider: APIKeyProvider(source: .environment("TUI_TEST_KEY"), environment: ["TUI_TEST_KEY": key]),
                                connectTimeout: timeout, idleTimeout: timeout,
                                retryPolicy: RetryPolicy(maxRetries: 1, initialBackoff: 0.01, maxWait: 5))
    }
}

/// Scripted replies for these tests.
enum ScriptedReply {
    /// A short successful stream: role chunk, the text in two pieces, finish, usage, `[DONE]`.
    static func text(_ text: String) -> FaultResponse {
        let middle = text.index(text.startIndex, offsetBy: text.count / 2)
        return FaultResponse.sse([FaultResponse.chunk(nil, role: "assistant"), FaultResponse.chunk(String(text[..<middle])),
                                  FaultResponse.chunk(String(text[middle...])), FaultResponse.chunk(nil, finish: "stop"),
                                  FaultResponse.usageChunk(prompt: 20, completion: 5), "[DONE]"])
    }
}

/// The chat screen's loop without curses: keys go to the reducer, every effect to the real `EffectRunner`
/// (its chat starter, backend slot and stream pump), and the events it posts back to the reducer — what
/// `TerminalApp` does, minus the screen. `.record` goes to a real `Recorder` through `RecordingServices`.
final class ChatSession: @unchecked Sendable {
    // @unchecked: used from one test task at a time.
    var state: AppState
    let services: RecordingServices
    let inbox: EventInbox
    let runner: EffectRunner
    /// Every request the reducer asked to stream, in order.
    private(set) var requests: [ChatRequest] = []

    /// The backend the next stream talks to (the chat's backend forwards to it).
    var backend: any ChatBackend {
        get { services.backend.target }
        set { services.backend.target = newValue }
    }

    /// Starts a chat with Fixtures.clippy through the runner (`.startChat`), on `backend`.
    init(recorder: Recorder, backend: any ChatBackend) async throws {
        services = RecordingServices(recorder: recorder, backend: ForwardingBackend(backend))
        inbox = try EventInbox()
        runner = EffectRunner(services: services, inbox: inbox, environment: [:])
        state = AppState(screen: .loading("starting"))
        await run([.startChat(personaID: Fixtures.clippy.id)], until: { $0.chat != nil })
    }

    var chat: ChatState { state.chat! }

    /// The screen as the user sees it (wide, so the status line is not cut).
    var renderedText: String {
        Renderer().render(state, width: 400, height: 40).lines.joined(separator: "\n")
    }

    /// Types `text` (as a paste) and presses Enter; returns when the reply has finished or failed.
    func send(_ text: String) async {
        await press(.paste(text))
        await press(.enter)
    }

    /// Presses a key; returns when no reply is streaming any more and every write is durable.
    func press(_ key: KeyEvent) async {
        await run(reduce(.key(key)), until: { !($0.chat?.isGenerating ?? false) && ($0.chat?.isDurable ?? true) })
    }

    private func reduce(_ event: AppEvent) -> [Effect] {
        Reducer.reduce(&state, event, now: Fixtures.date)
    }

    /// Runs effects through the runner and feeds back every event until `done` holds with nothing pending.
    private func run(_ effects: [Effect], until done: @escaping (AppState) -> Bool) async {
        var queue = effects
        while true {
            while !queue.isEmpty {
                let effect = queue.removeFirst()
                if case .startStream(_, let request) = effect { requests.append(request) }
                if case .startChoices(_, let request, _) = effect { requests.append(request) }
                for event in runner.run(effect, screen: nil) { queue += reduce(event) }
            }
            if done(state) { return }
            let inbox = inbox
            // Off the cooperative pool: the stream the runner started needs it.
            let events = (try? await onThread { inbox.wait(milliseconds: 60_000) }) ?? []
            if events.isEmpty { Issue.record("no event from the runner within 60 s"); return }
            for event in events { queue += reduce(event) }
        }
    }
}

/// The services `dramatis chat` gives the runner, for one persona: a real recorder, and a backend whose
/// target the test can point elsewhere (the fault stops) without the chat starting again.
final class RecordingServices: ChatServices, @unchecked Sendable {
    // @unchecked: `recorder` is only used from the runner's thread; `backend` guards its own state.
    let recorder: Recorder
    let backend: ForwardingBackend

    init(recorder: Recorder, backend: ForwardingBackend) {
        self.recorder = recorder
        self.backend = backend
    }

    func listPersonas() -> [PersonaListing] { [] }
    func persona(id: String) throws -> Persona { Fixtures.clippy }
    func makeBackend(for persona: Persona) async throws -> any ChatBackend { backend }
    func newConversationID(for persona: Persona) -> String { "20261122-063000-clippy-fa17" }
    func record(_ conversation: Conversation) throws -> String {
        try recorder.record(conversation)
        return recorder.transcripts.url(for: conversation.id).path
    }
    func prepareRecording(for conversation: Conversation) throws {
        preparedConversations.withLock { $0.append(conversation.id) }
        try recorder.prepare(personaID: conversation.persona.id)
    }
    /// The conversations whose recording was prepared, in order.
    let preparedConversations = Mutex<[String]>([])
    func datasetOverview(personaID: String) throws -> DatasetOverview {
        // The recorder's own files, summarised without a tokenizer: what this suite's tests need to check ordering.
        let sft = (try? String(contentsOf: recorder.datasetDirectory(personaID: personaID).appendingPathComponent(Recorder.sftFileName),
                               encoding: .utf8)) ?? ""
        return DatasetOverview(personaID: personaID, transcripts: recorder.transcripts.list().count,
                               summary: ["SFT examples: \(sft.split(separator: "\n").count)"], findings: [], marks: [])
    }
    func train(personaID: String, report: @escaping @Sendable (TrainingStatus) -> Void,
               started: @escaping @Sendable (TrainingControl) -> Void) async throws -> TrainedRun {
        // Training is tested for real in DramatisEndToEndTests.TUITrainingTests; these suites never press F5.
        throw CancellationError()
    }
    func listTranscripts() throws -> [TranscriptRow] { [] }
    func reviewQueue() throws -> ReviewQueueSnapshot { ReviewQueueSnapshot.load(from: recorder.transcripts) }
    func saveReviewPosition(_ position: ReviewItemKey?) throws {
        try ReviewPositionFile(transcriptDirectory: recorder.transcripts.directory).save(position)
    }
    func loadTranscript(id: String) throws -> Conversation { try recorder.transcripts.load(recorder.transcripts.url(for: id)) }
    func makeBackend(for conversation: Conversation) async throws -> any ChatBackend { backend }
    /// Persona files of `personaDirectories` (none by default: the fixture persona has no file).
    var personaDirectories: [URL] = []
    func savePersonaSampling(_ sampling: SamplingParameters, personaID: String) throws -> PersonaSamplingSaver.Outcome {
        try PersonaSamplingSaver.save(sampling, personaID: personaID, directories: personaDirectories)
    }
    func shutdown() async {}
}

/// A real backend behind a switch: streams go to `target`, which the test changes when a fault stops.
final class ForwardingBackend: ChatBackend, Sendable {
    private let current: Mutex<any ChatBackend>

    init(_ target: any ChatBackend) { current = Mutex(target) }

    var target: any ChatBackend {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    var descriptor: BackendDescriptor { target.descriptor }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> { target.stream(request) }

    func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, any Error> { target.streamChoices(request) }
}
