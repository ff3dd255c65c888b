import Foundation

/// Handles on a running trainer that the effect runner uses: stop it while a reply streams, continue, cancel.
public struct TrainingControl: Sendable {
    /// Tells one trainer's handles from another's.
    public let id = UUID()
    public var pause: @Sendable () -> Void
    public var resume: @Sendable () -> Void

    public init(pause: @escaping @Sendable () -> Void, resume: @escaping @Sendable () -> Void) {
        self.pause = pause
        self.resume = resume
    }
}
