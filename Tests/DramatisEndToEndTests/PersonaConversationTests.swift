import DramatisBackends
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisCore

/// Each shipped persona in a real conversation with the local model (SmolLM2-135M, temperature 0, fixed seed),
/// through the real streaming client and the shared `LocalModel` engine.
///
/// SmolLM2-135M is weak, so these assert robust properties: the request is built from the persona file,
/// the persona's preamble really reaches the model (prompt tokens grow by it), the reply is non-empty and finishes.
/// Serialized: the engine is shared with every other local-model test, and on two busy cores parallel
/// requests here only queue for a slot (and can time out waiting for a pooled connection).
@Suite("Persona conversations with the local model", .serialized)
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

    /// A streamed reply, collected.
    struct Reply {
        var text = ""
        var finish: FinishReason?
        var usage: TokenUsage?
    }

    static func backend() async throws -> OpenAICompatibleBackend {
        let engine = try await LocalModel.engine()
        return OpenAICompatibleBackend(name: "local", baseURL: engine.baseURL, model: BackendSettings.localModelName,
                                       kind: "local", connectTimeout: 120, idleTimeout: 300)
    }

    /// Sends one request through the turn service; a transport failure before any reply text (seen here as
    /// "I/O on closed channel" when llama-server drops an idle pooled connection under load) is retried by the
    /// backend's own retry layer.
    static func send(_ messages: [ChatMessage], sampling: SamplingParameters) async throws -> Reply {
        var reply = Reply()
        let outcome = await TurnService(backend: try await backend()).stream(ChatRequest(messages: messages, sampling: sampling)) { event in
            if case .delta(let text) = event { reply.text += text }
        }
        if let error = outcome.error { throw error }
        reply.finish = outcome.reported
        reply.usage = outcome.usage
        return reply
    }

    static func shipped(_ id: String) throws -> Persona {
        try PersonaLibrary.load(directories: [BuiltProducts.packageRoot.appendingPathComponent("Personas", isDirectory: true)]).resolve(id)
    }

    @Test("the persona converses with the local model", arguments: openers.keys.sorted())
    func converses(_ id: String) async throws {
        let persona = try Self.shipped(id)
        let opener = try #require(Self.openers[id])
        var messages = persona.preambleMessages
        if let greeting = persona.greeting { messages.append(.assistant(greeting)) }
        messages.append(.user(opener))
        #expect(messages.first == .system(persona.systemPrompt))
        #expect(messages.count == 1 + 2 * persona.examples.count + (persona.greeting == nil ? 0 : 1) + 1)

        // The persona's own sampling, made deterministic and short.
        var sampling = persona.sampling
        sampling.temperature = 0
        sampling.seed = 42
        sampling.maxTokens = min(persona.sampling.maxTokens ?? 80, 80)
        let reply = try await Self.send(messages, sampling: sampling)
        let bare = try await Self.send([.user(opener)], sampling: SamplingParameters(temperature: 0, maxTokens: 1, seed: 42))
        print("[persona \(id)] \(opener.replacingOccurrences(of: "\n", with: " ")) -> \(reply.text.replacingOccurrences(of: "\n", with: " "))")
        #expect(!reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(reply.finish == .stop || reply.finish == .length)
        let withPersona = try #require(reply.usage?.promptTokens)
        let without = try #require(bare.usage?.promptTokens)
        let promptWords = persona.systemPrompt.split(whereSeparator: \.isWhitespace).count
        #expect(withPersona > without + promptWords / 2, "the persona's system prompt and examples did not reach the model")
    }

    @Test("the greeting is sent as the first assistant turn and the model continues after it")
    func greetingIsAssistantTurn() async throws {
        let persona = try Self.shipped("pirate")
        let greeting = try #require(persona.greeting)
        #expect(greeting == "Arr, pull up a barrel, User! Shall old Saltbeard spin ye a tale o' the sea?")
        let reply = try await Self.send(persona.preambleMessages + [.assistant(greeting), .user("Yes please!")],
                                        sampling: SamplingParameters(temperature: 0, maxTokens: 48, seed: 42))
        #expect(!reply.text.isEmpty)
        #expect(reply.finish == .stop || reply.finish == .length)
    }

    @Test("an imported character card converses with the local model")
    func importedCardConverses() async throws {
        let card = try CharacterCardDecoder.decode(data: CardFixtures.json(CardFixtures.v2), file: "alice.json")
        let output = try CharacterCardConversion.convert(card, sourceName: "alice.json")
        let persona = try PersonaFile.parse(data: Data(output.document.text.utf8), source: URL(fileURLWithPath: "/x/alice.md")).get()
        let reply = try await Self.send(persona.preambleMessages + [.assistant(persona.greeting ?? ""), .user("Do you have books about whales?")],
                                        sampling: SamplingParameters(temperature: 0, maxTokens: 48, seed: 42))
        #expect(!reply.text.isEmpty)
    }
}
