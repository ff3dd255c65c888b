import AsyncHTTPClient
import NIOCore

/// Process-wide HTTP clients, one per timeout setting, on the shared event loop group.
///
/// `HTTPClient` must be shut down before it is released; keeping each client for the life
/// of the process (it holds only idle pooled connections) removes that burden from every
/// backend value and lets backends stay plain `Sendable` structs.
enum SharedHTTPClients {
    private struct Key: Hashable {
        var connectMilliseconds: Int64
        var readMilliseconds: Int64
    }

    private static let clients = LockedValue<[Key: HTTPClient]>([:])

    /// The client whose connect timeout and idle read timeout are the given seconds.
    static func client(connectTimeout: Double, idleTimeout: Double) -> HTTPClient {
        let key = Key(connectMilliseconds: Int64(connectTimeout * 1000), readMilliseconds: Int64(idleTimeout * 1000))
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .milliseconds(key.connectMilliseconds),
                                          read: .milliseconds(key.readMilliseconds))
            configuration.decompression = .disabled
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[key] = client
            return client
        }
    }
}
