// Owns the process's HTTP clients: one per proxy route and connect timeout, created on first use, shut down together.
import AsyncHTTPClient
import Foundation
import Synchronization

/// The server and the CLI each hold one box for their lifetime and call `shutdown()` before exiting.
///
/// AsyncHTTPClient configures proxies per client, so the box keeps one client per proxy (usually one direct
/// client, plus one for HTTPS_PROXY when set) and picks by URL with `ProxySettings`.
public final class HTTPClientBox: Sendable {
    private struct ClientKey: Hashable {
        var proxy: HTTPClient.Configuration.Proxy?
        var connectTimeout: Duration
    }

    private let connectTimeout: Duration
    public let proxySettings: ProxySettings
    private let clients = Mutex<[ClientKey: HTTPClient]>([:])

    /// - Parameters:
    ///   - connectTimeout: the longest a TCP (and TLS) connection may take to establish, unless a request names
    ///     its own (`provider.timeouts.connect`).
    ///   - environment: where the proxy variables are read from.
    public init(
        connectTimeout: Duration = .seconds(10),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.connectTimeout = connectTimeout
        self.proxySettings = ProxySettings(environment: environment)
    }

    /// The client to use for `url`; AsyncHTTPClient sets the connect timeout per client, so each value gets one.
    public func client(forURL url: String, connectTimeout: Duration? = nil) -> HTTPClient {
        let proxy = proxySettings.proxy(forURL: url)
        let connectTimeout = connectTimeout ?? self.connectTimeout
        let key = ClientKey(proxy: proxy, connectTimeout: connectTimeout)
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            let milliseconds = connectTimeout.components.seconds * 1000
                + connectTimeout.components.attoseconds / 1_000_000_000_000_000
            var configuration = HTTPClient.Configuration(
                // A redirect would resend the key elsewhere and is never part of the API: report it instead.
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(milliseconds)),
                proxy: proxy
            )
            configuration.httpVersion = .automatic
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    /// Shuts every client down; in-flight requests fail. Safe to call more than once. A client requested after
    /// this is created anew and needs another `shutdown()`.
    public func shutdown() async throws {
        let current = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in current {
            try await client.shutdown()
        }
    }
}
