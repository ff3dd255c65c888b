import DramatisCore
import Foundation

/// Turns the SSE events of one chat-completions stream into `ChatEvent`s, remembering the text
/// so far, the finish reason and the token counts.
///
/// Handles role-only first chunks, empty-`choices` chunks (Azure prompt filter, usage chunk),
/// `data: [DONE]`, llama.cpp `timings`, and `data: {"error": …}` mid-stream.
struct ChatStreamDecoder: Sendable {
    /// Text of the reply so far.
    private(set) var text = ""
    /// Finish reason, once a chunk carried one.
    private(set) var finishReason: FinishReason?
    /// Token counts from `usage` (preferred) or llama.cpp `timings`.
    private(set) var usage: TokenUsage?
    /// True after `data: [DONE]`.
    private(set) var isDone = false
    /// Number of chunks that carried reply text.
    private(set) var contentChunks = 0

    private let failures: BackendFailureMapper

    init(failures: BackendFailureMapper) {
        self.failures = failures
    }

    /// Interprets one SSE event. Throws `BackendError` for malformed JSON or a provider error.
    mutating func handle(_ event: SSEEvent) throws -> [ChatEvent] {
        let decoder = JSONDecoder()
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            isDone = true
            return []
        }
        if data.isEmpty { return [] }
        if event.event == "error" {
            let payload = (try? decoder.decode(ProviderErrorBody.self, from: Data(data.utf8)))?.payload
                ?? ProviderErrorPayload(message: data)
            throw failures.streamError(payload, partialText: text)
        }
        let chunk: ChatCompletionChunk
        do {
            chunk = try decoder.decode(ChatCompletionChunk.self, from: Data(data.utf8))
        } catch {
            throw failures.malformedChunk(data, partialText: text)
        }
        if let error = chunk.error {
            throw failures.streamError(error, partialText: text)
        }
        var events: [ChatEvent] = []
        // Only the first choice is used: Dramatis always asks for n = 1.
        if let choice = chunk.choices?.first(where: { ($0.index ?? 0) == 0 }) {
            if let content = choice.delta?.content, !content.isEmpty {
                text += content
                contentChunks += 1
                events.append(.delta(content))
            }
            if let reason = choice.finishReason, !reason.isEmpty, finishReason == nil {
                let mapped = FinishReason(wireValue: reason)
                finishReason = mapped
                events.append(.finished(mapped))
            }
        }
        if let reported = chunk.usage, let prompt = reported.promptTokens, let completion = reported.completionTokens {
            usage = TokenUsage(promptTokens: prompt, completionTokens: completion)
        } else if usage == nil, let timings = chunk.timings, let prompt = timings.promptN, let predicted = timings.predictedN {
            usage = TokenUsage(promptTokens: prompt, completionTokens: predicted)
        }
        return events
    }
}
