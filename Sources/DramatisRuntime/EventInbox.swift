import Dispatch
import DramatisTUI
import Glibc
import Synchronization

/// Where background work (backend streams, chat start-up) posts events for the UI thread.
///
/// Posting appends under a `Mutex` and writes one byte to a self-pipe, so the UI loop,
/// blocked in `poll()` on stdin and the pipe, wakes up; it then drains all events at once
/// (a burst of tokens becomes one frame).
public final class EventInbox: Sendable {
    private let events = Mutex<[AppEvent]>([])
    /// Read end of the self-pipe (polled by the loop).
    public let wakeDescriptor: Int32
    private let writeDescriptor: Int32

    /// Creates the pipe (both ends non-blocking: a full pipe already means "awake").
    public init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw SystemCallError(call: "pipe", code: errno) }
        for descriptor in descriptors {
            let flags = fcntl(descriptor, F_GETFL)
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        close(wakeDescriptor)
        close(writeDescriptor)
    }

    /// Queues an event and wakes the loop. Safe from any thread.
    public func post(_ event: AppEvent) {
        events.withLock { $0.append(event) }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Takes every queued event (and empties the pipe). Called by the UI thread.
    public func drain() -> [AppEvent] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wakeDescriptor, &buffer, buffer.count) > 0 {}
        return events.withLock { queued in
            let taken = queued
            queued.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Blocks until an event is posted or `milliseconds` pass, then drains (a loop without a terminal: tests).
    /// A wake-up byte can outlive its event (a drain between a post's append and its write takes the event
    /// early), so an empty drain waits again until the deadline instead of reporting nothing.
    public func wait(milliseconds: Int32) -> [AppEvent] {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, milliseconds)) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let left = now >= deadline ? 0 : Int32((deadline - now) / 1_000_000)
            var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, left)
            let events = drain()
            if !events.isEmpty || left == 0 { return events }
        }
    }
}

/// A failed system call of the runtime.
public struct SystemCallError: Error, CustomStringConvertible {
    public var call: String
    public var code: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
