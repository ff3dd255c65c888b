/// The notebook's default-epochs and billed-tokens rules.
public enum TrainingCostEstimate {
    /// Default epochs: 3, raised or lowered within 1…25 so that examples × epochs lands in 100…25,000.
    public static func defaultEpochs(examples: Int) -> Int {
        let target = 3, minExamples = 100, maxExamples = 25_000, minEpochs = 1, maxEpochs = 25
        guard examples > 0 else { return target }
        if examples * target < minExamples {
            return Swift.min(maxEpochs, minExamples / examples)
        } else if examples * target > maxExamples {
            return Swift.max(minEpochs, maxExamples / examples)
        }
        return target
    }
}
