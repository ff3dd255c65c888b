/// Nearest-rank percentiles for the benchmark commands: the smallest sample with at least `p` of them at or below it.
enum NearestRank {
    /// The `p` (0…1) percentile of `values`, or 0 when there are none.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }
}
