import DramatisTUI
import Foundation
import Synchronization

/// One training run started from the chat (F5): waits for the writes asked for before it, trains through the
/// services and posts progress and the end to the inbox; the gate stops the trainer while replies stream.
struct BackgroundTraining: Sendable {
    let services: any ChatServices
    let inbox: EventInbox
    let gate: TrainingGate
    let writer: DispatchQueue

    func run(personaID: String) async {
        // After every record asked for before it: the persona's sft.jsonl holds the newest marks.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writer.async { continuation.resume() }
        }
        let inbox = inbox, gate = gate
        let attached = Mutex<UUID?>(nil)
        do {
            let run = try await services.train(personaID: personaID, report: { inbox.post(.trainingProgress($0)) },
                                               started: { control in
                                                   attached.withLock { $0 = control.id }
                                                   gate.attach(control)
                                               })
            inbox.post(.trainingFinished(run))
        } catch {
            inbox.post(.trainingFailed(EffectRunner.describe(error)))
        }
        if let id = attached.withLock({ $0 }) { gate.detach(id) }
    }
}
