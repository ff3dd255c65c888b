import DramatisTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import DramatisCore

/// A real `llama-server` with SmolLM2-135M for one test, stopped when released.
final class PersonaTestEngine: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards.
    let process: Process
    let baseURL: URL
    let log: URL

    static var paths: AppPaths { AppPaths.fromEnvironment() }

    /// True when set-up has installed the engine and the model.
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: paths.engineBinary.path)
            && FileManager.default.fileExists(atPath: paths.modelFile.path)
    }

    /// Starts the engine on a free loopback port and waits until it answers `/health`.
    init() async throws {
        var lastError: Error = EngineError(message: "not started")
        for _ in 0..<5 {
            let port = Int.random(in: 30000..<60000)
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-persona-engine-\(port).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = Self.paths.engineBinary
            process.arguments = ["-m", Self.paths.modelFile.path, "--host", "127.0.0.1", "--port", "\(port)",
                                 "-c", "2048", "-t", "2"]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let url = URL(string: "http://127.0.0.1:\(port)")!
            if try await Self.waitUntilHealthy(url, process: process) {
                self.process = process
                self.baseURL = url
                self.log = log
                return
            }
            process.terminate()
            process.waitUntilExit()
            lastError = EngineError(message: "llama-server did not become healthy on port \(port); log: \(log.path)")
        }
        throw lastError
    }

    static func waitUntilHealthy(_ url: URL, process: Process) async throws -> Bool {
        for _ in 0..<600 {
            if !process.isRunning { return false }
            var request = URLRequest(url: url.appendingPathComponent("health"))
            request.timeoutInterval = 2
            if let (_, response) = try? await URLSession.shared.data(for: request),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                return true
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return false
    }

    /// One non-streaming chat completion: reply text, finish reason and prompt tokens.
    func complete(_ messages: [ChatMessage], maxTokens: Int, stop: [String]?) async throws -> (text: String, finish: String, promptTokens: Int) {
        var request = URLRequest(url: baseURL.appendingPathComponent("v1/chat/completions"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 300
        var body: [String: Any] = [
            "model": "smollm2", "temperature": 0, "seed": 42, "max_tokens": maxTokens, "stream": false,
            "messages": messages.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        if let stop { body["stop"] = stop }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choice = (object["choices"] as? [[String: Any]])?.first,
              let message = choice["message"] as? [String: Any] else {
            throw EngineError(message: "unexpected response: \(String(decoding: data, as: UTF8.self))")
        }
        let usage = object["usage"] as? [String: Any]
        return ((message["content"] as? String) ?? "", (choice["finish_reason"] as? String) ?? "",
                (usage?["prompt_tokens"] as? Int) ?? 0)
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct EngineError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Each shipped persona in a real conversation with the local model (temperature 0, fixed seed).
///
/// SmolLM2-135M is weak, so these assert robust properties: the request is built from the persona file,
/// the persona's preamble really reaches the model (prompt tokens grow by it), the reply is non-empty and finishes.
@Suite("Persona conversations with the local model", .serialized, .enabled(if: PersonaTestEngine.isAvailable))
struct PersonaConversationTests {
    static let openers: [String: String] = [
        "default": "What is the capital of Italy?",
        "clippy": "What is the capital of Italy?",
        "tutor": "Why is 9 x 3 equal to 27?",
        "code-reviewer": "def add(a, b):\n    return a - b",
        "support": "My lamp stopped working after three months. What can I do?",
        "socratic-coach": "Should I learn Python or JavaScript first?",
        "pirate": "Tell me a story about a storm.",
        "translator": "Good morning, how are you?",
        "json-extractor": "Maria met Tom in Paris on 12 June 2023 and paid 40 euros.",
    ]

    @Test("the persona converses with the local model", arguments: openers.keys.sorted())
    func converses(_ id: String) async throws {
        let folder = BuiltProducts.packageRoot.appendingPathComponent("Personas", isDirectory: true)
        let persona = try PersonaLibrary.load(directories: [folder]).resolve(id)
        let opener = try #require(Self.openers[id])
        var messages = persona.preambleMessages
        if let greeting = persona.greeting { messages.append(.assistant(greeting)) }
        messages.append(.user(opener))
        #expect(messages.first == .system(persona.systemPrompt))
        #expect(messages.count == 1 + 2 * persona.examples.count + (persona.greeting == nil ? 0 : 1) + 1)

        let engine = try await PersonaTestEngine()
        let maxTokens = min(persona.sampling.maxTokens ?? 96, 96)
        let reply = try await engine.complete(messages, maxTokens: maxTokens, stop: persona.sampling.stop)
        let bare = try await engine.complete([.user(opener)], maxTokens: 1, stop: nil)
        print("[persona \(id)] \(opener.replacingOccurrences(of: "\n", with: " ")) -> \(reply.text.replacingOccurrences(of: "\n", with: " ")) [\(reply.finish), \(reply.promptTokens) prompt tokens]")
        #expect(!reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(["stop", "length"].contains(reply.finish))
        let systemTokensAtLeast = persona.systemPrompt.split(whereSeparator: \.isWhitespace).count / 2
        #expect(reply.promptTokens > bare.promptTokens + systemTokensAtLeast,
                "the persona's system prompt and examples did not reach the model")
    }

    @Test("the greeting is sent as the first assistant turn and the model continues after it")
    func greetingIsAssistantTurn() async throws {
        let folder = BuiltProducts.packageRoot.appendingPathComponent("Personas", isDirectory: true)
        let persona = try PersonaLibrary.load(directories: [folder]).resolve("pirate")
        let greeting = try #require(persona.greeting)
        #expect(greeting.hasPrefix("Arr, pull up a barrel, User!"))
        let engine = try await PersonaTestEngine()
        let reply = try await engine.complete(persona.preambleMessages + [.assistant(greeting), .user("Yes please!")],
                                              maxTokens: 64, stop: nil)
        #expect(!reply.text.isEmpty)
    }
}
