import Foundation
import Testing
@testable import DramatisCore

@Suite struct ConversationTests {
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    let backend = BackendDescriptor(name: "local", kind: "local", model: "smollm2")

    func makeConversation(greeting: String? = "Hi, I'm Clippy.") -> Conversation {
        let persona = Persona(id: "clippy", name: "Clippy", systemPrompt: "Clippy is a factual chatbot that is also sarcastic.",
                              greeting: greeting, examples: [.init(user: "2+2?", assistant: "4, obviously.")])
        return Conversation(id: "c1", createdAt: date, persona: persona, backend: backend, sampling: SamplingParameters())
    }

    @Test func greetingIsTheFirstAssistantTurn() {
        let conversation = makeConversation()
        #expect(conversation.activePath == [0])
        #expect(conversation[0].role == .assistant)
        #expect(conversation[0].origin == .greeting)
    }

    @Test func requestMessagesIncludePreambleAndBranch() {
        var conversation = makeConversation()
        let user = conversation.appendUserMessage("What is the capital of France?", at: date)
        #expect(conversation.requestMessages(after: user) == [
            .system("Clippy is a factual chatbot that is also sarcastic."),
            .user("2+2?"), .assistant("4, obviously."),
            .assistant("Hi, I'm Clippy."),
            .user("What is the capital of France?"),
        ])
    }

    @Test func regenerationKeepsEarlierReplyAsAlternative() {
        var conversation = makeConversation(greeting: nil)
        let user = conversation.appendUserMessage("Hi", at: date)
        let first = conversation.startReply(after: user, backend: "local", model: "m", at: date)
        conversation.appendReplyText("Hello", to: first)
        conversation.finishReply(first, reason: .stop)
        let second = conversation.startReply(after: user, backend: "local", model: "m", at: date)
        #expect(conversation.alternatives(of: second) == [first, second])
        #expect(conversation.activePath == [user, second])
        conversation.selectAlternative(of: second, offset: 1)
        #expect(conversation.activePath == [user, first])
        conversation.selectAlternative(of: first, offset: -1)
        #expect(conversation.activePath == [user, second])
    }

    @Test func editingAReplyKeepsOriginalAsRejected() {
        var conversation = makeConversation(greeting: nil)
        let user = conversation.appendUserMessage("Hi", at: date)
        let reply = conversation.startReply(after: user, backend: "local", model: "m", at: date)
        conversation.appendReplyText("meh", to: reply)
        conversation.finishReply(reply, reason: .stop)
        let edited = conversation.editReply(reply, to: "Hello! How can I help?", at: date)
        #expect(conversation[edited].editedFrom == reply)
        #expect(conversation[edited].mark?.value == .good)
        #expect(conversation[reply].mark?.value == .bad)
        #expect(conversation.activePath == [user, edited])
        #expect(conversation.markCount == 2)
    }

    @Test func editingAUserMessageStartsANewBranch() {
        var conversation = makeConversation(greeting: nil)
        let first = conversation.appendUserMessage("one", at: date)
        let reply = conversation.startReply(after: first, backend: "local", model: "m", at: date)
        conversation.finishReply(reply, reason: .stop)
        let second = conversation.appendUserMessage("two", at: date)
        let branch = conversation.editUserMessage(first, to: "uno", at: date)
        #expect(conversation.activePath == [branch])
        conversation.select(second)
        #expect(conversation.activePath == [first, reply, second])
    }

    @Test func codableRoundTripAndValidation() throws {
        var conversation = makeConversation()
        let user = conversation.appendUserMessage("Hi", at: date)
        let reply = conversation.startReply(after: user, backend: "local", model: "m", at: date)
        conversation.finishReply(reply, reason: .length, usage: TokenUsage(promptTokens: 5, completionTokens: 7))
        conversation.setMark(.good, on: reply, at: date)
        let data = try JSONEncoder().encode(conversation)
        #expect(try JSONDecoder().decode(Conversation.self, from: data) == conversation)

        #expect(throws: ConversationError.self) {
            var broken = conversation.turns
            broken[2] = Turn(id: 2, parent: 9, role: .assistant, text: "", origin: .generated, createdAt: date)
            _ = try Conversation(id: "c1", createdAt: date, persona: conversation.persona, backend: backend,
                                 sampling: SamplingParameters(), replayOf: nil, turns: broken, roots: [0], selectedRoot: 0)
        }
    }
}
