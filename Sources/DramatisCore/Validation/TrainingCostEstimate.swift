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

extension TrainingCostEstimate {
    /// OpenAI's list price in US dollars per million training tokens for fine-tunable models (as published in
    /// 2025; check the current price list), or nil for a model without a known price.
    public static func pricePerMillionTrainingTokens(model: String) -> Double? {
        let name = model.lowercased()
        if name.hasPrefix("gpt-4o-mini") { return 3.00 }
        if name.hasPrefix("gpt-4o") { return 25.00 }
        if name.hasPrefix("gpt-4.1-nano") { return 1.50 }
        if name.hasPrefix("gpt-4.1-mini") { return 5.00 }
        if name.hasPrefix("gpt-4.1") { return 25.00 }
        if name.hasPrefix("gpt-3.5-turbo") || name.hasPrefix("gpt-35-turbo") { return 8.00 }
        return nil
    }
}
