import Foundation

/// Reads and writes the chunk structure of PNG files (signature, length, type, data, CRC).
public enum PNGChunks {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// One chunk: four-letter type and its data.
    public struct Chunk: Sendable, Hashable {
        public var type: String
        public var data: [UInt8]
        /// Creates a chunk.
        public init(type: String, data: [UInt8]) {
            self.type = type
            self.data = data
        }
    }

    /// Why bytes are not a well-formed PNG.
    public struct Corruption: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// True when `bytes` start with the PNG signature.
    public static func hasSignature(_ bytes: [UInt8]) -> Bool {
        bytes.count >= signature.count && Array(bytes[0..<signature.count]) == signature
    }

    /// Every chunk up to and including `IEND`, checking lengths and CRCs.
    public static func read(_ bytes: [UInt8]) throws(Corruption) -> [Chunk] {
        guard hasSignature(bytes) else { throw Corruption(message: "not a PNG file (the PNG signature is missing)") }
        var chunks: [Chunk] = []
        var offset = signature.count
        while true {
            guard offset + 12 <= bytes.count else {
                throw Corruption(message: "the PNG is truncated at byte \(offset) (no IEND chunk)")
            }
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw Corruption(message: "corrupt PNG: invalid chunk type at byte \(offset + 4)")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= 0x7FFF_FFFF, offset + 12 + length <= bytes.count else {
                throw Corruption(message: "corrupt PNG: chunk '\(type)' at byte \(offset) claims \(length) bytes but the file ends first")
            }
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let crcOffset = offset + 8 + length
            let stored = UInt32(bytes[crcOffset]) << 24 | UInt32(bytes[crcOffset + 1]) << 16
                | UInt32(bytes[crcOffset + 2]) << 8 | UInt32(bytes[crcOffset + 3])
            let computed = CRC32.checksum(data, continuing: CRC32.checksum(typeBytes))
            guard stored == computed else {
                throw Corruption(message: "corrupt PNG: chunk '\(type)' at byte \(offset) has a bad CRC (stored \(hex(stored)), computed \(hex(computed)))")
            }
            if chunks.isEmpty, type != "IHDR" {
                throw Corruption(message: "corrupt PNG: the first chunk is '\(type)', expected 'IHDR'")
            }
            chunks.append(Chunk(type: type, data: data))
            offset = crcOffset + 4
            if type == "IEND" { return chunks }
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The `tEXt` chunks as (keyword, text) pairs; both are Latin-1 as the PNG standard says.
    public static func textEntries(_ chunks: [Chunk]) -> [(keyword: String, text: String)] {
        chunks.filter { $0.type == "tEXt" }.compactMap { chunk in
            guard let separator = chunk.data.firstIndex(of: 0) else { return nil }
            let keyword = String(decoding: chunk.data[..<separator], as: Unicode.ASCII.self)
            let text = String(chunk.data[(separator + 1)...].map { Character(Unicode.Scalar($0)) })
            return (keyword, text)
        }
    }

    /// Serialises chunks into a PNG file (signature, then each chunk with its CRC).
    public static func write(_ chunks: [Chunk]) -> [UInt8] {
        var bytes = signature
        for chunk in chunks {
            let length = UInt32(chunk.data.count)
            bytes += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            let typeBytes = Array(chunk.type.utf8)
            bytes += typeBytes + chunk.data
            let crc = CRC32.checksum(chunk.data, continuing: CRC32.checksum(typeBytes))
            bytes += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        }
        return bytes
    }

    /// A `tEXt` chunk holding `keyword` and ASCII `text`.
    public static func textChunk(keyword: String, text: String) -> Chunk {
        Chunk(type: "tEXt", data: Array(keyword.utf8) + [0] + Array(text.utf8))
    }
}
