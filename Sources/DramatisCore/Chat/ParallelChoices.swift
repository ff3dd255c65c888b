/// Several choices asked for as separate one-reply requests sent at once (choice k with seed + k, as `n` would
/// sample it), merged into one tagged stream: the fallback for servers that do not answer `n`.
public enum ParallelChoices {
    /// Streams choices `indices` (all of `request.choices` when nil) of `request` on `backend`, one request each.
    /// A choice's failure arrives as `.failed` and leaves the others running; the stream ends when all ended.
    /// Cancelling the consumer cancels every request.
    public static func stream(_ backend: any ChatBackend, _ request: ChatRequest,
                              indices: [Int]? = nil) -> AsyncThrowingStream<ChoiceEvent, Error> {
        let chosen = indices ?? Array(0..<max(1, request.choices))
        return AsyncThrowingStream { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for index in chosen {
                        let single = request.single(choice: index)
                        group.addTask {
                            do {
                                for try await event in backend.stream(single) {
                                    continuation.yield(.event(choice: index, event))
                                }
                            } catch where Task.isCancelled || error is CancellationError {
                                // Cancelled by the consumer: nothing more to say.
                            } catch {
                                let failure = error as? BackendError ?? BackendError(kind: .disconnected, message: "\(error)")
                                continuation.yield(.failed(choice: index, failure))
                            }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
