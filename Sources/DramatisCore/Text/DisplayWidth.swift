import CDramatisSystem

/// Terminal column widths, computed the way ncurses places text: one `wcwidth` per scalar.
public enum DisplayWidth {
    /// Makes LC_CTYPE UTF-8 once per process (wcwidth answers -1 for all non-ASCII otherwise).
    private static let localeIsUTF8: Bool = dramatis_ensure_utf8_ctype() != 0

    /// Whether the process' character type locale is UTF-8 (after trying to make it so).
    public static var isUTF8Locale: Bool { localeIsUTF8 }

    /// glibc `wcwidth` of one scalar: 0, 1 or 2, or -1 for a non-printable scalar.
    public static func wcwidth(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return 1 }
        _ = localeIsUTF8
        return Int(dramatis_wcwidth(scalar.value))
    }

    /// Columns one scalar occupies once drawn (non-printables count 0: the sanitizer replaces them).
    public static func columns(_ scalar: Unicode.Scalar) -> Int {
        max(0, wcwidth(scalar))
    }

    /// Columns one grapheme cluster occupies: the sum of its scalars' widths.
    public static func columns(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    /// Columns a string occupies on one line.
    public static func columns<S: StringProtocol>(_ text: S) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns($1) }
    }
}
