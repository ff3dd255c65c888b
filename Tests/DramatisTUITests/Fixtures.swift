import DramatisCore
import Foundation
@testable import DramatisTUI

/// Shared test data: personas, conversations and states.
enum Fixtures {
    static let date = Date(timeIntervalSince1970: 1_800_000_000)
    static let backend = BackendDescriptor(name: "local", kind: "local", model: "SmolLM2-135M")

    static let clippy = Persona(id: "clippy", name: "Clippy", description: "Factual, sarcastic assistant",
                                systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
                                greeting: "It looks like you're writing a letter. Need help?")

    static let listings: [PersonaListing] = [
        PersonaListing(id: "clippy", name: "Clippy", description: "Factual, sarcastic assistant", backendLabel: "local · SmolLM2-135M",
                       systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
                       greeting: "It looks like you're writing a letter.", source: "Personas/clippy.md"),
        PersonaListing(id: "haiku", name: "俳句 Poet", description: "Answers in haiku 🌸", backendLabel: "local · SmolLM2-135M",
                       systemPrompt: "You answer every question with a haiku.", source: "Personas/haiku.md"),
        PersonaListing(id: "broken", name: "broken", source: "Personas/broken.md",
                       problems: ["Personas/broken.md:3:1: temperature: expected a number, found \"hot\""]),
    ]

    static func conversation(greeting: Bool = true) -> Conversation {
        var persona = clippy
        if !greeting { persona.greeting = nil }
        return Conversation(id: "20261122-0300-test", createdAt: date, persona: persona, backend: backend,
                            sampling: SamplingParameters(temperature: 0, seed: 42))
    }

    /// A chat with one finished exchange (CJK and emoji included) and a marked reply.
    static func chatState() -> AppState {
        var conversation = conversation()
        let user = conversation.appendUserMessage("What is 東京 famous for? 🍣", at: date)
        let reply = conversation.startReply(after: user, backend: "local", model: "SmolLM2-135M", at: date)
        conversation.appendReplyText("Oh, just sushi 🍣, ramen, and being the largest metro area on Earth. 東京 is hardly subtle.", to: reply)
        conversation.finishReply(reply, reason: .stop, usage: TokenUsage(promptTokens: 40, completionTokens: 24),
                                 timing: ReplyTiming(timeToFirstToken: 0.1, total: 1.0, tokensPerSecond: 31.5))
        var state = AppState(screen: .chat)
        var chat = ChatState(conversation: conversation)
        chat.lastReply = ReplyStats(completionTokens: 24, tokensPerSecond: 31.5)
        state.chat = chat
        return state
    }

    static func pickerState() -> AppState {
        var state = AppState(screen: .picker)
        state.picker = PickerState(personas: listings, isLoaded: true)
        return state
    }
}

/// Feeds keys and events to the reducer, collecting effects.
struct Driver {
    var state: AppState
    var effects: [Effect] = []

    init(_ state: AppState) { self.state = state }

    @discardableResult
    mutating func send(_ event: AppEvent) -> [Effect] {
        let produced = Reducer.reduce(&state, event, now: Fixtures.date)
        effects += produced
        return produced
    }

    @discardableResult
    mutating func press(_ keys: KeyEvent...) -> [Effect] {
        keys.flatMap { send(.key($0)) }
    }

    /// Reports every write asked for so far as durable, as the effect runner's writer does once it has written.
    mutating func acknowledgeRecords() {
        for case .record(let conversation, let reason) in effects {
            send(.recorded(location: "/test/Transcripts/\(conversation.id).json", reason: reason, contentHash: conversation.hashValue))
        }
    }

    mutating func type(_ text: String) {
        for character in text { send(.key(.character(character))) }
    }

    var chat: ChatState { state.chat! }
    var conversation: Conversation { state.chat!.conversation }
}
