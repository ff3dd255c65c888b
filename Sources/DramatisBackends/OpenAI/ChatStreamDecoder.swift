import DramatisCore
import Foundation

/// Turns the SSE events of one chat-completions stream into `ChatEvent`s, remembering each choice's text,
/// refusal, reasoning and tool calls, the finish reason and the token counts.
///
/// Handles role-only first chunks, empty-`choices` chunks (Azure prompt filter, usage chunk), usage inside
/// the finish chunk, `data: [DONE]`, llama.cpp `timings`, refusals, reasoning in both spellings, tool-call
/// finishes, and the error shapes servers send after the 200 status: `data: {"error": …}`, an unwrapped
/// `{"object":"error",…}`, an `error:` SSE field, a chunk with `finish_reason: "error"`. Several choices
/// (`n` > 1) are kept apart by `index`: `handle` produces the events of choice 0 (a single reply), `handleChoices`
/// those of every choice. llama.cpp reports usage per choice (a usage chunk with its `timings` right after each
/// choice's finish): `choiceUsage` keeps it by choice; an aggregate usage (OpenAI, one chunk at the end) is not split.
struct ChatStreamDecoder: Sendable {
    /// What arrived for one choice.
    struct ChoiceState: Sendable, Hashable {
        var text = ""
        var refusal = ""
        var reasoning = ""
        /// Tool calls by their `index`: the function name and the arguments so far.
        var toolCalls: [Int: ToolCallRecord] = [:]
        var finishReason: FinishReason?
    }

    /// Every choice seen, by index.
    private(set) var choices: [Int: ChoiceState] = [:]
    /// Token counts from `usage` (preferred) or llama.cpp `timings`.
    private(set) var usage: TokenUsage?
    /// True after `data: [DONE]`.
    private(set) var isDone = false
    /// Number of chunks that carried reply text, refusal or reasoning (any choice).
    private(set) var contentChunks = 0
    /// Token counts of each choice, when the server reports them per choice (llama.cpp with `n` > 1).
    private(set) var choiceUsage: [Int: TokenUsage] = [:]
    /// Choices in the order they finished, for attributing per-choice usage chunks.
    private var finishOrder: [Int] = []

    /// Text of the shown reply (choice 0) so far.
    var text: String { choices[0]?.text ?? "" }
    /// Finish reason of the shown reply, once a chunk carried one.
    var finishReason: FinishReason? { choices[0]?.finishReason }

    private let failures: BackendFailureMapper
    /// Reads the usual chunks; what it cannot read exactly like `decoder` goes to `decoder`.
    private var scanner = ChatCompletionChunkScanner()
    private let decoder = JSONDecoder()

    init(failures: BackendFailureMapper) {
        self.failures = failures
    }

    /// Interprets one SSE event and returns the events of choice 0. Throws `BackendError` for malformed JSON or a
    /// provider error.
    mutating func handle(_ event: SSEEvent) throws -> [ChatEvent] {
        var events: [ChatEvent] = []
        try decode(event) { index, pieces in
            if index == 0 { if events.isEmpty { events = pieces } else { events += pieces } }
        }
        return events
    }

    /// Interprets one SSE event and returns the events of every choice it carried, by choice index in chunk order.
    mutating func handleChoices(_ event: SSEEvent) throws -> [(choice: Int, events: [ChatEvent])] {
        var events: [(choice: Int, events: [ChatEvent])] = []
        try decode(event) { index, pieces in
            if !pieces.isEmpty { events.append((index, pieces)) }
        }
        return events
    }

    /// Interprets one SSE event, handing each choice's new events to `emit` (with its index). Throws `BackendError`
    /// for malformed JSON or a provider error.
    private mutating func decode(_ event: SSEEvent, emit: (Int, [ChatEvent]) -> Void) throws {
        var data = Self.trimmingWhitespace(event.data)
        if data == "[DONE]" {
            isDone = true
            return
        }
        if data.isEmpty { return }
        if event.event == "error" {
            // `error: {"error":{…}}`, `error: {"message":…,"code":…}` or plain text.
            let bytes = Data(data.utf8)
            let payload = (try? decoder.decode(ProviderErrorBody.self, from: bytes))?.error
                ?? (try? decoder.decode(ProviderErrorPayload.self, from: bytes)) ?? ProviderErrorPayload(message: data)
            throw failures.streamError(payload, partialText: text)
        }
        let chunk: ChatCompletionChunk
        if let scanned = data.withUTF8({ scanner.chunk(from: $0) }) {
            chunk = scanned
        } else {
            do {
                chunk = try decoder.decode(ChatCompletionChunk.self, from: Data(data.utf8))
            } catch {
                throw failures.malformedChunk(data, partialText: text)
            }
        }
        if let error = chunk.error {
            throw failures.streamError(error, partialText: text)
        }
        if chunk.object == "error" {
            // Some vLLM versions send the error object unwrapped: its own `message`, `type` and `code`.
            let payload = (try? decoder.decode(ProviderErrorPayload.self, from: Data(data.utf8))) ?? ProviderErrorPayload(message: data)
            throw failures.streamError(payload, partialText: text)
        }
        for choice in chunk.choices ?? [] {
            let index = choice.index ?? 0
            // Taken out while it changes: the dictionary's copy would make every append copy the whole text.
            var state = choices.removeValue(forKey: index) ?? ChoiceState()
            var pieces: [ChatEvent] = []
            if let delta = choice.delta {
                if let refusal = delta.refusal, !refusal.isEmpty {
                    state.refusal += refusal
                    pieces.append(.refusal(refusal))
                }
                if let reasoning = delta.reasoningContent ?? delta.reasoning, !reasoning.isEmpty {
                    state.reasoning += reasoning
                    pieces.append(.reasoning(reasoning))
                }
                if let content = delta.content, !content.isEmpty {
                    state.text += content
                    pieces.append(.delta(content))
                }
                for call in delta.toolCalls ?? [] {
                    let callIndex = call.index ?? 0
                    var record = state.toolCalls[callIndex] ?? ToolCallRecord(name: "", arguments: "")
                    if let name = call.function?.name { record.name += name }
                    if let arguments = call.function?.arguments { record.arguments += arguments }
                    state.toolCalls[callIndex] = record
                }
            }
            if !pieces.isEmpty { contentChunks += 1 }
            if let reason = choice.finishReason, !reason.isEmpty, state.finishReason == nil {
                if reason == "error" {
                    choices[index] = state
                    throw failures.streamError(ProviderErrorPayload(message: "the reply ended with finish_reason \"error\""),
                                               partialText: text)
                }
                let mapped = FinishReason(wireValue: reason)
                state.finishReason = mapped
                finishOrder.append(index)
                pieces += state.toolCalls.keys.sorted().compactMap { state.toolCalls[$0].map(ChatEvent.toolCall) }
                pieces.append(.finished(mapped))
            }
            choices[index] = state
            emit(index, pieces)
        }
        var reportedUsage: TokenUsage?
        if let reported = chunk.usage, let prompt = reported.promptTokens, let completion = reported.completionTokens {
            reportedUsage = TokenUsage(promptTokens: prompt, completionTokens: completion,
                                       reasoningTokens: reported.completionTokensDetails?.reasoningTokens)
            usage = reportedUsage
        } else if usage == nil, let timings = chunk.timings, let prompt = timings.promptN, let predicted = timings.predictedN {
            usage = TokenUsage(promptTokens: prompt, completionTokens: predicted)
        }
        // llama.cpp with n > 1: the usage chunk (no choices, with timings) right after a choice's finish is that choice's.
        if let reportedUsage, chunk.timings != nil, chunk.choices?.isEmpty ?? true,
           let owner = finishOrder.first(where: { choiceUsage[$0] == nil }) {
            choiceUsage[owner] = reportedUsage
        }
    }

    /// `text` without leading and trailing `CharacterSet.whitespaces` (Unicode `Zs` and tab); Foundation
    /// is asked only when an end is not visible ASCII, which a JSON chunk's ends are.
    static func trimmingWhitespace(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        if (0x21 ..< 0x80).contains(first) && (0x21 ..< 0x80).contains(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
