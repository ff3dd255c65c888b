import DramatisCore
import Foundation
import Testing
@testable import DramatisTUI

/// The chat reducer with what real servers send: refusal and reasoning pieces, tool calls, retries.
@Suite struct StreamShapeReducerTests {
    @Test func refusalAndReasoningPiecesAreStoredApartFromTheText() {
        var driver = Driver(Fixtures.chatState())
        driver.type("Why?")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 1, event: .reasoning("Think")))
        driver.send(.streamEvent(stream: 1, event: .reasoning("ing.")))
        #expect(driver.chat.phase == .streaming)
        driver.send(.streamEvent(stream: 1, event: .refusal("No.")))
        let effects = driver.send(.streamFinished(stream: 1, reason: .stop, usage: nil, timing: nil))
        let reply = driver.conversation[driver.chat.latestReply!]
        #expect(reply.text == "")
        #expect(reply.reply?.refusal == "No.")
        #expect(reply.reply?.reasoning == "Thinking.")
        #expect(reply.reply?.finishReason == .stop)
        #expect(effects.contains { if case .record(_, .replyFinished) = $0 { true } else { false } })
        // A refusal goes back to the model as the assistant's message on the next turn.
        #expect(driver.conversation.requestMessages(after: driver.chat.latestReply).last == .assistant("No."))
        // Marking a refusal good asks first (it would teach the persona to refuse); y records it.
        #expect(driver.press(.alt("=")).isEmpty)
        #expect(driver.state.notice?.text == "This reply looks like a refusal. Train on it anyway? y = mark good, any other key = cancel")
        let marked = driver.press(.character("y"))
        #expect(marked.contains { if case .record(_, .mark) = $0 { true } else { false } })
        #expect(driver.conversation[driver.chat.latestReply!].mark?.isConfirmed == true)
        driver.press(.alt("-"))
        #expect(driver.state.notice == nil)
    }

    @Test func aRetryShowsInTheStatusLineAndEscStopsTheWait() {
        var driver = Driver(Fixtures.chatState())
        driver.type("Hello")
        driver.press(.enter)
        driver.send(.streamEvent(stream: 1, event: .retrying(RetryNotice(attempt: 2, maxRetries: 4, delay: 2.2, message: "busy"))))
        #expect(driver.chat.phase.label == "retrying in 3 s (2/4)")
        #expect(Renderer.render(driver.state, width: 100, height: 24).lines.contains { $0.contains("retrying in 3 s (2/4) · Esc stops") })
        let effects = driver.press(.escape)
        #expect(effects.contains(.cancelStream(id: 1)))
        #expect(driver.conversation[driver.chat.latestReply!].reply?.finishReason == .cancelled)
        #expect(driver.chat.phase == .idle)
    }

    @Test func ctrlTTogglesReasoningAndStaleStreamsAreIgnored() {
        var driver = Driver(Fixtures.chatState())
        #expect(!driver.chat.showsReasoning)
        driver.press(.control("t"))
        #expect(driver.chat.showsReasoning)
        driver.press(.control("t"))
        #expect(!driver.chat.showsReasoning)
        let before = driver.conversation
        driver.send(.streamEvent(stream: 99, event: .refusal("late")))
        #expect(driver.conversation == before)
    }
}
