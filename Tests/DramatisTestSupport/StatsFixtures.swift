import Foundation
import DramatisCore

/// The stats fixture set: three clippy transcripts with known counts.
///
/// - `…0001`: `TranscriptFixtures.golden` — 2 SFT examples, 2 pairs, KTO 2 good + 2 bad; marks: 3 generated, 1 edited.
/// - `…0002`: an e-mail address in the question; replies "Sure." (good) and "Sure. " (bad): an identical pair, withheld
///   (no pair, no KTO labels); a follow-up reply cut off by the length limit, marked good, not confirmed: withheld.
///   1 SFT example (ending at turn 2; the address is in its message 5); marks: 3 generated.
/// - `…0003`: made with an older system prompt; a cut-off reply marked good and confirmed (a day later):
///   1 SFT example, KTO 1 good; marks: 1 generated.
public enum StatsFixtures {
    public static let withheldID = "20261118-000100-clippy-0002"
    public static let olderPromptID = "20261118-000200-clippy-0003"

    public static func conversations() -> [Conversation] {
        let at = TranscriptFixtures.at
        var second = Conversation(id: withheldID, createdAt: at(20), persona: TranscriptFixtures.clippy,
                                  backend: TranscriptFixtures.backend, sampling: SamplingParameters())
        let question = second.appendUserMessage("Email me at jane.doe@example.com, please.", at: at(21))
        func reply(_ conversation: inout Conversation, after parent: TurnID, _ text: String, _ reason: FinishReason, _ time: Double) -> TurnID {
            let id = conversation.startReply(after: parent, backend: "local", model: "smollm2-135m", at: at(time))
            conversation.appendReplyText(text, to: id)
            conversation.finishReply(id, reason: reason)
            return id
        }
        let sure = reply(&second, after: question, "Sure.", .stop, 22)
        let spaced = reply(&second, after: question, "Sure. ", .stop, 23)
        second.setMark(.good, on: sure, at: at(24))
        second.setMark(.bad, on: spaced, at: at(25))
        second.select(sure)
        let followUp = second.appendUserMessage("And then?", at: at(26))
        let cut = reply(&second, after: followUp, "It was the best of times and the worst of", .length, 27)
        second.setMark(.good, on: cut, at: at(28))

        var older = TranscriptFixtures.clippy
        older.systemPrompt = "Clippy is a factual chatbot."
        var third = Conversation(id: olderPromptID, createdAt: at(40), persona: older, backend: TranscriptFixtures.backend,
                                 sampling: SamplingParameters())
        let italy = third.appendUserMessage("Capital of Italy?", at: at(41))
        let rome = reply(&third, after: italy, "Rome, which", .length, 42)
        third.setMark(.good, on: rome, at: at(86_400), confirmed: true)
        return [TranscriptFixtures.golden(), second, third]
    }
}
