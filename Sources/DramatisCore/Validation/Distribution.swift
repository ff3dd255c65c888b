/// Summary of a list of integers (the notebook's `print_distribution`), computed from a
/// histogram so memory depends on the number of distinct values, not on the number of examples.
public struct Distribution: Sendable, Hashable, Codable {
    public var count: Int
    public var min: Int
    public var max: Int
    public var mean: Double
    public var median: Double
    /// 10th percentile (the notebook prints `np.quantile(values, 0.1)` as "p5").
    public var p10: Double
    /// 90th percentile (the notebook's "p95" line prints `np.quantile(values, 0.9)`).
    public var p90: Double
    public var sum: Int
}

/// Collects integers and summarizes them with numpy's default (linear) quantiles.
struct Histogram {
    private var counts: [Int: Int] = [:]
    private(set) var total = 0
    private(set) var sum = 0

    mutating func add(_ value: Int) {
        counts[value, default: 0] += 1
        total += 1
        sum += value
    }

    /// The summary, or `nil` when nothing was added.
    func summary() -> Distribution? {
        guard total > 0 else { return nil }
        let sorted = counts.sorted { $0.key < $1.key }
        // Value at 0-based rank `k` of the sorted list.
        func value(at k: Int) -> Int {
            var seen = 0
            for (value, count) in sorted {
                seen += count
                if k < seen { return value }
            }
            return sorted.last!.key
        }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(total - 1)
            let lower = Int(position.rounded(.down))
            let fraction = position - Double(lower)
            let a = Double(value(at: lower))
            if fraction == 0 { return a }
            let b = Double(value(at: Swift.min(lower + 1, total - 1)))
            return a + (b - a) * fraction
        }
        return Distribution(count: total, min: sorted.first!.key, max: sorted.last!.key,
                            mean: Double(sum) / Double(total), median: quantile(0.5),
                            p10: quantile(0.1), p90: quantile(0.9), sum: sum)
    }
}
