// Which proxy a URL goes through, from the usual environment variables.
import AsyncHTTPClient

/// Reads the proxy variables once and answers per URL.
///
/// Rules (curl's, minus its rarely used corners):
/// - `https://` targets use `HTTPS_PROXY` / `https_proxy`, then `ALL_PROXY` / `all_proxy`.
/// - `http://` targets use `HTTP_PROXY` / `http_proxy`, then `ALL_PROXY` / `all_proxy`.
/// - Upper-case wins over lower-case when both are set.
/// - `NO_PROXY` / `no_proxy`: comma- or space-separated hosts; `*` disables proxies; `example.com` and
///   `.example.com` both match the domain and its subdomains; an entry with `:port` matches only that port;
///   IP addresses match exactly (no CIDR ranges).
/// - Loopback targets (`localhost`, `*.localhost`, `127.*`, `::1`) are always direct: a proxy cannot reach
///   this machine's loopback, so routing them through one is never what was meant.
/// - Proxy URLs may be `http://[user:password@]host[:port]` (port 80 by default) or `socks5://host[:port]`.
public struct ProxySettings: Sendable, Hashable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: [String]

    public init(environment: [String: String]) {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        httpsProxy = first("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
        httpProxy = first("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
        noProxy = (first("NO_PROXY", "no_proxy") ?? "")
            .split(whereSeparator: { $0 == "," || $0 == " " })
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// The proxy for `url`, or `nil` to connect directly.
    public func proxy(forURL url: String) -> HTTPClient.Configuration.Proxy? {
        guard let target = URLParts(url), !target.isLoopback, !isExcluded(target) else { return nil }
        let configured = target.scheme == "https" ? httpsProxy : httpProxy
        guard let configured, let proxyURL = URLParts(configured) else { return nil }
        switch proxyURL.scheme {
        case "socks5", "socks5h", "socks":
            return .socksServer(host: proxyURL.host, port: proxyURL.effectivePort)
        default:
            let authorization = proxyURL.user.map { user in
                HTTPClient.Authorization.basic(username: user, password: proxyURL.password ?? "")
            }
            return .server(host: proxyURL.host, port: proxyURL.effectivePort, authorization: authorization)
        }
    }

    private func isExcluded(_ target: URLParts) -> Bool {
        noProxy.contains { entry in
            if entry == "*" { return true }
            var pattern = Substring(entry)
            var port: Int?
            if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]"), pattern.firstIndex(of: ":") == colon,
                let value = Int(pattern[pattern.index(after: colon)...])
            {
                port = value
                pattern = pattern[..<colon]
            }
            if let port, port != target.effectivePort { return false }
            if pattern.hasPrefix("[") && pattern.hasSuffix("]") { pattern = pattern.dropFirst().dropLast() }
            if pattern.hasPrefix(".") { pattern = pattern.dropFirst() }
            if pattern.hasPrefix("*.") { pattern = pattern.dropFirst(2) }
            return target.host == pattern || target.host.hasSuffix("." + pattern)
        }
    }
}
