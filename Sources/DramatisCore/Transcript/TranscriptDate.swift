import Foundation

/// Dates in transcripts and datasets: ISO-8601, UTC, millisecond precision (`2026-11-22T03:45:00.123Z`).
public enum TranscriptDate {
    /// Formats `date` as ISO-8601 UTC with milliseconds.
    public static func string(from date: Date) -> String {
        var milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        var seconds = Int((milliseconds / 1000).rounded(.down))
        milliseconds -= Double(seconds) * 1000
        if milliseconds >= 1000 { seconds += 1; milliseconds -= 1000 }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `YYYY-MM-DD`, meaning midnight UTC); nil when malformed.
    /// Fraction digits after the milliseconds are accepted and dropped.
    public static func date(from string: String) -> Date? {
        let bytes = Array(string.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, fraction = 0.0
        if bytes.count > 10 {
            guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                  bytes[16] == UInt8(ascii: ":"), bytes.last == UInt8(ascii: "Z"),
                  let h = number(11, 2), let m = number(14, 2), let s = number(17, 2),
                  h < 24, m < 60, s < 61 else { return nil }
            hour = h; minute = m; second = s
            if bytes.count > 20 {
                // Milliseconds are the format's precision: further digits must be digits but are dropped, so a
                // loaded date saves back unchanged. (Accumulating every digit overflowed `Int` past 18 digits and
                // trapped, and sub-millisecond digits were lost on the next save; both found by fuzzing, issue #8.)
                let digitCount = bytes.count - 21
                guard bytes[19] == UInt8(ascii: "."), digitCount >= 1, bytes[20 ..< 20 + digitCount].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                      let milliseconds = number(20, min(digitCount, 3)) else { return nil }
                fraction = Double(milliseconds) / pow(10, Double(min(digitCount, 3)))
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
