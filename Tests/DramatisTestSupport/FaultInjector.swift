import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server owned by a test: it answers each request with the next scripted
/// `FaultResponse` (status, headers, body parts with delays, abrupt close, stall) and records
/// what it received and whether the client closed the connection. Bound to 127.0.0.1, port 0.
public final class FaultInjector: Sendable {
    private let channel: any Channel
    private let state: FaultInjectorState

    /// `http://127.0.0.1:PORT/v1`.
    public let baseURL: URL
    /// The bound port.
    public let port: Int

    /// Starts a server answering request *n* with `responses[n]` (the last one repeats).
    /// `port` 0 picks a free port; a given port lets a test bring a server up where a fault was.
    public static func start(_ responses: [FaultResponse], port: Int = 0) async throws -> FaultInjector {
        let state = FaultInjectorState(responses: responses)
        let channel = try await bootstrap(state).bind(host: "127.0.0.1", port: port).get()
        return FaultInjector(channel: channel, state: state)
    }

    /// Starts a server on a socket that is already bound and listening (e.g. where a refused or
    /// hanging connection was scripted), so the port is never free for another test to take.
    public static func start(_ responses: [FaultResponse], listeningOn descriptor: Int32) async throws -> FaultInjector {
        let state = FaultInjectorState(responses: responses)
        let channel = try await bootstrap(state).withBoundSocket(descriptor).get()
        return FaultInjector(channel: channel, state: state)
    }

    private static func bootstrap(_ state: FaultInjectorState) -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FaultInjectorHandler(state: state))
                }
            }
    }

    /// Convenience for one response.
    public static func start(_ response: FaultResponse) async throws -> FaultInjector {
        try await start([response])
    }

    private init(channel: any Channel, state: FaultInjectorState) {
        self.channel = channel
        self.state = state
        self.port = channel.localAddress?.port ?? 0
        self.baseURL = URL(string: "http://127.0.0.1:\(port)/v1")!
    }

    /// Requests received so far, in order.
    public var requests: [RecordedRequest] { state.snapshot().requests }

    /// Connections the client closed while the script still had a step running (or stalled).
    public var clientClosedConnections: Int { state.snapshot().clientClosed }

    /// Waits (polling, up to `seconds`) until the client has closed a connection mid-response.
    /// Returns whether it did.
    public func waitForClientClose(within seconds: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if clientClosedConnections > 0 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return clientClosedConnections > 0
    }

    /// Stops listening and closes every open connection.
    public func stop() async {
        state.stopAll()
        try? await channel.close()
    }
}

/// Shared, lock-guarded state of one injector. `@unchecked Sendable`: every access takes `lock`.
final class FaultInjectorState: @unchecked Sendable {
    struct Snapshot {
        var requests: [RecordedRequest]
        var clientClosed: Int
    }

    private let lock = NSLock()
    private let responses: [FaultResponse]
    private var requests: [RecordedRequest] = []
    private var clientClosed = 0
    private var openChannels: [ObjectIdentifier: any Channel] = [:]

    init(responses: [FaultResponse]) {
        precondition(!responses.isEmpty, "script at least one response")
        self.responses = responses
    }

    /// Records a request and returns the response scripted for it.
    func record(_ request: RecordedRequest) -> FaultResponse {
        lock.withLock {
            requests.append(request)
            return responses[min(requests.count - 1, responses.count - 1)]
        }
    }

    func noteClientClosed() { lock.withLock { clientClosed += 1 } }

    func register(_ channel: any Channel) { lock.withLock { openChannels[ObjectIdentifier(channel)] = channel } }

    func unregister(_ channel: any Channel) { lock.withLock { _ = openChannels.removeValue(forKey: ObjectIdentifier(channel)) } }

    func stopAll() {
        let channels = lock.withLock { Array(openChannels.values) }
        for channel in channels { channel.close(promise: nil) }
    }

    func snapshot() -> Snapshot { lock.withLock { Snapshot(requests: requests, clientClosed: clientClosed) } }
}

/// Runs the script for each request on one connection. Lives on the channel's event loop only.
final class FaultInjectorHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: FaultInjectorState
    private var head: HTTPRequestHead?
    private var body = Data()
    /// True while a script is running or stalled: a close by the client now counts as "client closed".
    private var responding = false
    /// True when the script itself closed the connection.
    private var closedByScript = false

    init(state: FaultInjectorState) { self.state = state }

    func channelActive(context: ChannelHandlerContext) {
        state.register(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.unregister(context.channel)
        if responding && !closedByScript { state.noteClientClosed() }
        responding = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = Data()
        case .body(var buffer):
            if let bytes = buffer.readBytes(length: buffer.readableBytes) { body.append(contentsOf: bytes) }
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let response = state.record(RecordedRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body))
            responding = true
            run(response.steps[...], context: context)
        }
    }

    private func run(_ steps: ArraySlice<FaultResponse.Step>, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard let step = steps.first else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            responding = false
            return
        }
        let rest = steps.dropFirst()
        switch step {
        case .head(let status, let headers):
            var httpHeaders = HTTPHeaders()
            for (name, value) in headers { httpHeaders.add(name: name, value: value) }
            let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: httpHeaders)
            context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
            run(rest, context: context)
        case .bytes(let bytes):
            let buffer = context.channel.allocator.buffer(bytes: bytes)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            run(rest, context: context)
        case .wait(let seconds):
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                self.run(rest, context: context)
            }
        case .close:
            closedByScript = true
            responding = false
            context.close(promise: nil)
        case .stall:
            break
        }
    }
}
