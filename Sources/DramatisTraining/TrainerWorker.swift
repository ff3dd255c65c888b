import DramatisBackends
import DramatisCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running trainer: its events, and pause/resume/cancel. One protocol so the run logic does not care how
/// the worker is started.
public protocol TrainingWorker: Sendable {
    /// The worker's events in order; the stream ends when the worker closes its output (exits).
    var events: AsyncStream<TrainingEvent> { get }
    /// Stops the worker's use of the CPU (SIGSTOP), e.g. while a chat reply streams.
    func pause()
    /// Lets a paused worker go on (SIGCONT).
    func resume()
    /// Stops the worker (SIGTERM, then SIGKILL).
    func cancel()
    /// Waits for the worker to exit; returns its wait status.
    func exitStatus() async -> Int32
}

/// The Python worker (`Trainer/dramatis_trainer.py`) as a child that dies with us (PR_SET_PDEATHSIG): the request
/// on its stdin, JSON-line events from its stdout, its stderr appended to `logFile`.
public final class PythonTrainerWorker: TrainingWorker {
    public let events: AsyncStream<TrainingEvent>
    private let process: SupervisedProcess

    /// Starts the worker with `request`; `niceness` > 0 runs it at lower CPU priority (background training).
    public init(environment: TrainerEnvironment, trainerDirectory: URL, request: TrainingRequest, logFile: URL,
                niceness: Int32 = 0) throws {
        let requestFile = URL(fileURLWithPath: request.runDirectory).appendingPathComponent("request.json")
        try DurableFile.write(try request.jsonLine(), to: requestFile)
        let input = open(requestFile.path, O_RDONLY | O_CLOEXEC)
        let log = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        var pipeEnds: [Int32] = [-1, -1]
        // Close-on-exec on both ends (pipe2 is not imported from Glibc): the child keeps only its dup2'd stdout.
        let piped = pipe(&pipeEnds)
        if piped == 0 { pipeEnds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) } }
        defer {
            if input >= 0 { close(input) }
            if log >= 0 { close(log) }
            if pipeEnds[1] >= 0 { close(pipeEnds[1]) }  // the child holds its own copy of the write end
        }
        guard input >= 0, log >= 0, piped == 0 else {
            if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
            throw TrainingError.environment("cannot prepare the trainer's input and log in \(request.runDirectory) (errno \(errno))")
        }
        do {
            // -u: unbuffered, so every event line arrives as it is printed even if the worker forgets to flush.
            process = try SupervisedProcess(executable: environment.python,
                                            arguments: ["-u", trainerDirectory.appendingPathComponent(TrainerLocation.workerScript).path],
                                            standardInput: input, standardOutput: pipeEnds[1], standardError: log, niceness: niceness)
        } catch {
            close(pipeEnds[0])
            throw TrainingError.environment("cannot start the trainer: \(error)")
        }
        let (stream, continuation) = AsyncStream<TrainingEvent>.makeStream()
        events = stream
        let readEnd = pipeEnds[0]
        // A blocking reader on a thread of its own: the cooperative pool must stay free for the rest.
        Thread.detachNewThread {
            Self.readLines(from: readEnd) { line in
                if let event = TrainingEvent.decode(line: line) { continuation.yield(event) }
            }
            close(readEnd)
            continuation.finish()
        }
    }

    public func pause() { process.send(SIGSTOP) }
    public func resume() { process.send(SIGCONT) }
    public func cancel() { process.terminate() }
    public func exitStatus() async -> Int32 { await process.exitStatus() }

    /// Reads `descriptor` to its end, calling `handle` with each complete line (without its newline).
    private static func readLines(from descriptor: Int32, _ handle: (Data) -> Void) {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                if !line.isEmpty { handle(Data(line)) }
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { handle(pending) }
    }
}
