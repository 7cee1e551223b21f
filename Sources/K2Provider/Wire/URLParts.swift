// Scheme, host and port of an http(s) URL, parsed without Foundation's URL quirks around IPv6 and ports.
import Foundation

struct URLParts: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?
    var user: String?
    var password: String?

    /// Parses `scheme://[user[:password]@]host[:port][/...]`; a missing scheme means `http`.
    init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else {
            scheme = "http"
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            rest = rest[..<end]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon]).removingPercentEncoding ?? String(credentials[..<colon])
                let secret = credentials[credentials.index(after: colon)...]
                password = String(secret).removingPercentEncoding ?? String(secret)
            } else {
                user = String(credentials).removingPercentEncoding ?? String(credentials)
            }
        }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let afterHost = rest[rest.index(after: close)...]
            if afterHost.hasPrefix(":") {
                guard let value = Int(afterHost.dropFirst()) else { return nil }
                port = value
            } else if !afterHost.isEmpty {
                return nil
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let value = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = value
        } else {
            host = String(rest)
        }
        host = host.lowercased()
        if host.isEmpty { return nil }
    }

    /// The port a connection uses, defaulted from the scheme.
    var effectivePort: Int {
        if let port { return port }
        switch scheme {
        case "https": return 443
        case "socks5", "socks5h", "socks": return 1080
        default: return 80
        }
    }

    var isLoopback: Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.")
    }
}
