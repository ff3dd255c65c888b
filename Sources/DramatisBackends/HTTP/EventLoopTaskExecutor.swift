import AsyncHTTPClient
import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop. A task that prefers the shared HTTP clients' loop
/// (`httpClients`) and streams a reply from them is resumed with each body part on the thread that read it,
/// instead of waking a thread of the global pool for every chunk (two hops per token: body to decoder, and
/// decoder to consumer). Work on it must not block for long: it delays the loop's other connections.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop that runs the jobs.
    public let eventLoop: any EventLoop

    /// An executor running its jobs on `eventLoop`.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// One loop of the group every `HTTPClient` of the backends uses; a request started from this loop's
    /// thread gets its connection on this loop.
    public static let httpClients = EventLoopTaskExecutor(eventLoop: HTTPClient.defaultEventLoopGroup.next())

    /// Runs `job` on the loop (queued behind what the loop is doing; no wake-up when already on it).
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
