@testable import DramatisCore
import Foundation
import Testing

/// The quick paths of the reply heuristics (`validate` runs them on every trained reply) decide exactly as the full
/// tests they stand in front of, on seeded random texts built from the pieces those tests look for.
@Suite struct ReplyHeuristicsTests {
    /// SplitMix64: a small seeded generator, so a failure names a reproducible text.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["I'm sorry", "I’m SORRY", "i am sorry", "Sorry", "sorryi", "Apologies", "Unfortunately", "As an AI",
                         "as an", "I apologise", "I must decline", "I can't", "I cannot", "i won’t", "I'm not able to",
                         "be able to", "help", "assist", "write", "that", "but", ",", ".", "!", "Iñigo", "İ", "Ünfortunately",
                         "\"I'm sorry", "*Sorry*", "42", "Hello", "Sure", "Asia", "is", "us", "`", "```", "```python", "end;"]
    static let spaces = [" ", "  ", "\n", "\t", "\u{00A0}", "\r\n", "", " \u{2003}"]

    static func text(_ generator: inout SeededGenerator) -> String {
        var text = Bool.random(using: &generator) ? spaces.randomElement(using: &generator)! : ""
        for _ in 0..<Int.random(in: 1...16, using: &generator) {
            text += pieces.randomElement(using: &generator)! + spaces.randomElement(using: &generator)!
        }
        return text
    }

    @Test func theQuickRefusalGateNeverRulesOutARefusal() {
        var generator = SeededGenerator(state: 7)
        var refusals = 0
        for _ in 0..<20_000 {
            let text = Self.text(&generator)
            if RefusalDetector.opensWithRefusal(text) {
                refusals += 1
                #expect(RefusalDetector.mayOpenARefusal(text), "the gate rules out the refusal \(text.debugDescription)")
            }
            #expect(RefusalDetector.isRefusal(text) == RefusalDetector.opensWithRefusal(text))
        }
        #expect(refusals > 500, "the generator made too few refusals (\(refusals)) to test the gate")
        #expect(!RefusalDetector.mayOpenARefusal("Hello! Sure, here it is."))
        #expect(RefusalDetector.isRefusal("  Sorry, but I can't help with that."))
        #expect(RefusalDetector.isRefusal("As an AI language model, I…"))
        #expect(!RefusalDetector.isRefusal("Sure, I can help with that."))
    }

    @Test func lastWordsAndFencesCountAsSplittingTheWholeTextDoes() {
        var generator = SeededGenerator(state: 11)
        for _ in 0..<20_000 {
            let text = Self.text(&generator)
            let trimmed = text.trimmingTrailingWhitespace()
            let words = trimmed.split(whereSeparator: \.isWhitespace)
            for limit in [4, 12] {
                #expect(CutOffHeuristic.lastWords(trimmed, upTo: limit) == Array(words.suffix(limit)), "\(text.debugDescription)")
            }
            #expect(CutOffHeuristic.fenceCount(trimmed) == trimmed.components(separatedBy: "```").count - 1, "\(text.debugDescription)")
        }
        let long = "one two three four five six seven eight nine ten eleven twelve and"
        #expect(CutOffHeuristic.cutOffEnding(long) == "ten eleven twelve and")
        #expect(CutOffHeuristic.cutOffEnding(long + ".") == nil)
        #expect(CutOffHeuristic.cutOffEnding("eleven words only here so it is not long enough yet") == nil)
        #expect(CutOffHeuristic.cutOffEnding("Here:\n```swift\nlet x = 1") == "let x = 1")
    }
}
