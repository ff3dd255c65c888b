import DramatisCore
import DramatisTestSupport
import Foundation

/// Starts `dramatis chat` in tmux against a given backend URL, in a private temporary home,
/// with the repository's personas, and reads back what it saved.
final class TUIChatHarness {
    let home: TemporaryDirectory
    let session: TmuxSession
    var transcripts: URL { home.path("Transcripts") }
    var datasets: URL { home.path("Datasets") }

    /// - Parameters:
    ///   - backendURL: OpenAI-style base URL the `local` backend uses (`DRAMATIS_LOCAL_BASE_URL`).
    ///   - arguments: extra `dramatis chat` arguments (e.g. `--persona clippy`).
    init(backendURL: URL, arguments: [String], extraPersonas: URL? = nil, width: Int = 80, height: Int = 24,
         environment: [String: String] = [:]) throws {
        home = try TemporaryDirectory(prefix: "dramatis-tui-e2e")
        let personas = BuiltProducts.packageRoot.appendingPathComponent("Personas").path
        var command = [BuiltProducts.dramatis.path, "chat", "--personas", personas,
                       "--transcripts", home.path("Transcripts").path, "--dataset", home.path("Datasets").path]
        if let extraPersonas { command += ["--personas", extraPersonas.path] }
        command += arguments
        var variables = [
            "HOME": home.url.path,
            "XDG_CONFIG_HOME": home.path("config").path,
            "XDG_STATE_HOME": home.path("state").path,
            "DRAMATIS_LOCAL_BASE_URL": backendURL.absoluteString,
        ]
        for (key, value) in environment { variables[key] = value }
        session = try TmuxSession(command: command, environment: variables, width: width, height: height,
                                  workingDirectory: home.url)
    }

    deinit { session.kill() }

    /// The one transcript saved so far.
    func savedConversation() throws -> Conversation {
        let files = try FileManager.default.contentsOfDirectory(at: transcripts, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        guard files.count == 1 else { throw HarnessError("expected one transcript, found \(files.map(\.lastPathComponent))") }
        return try TranscriptStore(directory: transcripts).load(files[0])
    }

    /// The saved conversation once `done` holds for it: recording runs off the UI thread, so what the screen
    /// shows can be on disk a moment later.
    func savedConversation(_ what: String, timeout: TimeInterval = TmuxSession.defaultTimeout, until done: (Conversation) -> Bool) throws -> Conversation {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let saved = try? savedConversation(), done(saved) { return saved }
            guard Date() < deadline else { throw HarnessError("waited \(Int(timeout)) s for the saved transcript: \(what)") }
            usleep(50_000)
        }
    }

    /// A dataset file of the persona, as text ("" when absent).
    func dataset(_ personaID: String, _ name: String) -> String {
        let url = datasets.appendingPathComponent(personaID).appendingPathComponent(name)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

/// A harness-level failure with a message.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Scripted SSE replies for the loopback fault injector.
enum ScriptedReplies {
    /// A reply streamed in word-sized chunks, `delay` seconds apart, ending with usage and `[DONE]`.
    static func reply(_ text: String, delay: Double = 0.02) -> FaultResponse {
        var steps: [FaultResponse.Step] = [FaultResponse.sseHead,
                                           .text("data: \(FaultResponse.chunk(nil, role: "assistant"))\n\n")]
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        for (index, word) in words.enumerated() {
            steps.append(.wait(seconds: delay))
            steps.append(.text("data: \(FaultResponse.chunk(index == 0 ? String(word) : " " + word))\n\n"))
        }
        steps.append(.text("data: \(FaultResponse.chunk(nil, finish: "stop"))\n\n"))
        steps.append(.text("data: \(FaultResponse.usageChunk(prompt: 30, completion: words.count))\n\n"))
        steps.append(.text("data: [DONE]\n\n"))
        return FaultResponse(steps)
    }

    /// Raw content chunks sent as they are (for hostile text).
    static func chunks(_ pieces: [String]) -> FaultResponse {
        var steps: [FaultResponse.Step] = [FaultResponse.sseHead]
        for piece in pieces { steps.append(.text("data: \(FaultResponse.chunk(piece))\n\n")) }
        steps.append(.text("data: \(FaultResponse.chunk(nil, finish: "stop"))\n\n"))
        steps.append(.text("data: [DONE]\n\n"))
        return FaultResponse(steps)
    }
}

/// Runs `body` on a thread of its own (`onThread`) against `dramatis chat` in tmux, its local backend a
/// fault injector replaying `replies`; the session is killed and the injector stopped afterwards.
func withScriptedChat(_ replies: [FaultResponse], arguments: [String], extraPersonas: URL? = nil,
                      environment: [String: String] = [:],
                      _ body: @escaping @Sendable (TUIChatHarness, TmuxSession, FaultInjector) throws -> Void) async throws {
    let injector = try await FaultInjector.start(replies)
    do {
        try await onThread {
            let harness = try TUIChatHarness(backendURL: injector.baseURL, arguments: arguments,
                                             extraPersonas: extraPersonas, environment: environment)
            defer { harness.session.kill() }
            try body(harness, harness.session, injector)
        }
    } catch {
        await injector.stop()
        throw error
    }
    await injector.stop()
}
