/// Which LoRA adapter of the local engine answers a request: the training run's id (for the reply's metadata)
/// and the scale of every adapter the engine loaded, in load order (1 applies it, 0 leaves it out).
public struct AdapterChoice: Sendable, Hashable {
    public var runID: String
    public var scales: [Double]

    public init(runID: String, scales: [Double]) {
        self.runID = runID
        self.scales = scales
    }

    /// Adapter `index` of `count` loaded ones, for run `runID`.
    public static func only(_ index: Int, of count: Int, runID: String) -> AdapterChoice {
        AdapterChoice(runID: runID, scales: (0..<count).map { $0 == index ? 1 : 0 })
    }
}
