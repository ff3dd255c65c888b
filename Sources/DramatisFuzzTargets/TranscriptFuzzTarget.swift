import DramatisCore
import Foundation

/// Fuzzes the transcript loader (JSON header check, `Codable` decoding, conversation-tree validation).
///
/// Invariants: loading never crashes and fails only with a `TranscriptError`; a transcript that loads
/// saves to bytes that load again into an equal conversation, and saving that again gives the same bytes
/// (load → save → load is lossless and saving is deterministic).
public enum TranscriptFuzzTarget {
    /// The registered target.
    public static let target = FuzzTarget(name: "transcript", run: run)

    /// Loads `data` as a transcript file and, when it loads, round-trips it.
    public static func run(_ data: [UInt8]) throws {
        let conversation: Conversation
        do {
            conversation = try TranscriptStore.conversation(fromFileData: Data(data), path: "fuzz.json")
        } catch is TranscriptError {
            return                                   // a rejected file is a fine outcome
        } catch {
            throw FuzzInvariantViolation("loading failed with \(type(of: error)), not a TranscriptError: \(error)")
        }
        let saved: Data
        do {
            saved = try TranscriptStore.fileData(for: conversation)
        } catch {
            throw FuzzInvariantViolation("a loaded transcript cannot be saved: \(error)")
        }
        let reloaded: Conversation
        do {
            reloaded = try TranscriptStore.conversation(fromFileData: saved, path: "saved.json")
        } catch {
            throw FuzzInvariantViolation("a saved transcript does not load: \(error)\n--- saved ---\n\(String(decoding: saved, as: UTF8.self))")
        }
        try require(reloaded == conversation, "load → save → load changed the conversation:\n\(conversation)\n---\n\(reloaded)")
        let savedAgain = try TranscriptStore.fileData(for: reloaded)
        try require(savedAgain == saved, "saving the reloaded transcript gave different bytes")
    }
}
