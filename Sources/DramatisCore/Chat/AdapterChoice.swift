/// Which LoRA adapter of the local engine answers a request: the training run's id (nil: the base model) and the
/// scale of every adapter the engine loaded, in load order (1 applies it, 0 leaves it out).
///
/// Once an engine loaded adapters, every request must say its scales: llama-server gives a request without a
/// `lora` field the adapters' load-time scale (1), even with `--lora-init-without-apply`.
public struct AdapterChoice: Sendable, Hashable {
    public var runID: String?
    public var scales: [Double]

    public init(runID: String?, scales: [Double]) {
        self.runID = runID
        self.scales = scales
    }

    /// Adapter `index` of `count` loaded ones, for run `runID`.
    public static func only(_ index: Int, of count: Int, runID: String) -> AdapterChoice {
        AdapterChoice(runID: runID, scales: (0..<count).map { $0 == index ? 1 : 0 })
    }

    /// The base model on an engine that loaded `count` adapters (every scale 0).
    public static func base(of count: Int) -> AdapterChoice {
        AdapterChoice(runID: nil, scales: Array(repeating: 0, count: count))
    }
}
