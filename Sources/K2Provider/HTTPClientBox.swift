// Owns the process's HTTP clients: one per proxy route, created on first use, all shut down together.
import AsyncHTTPClient
import Foundation
import Synchronization

/// The server and the CLI each hold one box for their lifetime and call `shutdown()` before exiting.
///
/// AsyncHTTPClient configures proxies per client, so the box keeps one client per proxy (usually one direct
/// client, plus one for HTTPS_PROXY when set) and picks by URL with `ProxySettings`.
public final class HTTPClientBox: Sendable {
    private let connectTimeout: Duration
    public let proxySettings: ProxySettings
    private let clients = Mutex<[HTTPClient.Configuration.Proxy?: HTTPClient]>([:])

    /// - Parameters:
    ///   - connectTimeout: the longest a TCP (and TLS) connection may take to establish.
    ///   - environment: where the proxy variables are read from.
    public init(
        connectTimeout: Duration = .seconds(10),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.connectTimeout = connectTimeout
        self.proxySettings = ProxySettings(environment: environment)
    }

    /// The client to use for `url`.
    public func client(forURL url: String) -> HTTPClient {
        let proxy = proxySettings.proxy(forURL: url)
        return clients.withLock { clients in
            if let existing = clients[proxy] { return existing }
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
            clients[proxy] = client
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
