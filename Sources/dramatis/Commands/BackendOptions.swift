import ArgumentParser
import DramatisCore

/// The `--backend/--model/--temperature/--seed/--max-tokens` options shared by chat, ask and replay.
struct BackendOptions: ParsableArguments {
    @Option(name: .long, help: "Backend name from dramatis.yaml or the environment (default: the configured default, normally 'local').")
    var backend: String?

    @Option(name: .long, help: "Model (Azure: deployment) instead of the backend's or persona's model.")
    var model: String?

    @Option(name: .long, help: "Sampling temperature, 0–2.")
    var temperature: Double?

    @Option(name: .long, help: "Sampling seed, for repeatable replies where the backend supports it.")
    var seed: Int?

    @Option(name: .customLong("max-tokens"), help: "Longest reply in tokens.")
    var maxTokens: Int?

    /// The sampling values given on the command line (nil where not given).
    var samplingOverrides: SamplingParameters {
        SamplingParameters(temperature: temperature, maxTokens: maxTokens, seed: seed)
    }

    mutating func validate() throws {
        if let temperature, !(0...2).contains(temperature) {
            throw ValidationError("--temperature must be between 0 and 2 (got \(temperature))")
        }
        if let maxTokens, maxTokens < 1 {
            throw ValidationError("--max-tokens must be at least 1 (got \(maxTokens))")
        }
    }
}
