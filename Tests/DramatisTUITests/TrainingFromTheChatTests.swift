import DramatisCore
import Foundation
import Synchronization
import Testing
@testable import DramatisRuntime
@testable import DramatisTUI

/// F5 trains in the background, F6 chats with the result; the trainer stops while replies stream.
@Suite struct TrainingFromTheChatTests {
    @Test func f5StartsAndCancelsAndProgressShowsInTheStatusLine() {
        var driver = Driver(Fixtures.chatState())
        #expect(driver.press(.function(5)) == [.startTraining(personaID: "clippy")])
        #expect(driver.state.notice?.message == .trainingStarted(persona: "Clippy"))
        driver.send(.trainingProgress(TrainingStatus(stage: "train", step: 12, totalSteps: 40, loss: 1.234, etaSeconds: 29.6)))
        var text = snapshotText(Renderer.render(driver.state, width: 100, height: 24))
        #expect(text.contains("train 12/40 · loss 1.23 · 30 s left"))
        driver.send(.trainingPaused(true))
        text = snapshotText(Renderer.render(driver.state, width: 100, height: 24))
        #expect(text.contains("train: paused while the reply streams"))
        #expect(driver.press(.function(5)) == [.cancelTraining])
        #expect(driver.state.training == nil && driver.state.notice?.message == .trainingCancelled)
        // The cancelled run's end changes nothing.
        driver.send(.trainingFailed("cancelled"))
        #expect(driver.state.notice?.message == .trainingCancelled)
    }

    @Test func aFinishedRunIsOfferedAndF6SwitchesTheChatKeepingTheConversation() throws {
        var driver = Driver(Fixtures.chatState())
        #expect(driver.press(.function(6)).isEmpty)
        #expect(driver.state.notice?.message == .noTunedModel)
        driver.press(.function(5))
        let run = TrainedRun(personaID: "clippy", runID: "20261130-021500-ab12", validationLossBefore: 3.83, validationLossAfter: 1.62)
        driver.send(.trainingFinished(run))
        #expect(driver.state.training == nil)
        #expect(driver.state.notice?.text == "Trained 20261130-021500-ab12: validation loss 3.83 → 1.62. F6 chats with it.")
        let before = driver.conversation.turns
        let effects = driver.press(.function(6))
        guard case .connect(let persona)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(persona.adapter == run.runID && persona.id == "clippy")
        let tuned = BackendDescriptor(name: "local", kind: "local", model: "SmolLM2-135M")
        driver.send(.connectionChanged(tuned, adapter: run.runID))
        #expect(driver.conversation.turns == before)
        #expect(driver.conversation.persona.adapter == run.runID)
        #expect(driver.state.notice?.message == .connectedTunedModel(runID: run.runID))
        // The next reply is stamped with the run, and the title bar says so.
        driver.type("Hello?")
        let start = driver.press(.enter)
        guard case .startStream? = start.first else { Issue.record("\(start)"); return }
        #expect(driver.conversation.lastTurn?.reply?.adapter == run.runID)
        #expect(snapshotText(Renderer.render(driver.state, width: 100, height: 24)).contains("tuned \(run.runID)"))
    }

    @Test func theTrainerIsStoppedExactlyWhileRepliesStream() {
        let calls = Mutex<[String]>([])
        let announced = Mutex<[Bool]>([])
        let gate = TrainingGate { paused in announced.withLock { $0.append(paused) } }
        gate.streamStarted()   // a reply streams before the trainer starts: it is stopped as soon as it runs
        gate.attach(TrainingControl(pause: { calls.withLock { $0.append("STOP") } }, resume: { calls.withLock { $0.append("CONT") } }))
        gate.streamStarted()
        gate.streamEnded()
        #expect(calls.withLock { $0 } == ["STOP"])   // one reply still streams
        gate.streamEnded()
        gate.streamStarted()
        gate.streamEnded()
        #expect(calls.withLock { $0 } == ["STOP", "CONT", "STOP", "CONT"])
        #expect(announced.withLock { $0 } == [true, false, true, false])
        gate.detach()
        gate.streamStarted()
        #expect(calls.withLock { $0 }.count == 4)   // no trainer: nothing to stop

        // A trainer that ends while stopped is continued so that it can exit; a reply still streaming is still
        // counted, so the next trainer is stopped at once.
        gate.attach(TrainingControl(pause: { calls.withLock { $0.append("STOP") } }, resume: { calls.withLock { $0.append("CONT") } }))
        #expect(calls.withLock { $0 }.suffix(1) == ["STOP"])
        gate.detach()
        #expect(calls.withLock { $0 }.suffix(1) == ["CONT"])
        let newer = TrainingControl(pause: { calls.withLock { $0.append("STOP2") } }, resume: { calls.withLock { $0.append("CONT2") } })
        gate.attach(newer)
        #expect(calls.withLock { $0 }.last == "STOP2")
        // An older run ending late lets go of its own handles only: the newer trainer stays under the rule.
        gate.detach(UUID())
        gate.streamEnded()
        #expect(calls.withLock { $0 }.last == "CONT2")
    }
}
