import DramatisCore
import Synchronization

/// The current chat's backend, shared between the UI thread and the tasks that start chats.
final class BackendSlot: Sendable {
    private let value = Mutex<(any ChatBackend)?>(nil)

    /// Installs the backend new streams use.
    func set(_ backend: any ChatBackend) { value.withLock { $0 = backend } }
    /// The backend new streams use, if a chat started.
    func get() -> (any ChatBackend)? { value.withLock { $0 } }
}
