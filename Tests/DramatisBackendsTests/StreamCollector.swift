import DramatisCore
import Foundation

/// Everything a test wants to know about one streamed reply.
struct CollectedReply {
    var events: [ChatEvent] = []
    var error: Error?

    var text: String {
        events.reduce(into: "") { text, event in
            if case .delta(let piece) = event { text += piece }
        }
    }
    var deltas: [String] { events.compactMap { if case .delta(let piece) = $0 { piece } else { nil } } }
    var finishReason: FinishReason? { events.lazy.compactMap { if case .finished(let reason) = $0 { reason } else { nil } }.first }
    var usage: TokenUsage? { events.lazy.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first }
    var timing: ReplyTiming? { events.lazy.compactMap { if case .timing(let timing) = $0 { timing } else { nil } }.first }
    var backendError: BackendError? { error as? BackendError }
    var refusal: String { events.reduce(into: "") { if case .refusal(let piece) = $1 { $0 += piece } } }
    var reasoning: String { events.reduce(into: "") { if case .reasoning(let piece) = $1 { $0 += piece } } }
    var toolCalls: [ToolCallRecord] { events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } } }
    var retries: [RetryNotice] { events.compactMap { if case .retrying(let notice) = $0 { notice } else { nil } } }
}

/// Runs `request` on `backend` to the end and collects events and the error.
func collect(_ backend: any ChatBackend, _ request: ChatRequest) async -> CollectedReply {
    var reply = CollectedReply()
    do {
        for try await event in backend.stream(request) { reply.events.append(event) }
    } catch {
        reply.error = error
    }
    return reply
}

/// A short request used by the fault tests.
let helloRequest = ChatRequest(messages: [.system("You are terse."), .user("Say hi")],
                               sampling: SamplingParameters(temperature: 0, maxTokens: 16, seed: 42))
