/// The character-class facts the tiktoken split patterns ask about one Unicode scalar.
///
/// Bit set: letters (`\p{L}`), numbers (`\p{N}`), marks (`\p{M}`), the o200k "upper" set
/// (`[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`), the o200k "lower" set (`[\p{Ll}\p{Lm}\p{Lo}\p{M}]`),
/// white space (`\s`, the Unicode `White_Space` property, as in Rust's `regex`) and `\r`/`\n`.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1 << 0)
    static let number = ScalarClass(rawValue: 1 << 1)
    static let mark = ScalarClass(rawValue: 1 << 2)
    static let upperSet = ScalarClass(rawValue: 1 << 3)
    static let lowerSet = ScalarClass(rawValue: 1 << 4)
    static let whitespace = ScalarClass(rawValue: 1 << 5)
    static let newline = ScalarClass(rawValue: 1 << 6)

    // The bit tests below use literals: reading the static members in the hot loop would go
    // through their lazy-initialisation check every time.
    /// `[^\r\n\p{L}\p{N}]`: may stand before a letter run.
    @inline(__always) var isLetterPrefix: Bool { rawValue & 0b0100_0011 == 0 }
    /// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls that are not white space.
    @inline(__always) var isPunctuation: Bool { rawValue & 0b0010_0011 == 0 }
    @inline(__always) var isLetter: Bool { rawValue & 0b0000_0001 != 0 }
    @inline(__always) var isNumber: Bool { rawValue & 0b0000_0010 != 0 }
    @inline(__always) var isWhitespace: Bool { rawValue & 0b0010_0000 != 0 }
    @inline(__always) var isNewline: Bool { rawValue & 0b0100_0000 != 0 }
    @inline(__always) var inUpperSet: Bool { rawValue & 0b0000_1000 != 0 }
    @inline(__always) var inLowerSet: Bool { rawValue & 0b0001_0000 != 0 }

    /// Computes the class from the scalar's Unicode properties.
    static func compute(_ scalar: Unicode.Scalar) -> ScalarClass {
        var result: ScalarClass = []
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter:
            result.formUnion([.letter, .upperSet])
        case .lowercaseLetter:
            result.formUnion([.letter, .lowerSet])
        case .modifierLetter, .otherLetter:
            result.formUnion([.letter, .upperSet, .lowerSet])
        case .nonspacingMark, .spacingMark, .enclosingMark:
            result.formUnion([.mark, .upperSet, .lowerSet])
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        default:
            break
        }
        if properties.isWhitespace { result.insert(.whitespace) }
        if scalar == "\r" || scalar == "\n" { result.insert(.newline) }
        return result
    }

    /// Scalars below this value have their class in `firstTwoPlanes`.
    static let tabulatedLimit: UInt32 = 0x20000

    /// Precomputed classes for the Basic Multilingual Plane and the Supplementary Multilingual Plane
    /// (emoji, math letters, historic scripts), 128 KB, built once on first use.
    static let firstTwoPlanes: [ScalarClass] = {
        var table = [ScalarClass](repeating: [], count: Int(tabulatedLimit))
        for value in 0 ..< Int(tabulatedLimit) {
            if let scalar = Unicode.Scalar(UInt32(value)) { table[value] = compute(scalar) }
        }
        return table
    }()

    /// The class of any scalar value (from the table for the first two planes, computed above them).
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        if value < tabulatedLimit { return firstTwoPlanes[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return [] }
        return compute(scalar)
    }
}
