import Foundation

/// A persona's supervised examples (`sft.jsonl`) checked for training and split, by seed, into the examples
/// trained on and the held-out ones (never trained on; used for validation loss and the replay evaluation).
public struct TrainingDataset: Sendable {
    /// Fewer examples than this are refused (OpenAI's and Azure's minimum too).
    public static let minimumExamples = 10

    /// One example: its 1-based line in the file and the line itself.
    public struct Example: Sendable, Hashable {
        public var line: Int
        public var text: String

        public init(line: Int, text: String) {
            self.line = line
            self.text = text
        }
    }

    /// The file read.
    public var file: URL
    /// Every example, in file order.
    public var examples: [Example]
    /// SHA-256 of the file's bytes.
    public var contentHash: String
    /// The validator's statistics (token counts are an o200k estimate for the local model).
    public var statistics: ValidationStatistics
    /// Warnings the validator found (training goes on).
    public var warnings: [ValidationIssue]

    /// Reads and validates `file`; throws `TrainingDatasetError` when it is missing, has invalid lines or too few examples.
    public static func load(_ file: URL, tokenizer: BPETokenizer, model: String = "SmolLM2-135M-Instruct") throws -> TrainingDataset {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw TrainingDatasetError.missing(file.path)
        }
        let options = ValidationOptions(format: .chat, model: .named(model), maxIssuesPerCategory: 20, minimumExamples: 0,
                                        recommendedExamples: 50)
        let report = DatasetValidator(tokenizer: tokenizer, options: options).validate(bytes: Array(data), name: file.path)
        if !report.isValid {
            let lines = report.errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }.prefix(10).map { issue in
                issue.line.map { "\(file.path):\($0): \(issue.message)" } ?? "\(file.path): \(issue.message)"
            }
            throw TrainingDatasetError.invalid(file: file.path, errorCount: report.errorTotal, firstErrors: Array(lines))
        }
        var examples: [Example] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            examples.append(Example(line: index + 1, text: String(line)))
        }
        if examples.count < minimumExamples {
            throw TrainingDatasetError.tooFew(file: file.path, count: examples.count, minimum: minimumExamples)
        }
        return TrainingDataset(file: file, examples: examples, contentHash: SHA256.hexDigest(data),
                               statistics: report.statistics, warnings: report.warnings)
    }

    /// The examples split by `seed`: `validationFraction` of them (rounded, at least 1 when the fraction is above 0)
    /// held out, the rest trained on. The same file and seed always give the same split.
    public func split(validationFraction: Double, seed: UInt64) -> (train: [Example], heldOut: [Example]) {
        guard validationFraction > 0 else { return (examples, []) }
        let count = min(examples.count - 1, max(1, Int((Double(examples.count) * validationFraction).rounded())))
        let heldOut = Set(SplitMix64.shuffledIndices(examples.count, seed: seed).prefix(count))
        return (examples.indices.filter { !heldOut.contains($0) }.map { examples[$0] },
                examples.indices.filter { heldOut.contains($0) }.map { examples[$0] })
    }
}

/// Why a dataset cannot be trained on.
public enum TrainingDatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(String)
    case invalid(file: String, errorCount: Int, firstErrors: [String])
    case tooFew(file: String, count: Int, minimum: Int)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path): no such file; mark replies good in `dramatis chat` (or export) to build the persona's dataset first"
        case let .invalid(file, errorCount, firstErrors):
            return "\(file) has \(errorCount) invalid line\(errorCount == 1 ? "" : "s"); fix \(errorCount == 1 ? "it" : "them") "
                + "(`dramatis validate \(file)` lists all) and train again:\n" + firstErrors.joined(separator: "\n")
        case let .tooFew(file, count, minimum):
            return "\(file) has \(count) example\(count == 1 ? "" : "s"); training needs at least \(minimum): "
                + "mark \(minimum - count) more good repl\(minimum - count == 1 ? "y" : "ies") (50-100 give clear gains)"
        }
    }
}

extension TrainingDataset.Example {
    /// The replay the evaluation makes of this example: the messages before its last trained (weight 1) reply,
    /// and that reply, the marked-good answer. Nil when the example has no trained reply.
    public func evaluationPrompt() -> (messages: [ChatMessage], reference: String)? {
        struct Line: Decodable {
            struct Message: Decodable {
                var role: ChatRole
                var content: String
                var weight: Int?
            }
            var messages: [Message]
        }
        guard let decoded = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)),
              let last = decoded.messages.lastIndex(where: { $0.role == .assistant && ($0.weight ?? 1) == 1 }) else { return nil }
        let prompt = decoded.messages[..<last].map { ChatMessage(role: $0.role, content: $0.content) }
        return (prompt, decoded.messages[last].content)
    }
}
