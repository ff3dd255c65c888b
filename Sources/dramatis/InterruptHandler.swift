import Dispatch
import Foundation

/// Runs a handler on every Ctrl-C (SIGINT) until cancelled, instead of the default action of ending the process:
/// how a long command (`replay`, `autopilot`) stops after its current requests and still writes what it has.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)  // let the dispatch source, not the default action, handle it
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    /// Stops handling (SIGINT stays ignored until the process ends, as the command is finishing).
    func cancel() {
        source.cancel()
    }
}
