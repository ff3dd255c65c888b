import DramatisCore
import Foundation
import Testing
@testable import DramatisBackends

/// `ChatStreamDecoder.trimmingWhitespace`, which skips Foundation for the usual chunk, trims exactly like
/// `trimmingCharacters(in: .whitespaces)`.
@Suite struct ChatStreamDecoderTrimmingTests {
    @Test func trimsLikeFoundationForRandomTexts() {
        let pieces = [" ", "\t", "\n", "\r", "\u{A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{301}", "\u{1}", "\u{7F}",
                      "{", "}", "[DONE]", "a", "é", "🎭", "\"x\"", ":"]
        var random = SplitMix64(seed: 7)
        for _ in 0 ..< 5_000 {
            var text = ""
            for _ in 0 ..< Int(random.next() % 7) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            #expect(ChatStreamDecoder.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespaces), "\(text.unicodeScalars.map(\.value))")
        }
    }
}
