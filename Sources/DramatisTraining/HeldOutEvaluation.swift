import DramatisBackends
import DramatisCore
import Foundation

/// Replays the held-out user turns on the base and the tuned model (temperature 0, seed 42) on one engine that
/// loaded the new adapter, and scores each reply against the marked-good one (`TextSimilarity`).
public enum HeldOutEvaluation {
    /// Sampling of the replay: deterministic, replies long enough to compare.
    public static let sampling = SamplingParameters(temperature: 0, maxTokens: 96, seed: 42)

    /// Starts an engine with `adapter`, replays `examples`, stops the engine.
    public static func run(examples: [TrainingDataset.Example], adapter: URL, engine configuration: LocalEngine.Configuration) async throws -> RunCard.Evaluation {
        let prompts = examples.compactMap { example in example.evaluationPrompt().map { (example.line, $0.messages, $0.reference) } }
        guard !prompts.isEmpty else { return RunCard.Evaluation(turns: []) }
        var configuration = configuration
        configuration.adapters = [adapter]
        configuration.parallelSlots = 1
        let engine = try await LocalEngine.start(configuration)
        defer { engine.stop() }
        let backend = OpenAICompatibleBackend(name: "local", baseURL: engine.baseURL, model: engine.model.lastPathComponent,
                                              kind: "local", idleTimeout: 120)
        var turns: [RunCard.EvaluationTurn] = []
        for (line, messages, reference) in prompts {
            try Task.checkCancellation()
            let base = try await reply(backend, ChatRequest(messages: messages, sampling: sampling, adapterScales: [0]))
            let tuned = try await reply(backend, ChatRequest(messages: messages, sampling: sampling, adapterScales: [1]))
            turns.append(RunCard.EvaluationTurn(line: line, prompt: messages.last(where: { $0.role == .user })?.content ?? "",
                                                reference: reference, baseReply: base, tunedReply: tuned))
        }
        return RunCard.Evaluation(turns: turns)
    }

    /// The whole text of one reply.
    public static func reply(_ backend: any ChatBackend, _ request: ChatRequest) async throws -> String {
        var text = ""
        for try await event in backend.stream(request) {
            if case .delta(let piece) = event { text += piece }
        }
        return text
    }
}
