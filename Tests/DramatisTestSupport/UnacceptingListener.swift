import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback socket that listens with a zero backlog and never accepts, its queue filled by a
/// few of its own connections: the kernel then drops further SYNs, so a client's connect hangs
/// until its connect timeout. (NIO always accepts, hence raw sockets here.)
public final class UnacceptingListener {
    public let port: Int
    private var descriptors: [Int32] = []

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        descriptors.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 0) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the accept queue with non-blocking connects that are never accepted.
        for _ in 0..<3 {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            descriptors.append(client)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        usleep(200_000)
    }

    /// The fault stops without giving the port up: the listener gets a normal backlog and its
    /// descriptor is handed over (to `FaultInjector.start(_:listeningOn:)`, which accepts the queued
    /// connections too). Releasing the port and binding it again raced with other tests' sockets.
    public func startAccepting() -> Int32 {
        let listener = descriptors.removeFirst()
        _ = listen(listener, 128)
        return listener
    }

    /// Closes the listener and its queued connections: the port is free again.
    public func close() {
        for descriptor in descriptors { Glibc.close(descriptor) }
        descriptors.removeAll()
    }

    deinit { close() }
}

/// A loopback port held by a socket that is bound but never listens: connecting is refused, and no
/// other server can take the port until `release()` (closing it first let a llama-server reuse it).
public final class RefusingPort {
    public let port: Int
    private var descriptor: Int32

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { Glibc.close(descriptor); throw POSIXError(.EADDRINUSE) }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// The fault stops without giving the port up: the socket starts listening and its descriptor is
    /// handed over (to `FaultInjector.start(_:listeningOn:)`).
    public func startListening() -> Int32 {
        let listener = descriptor
        descriptor = -1
        _ = listen(listener, 128)
        return listener
    }

    /// Frees the port.
    public func release() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { release() }
}
