import DramatisCore
import DramatisTUI
import Foundation

/// Starts a chat in the background: resolve, make the backend (may start the local engine), post the result
/// with the backend it connected to (which the chat's replies are stamped with), then have the recording prepared.
struct ChatStarter: Sendable {
    let services: any ChatServices
    let inbox: EventInbox
    let backend: BackendSlot
    /// Queues the dataset rebuild for an opened chat on the runner's writer (ahead of any record of it).
    let prepareRecording: @Sendable (Conversation) -> Void

    func startChat(personaID: String) async {
        do {
            let (conversation, connection) = try await newConversation(personaID: personaID, replayOf: nil)
            inbox.post(.chatReady(conversation, connection: connection))
            prepareRecording(conversation)
        } catch {
            inbox.post(.chatFailed(.couldNotStartChat(persona: personaID, reason: EffectRunner.describe(error))))
        }
    }

    /// Resolves today's persona, makes (and installs) its backend, and starts an empty conversation with it.
    private func newConversation(personaID: String, replayOf: String?) async throws -> (Conversation, BackendDescriptor) {
        let persona = try services.persona(id: personaID)
        let chatBackend = try await services.makeBackend(for: persona)
        backend.set(chatBackend)
        let conversation = Conversation(id: services.newConversationID(for: persona), createdAt: Date(), persona: persona,
                                        backend: chatBackend.descriptor, sampling: persona.sampling, replayOf: replayOf)
        return (conversation, chatBackend.descriptor)
    }

    func openTranscript(id: String) async {
        do {
            let conversation = try services.loadTranscript(id: id)
            ProcessMemory.releaseFreedMemory()   // the decoder's working memory, before the chat screen fills caches
            let chatBackend = try await services.makeBackend(for: conversation)
            backend.set(chatBackend)
            inbox.post(.chatReady(conversation, connection: chatBackend.descriptor))
            prepareRecording(conversation)
        } catch {
            inbox.post(.chatFailed(.couldNotOpenTranscript(id: id, reason: EffectRunner.describe(error))))
        }
    }

    /// Connects the open chat to `persona`'s backend (the local model restarted with its adapter); the chat keeps its conversation.
    func reconnect(persona: Persona) async {
        do {
            let chatBackend = try await services.makeBackend(for: persona)
            backend.set(chatBackend)
            inbox.post(.connectionChanged(chatBackend.descriptor, adapter: persona.adapter))
        } catch {
            inbox.post(.connectionFailed(EffectRunner.describe(error)))
        }
    }

    /// Connects the open chat to the local model restarted with `adapters` loaded (compare sources choose their
    /// scales per request); its own requests use `persona`'s run or the base. The chat keeps its conversation.
    func reconnect(persona: Persona, adapters: [AdapterRun]) async {
        do {
            let chatBackend = try await services.makeBackend(for: persona, adapters: adapters)
            backend.set(chatBackend)
            inbox.post(.connectionChanged(chatBackend.descriptor, adapter: persona.adapter))
        } catch {
            inbox.post(.connectionFailed(EffectRunner.describe(error)))
        }
    }

    /// Replays a transcript against today's version of its persona (and that persona's backend).
    func startReplay(transcriptID: String) async {
        do {
            let original = try services.loadTranscript(id: transcriptID)
            ProcessMemory.releaseFreedMemory()
            let (conversation, _) = try await newConversation(personaID: original.persona.id, replayOf: original.id)
            inbox.post(.replayReady(original: original, conversation: conversation))
            prepareRecording(conversation)
        } catch {
            inbox.post(.chatFailed(.couldNotReplay(id: transcriptID, reason: EffectRunner.describe(error))))
        }
    }
}
