// Which proxy each URL uses under HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
import AsyncHTTPClient
@testable import K2Provider
import Testing

struct ProxyCase: Sendable, CustomStringConvertible {
    var environment: [String: String]
    var url: String
    /// "host:port", "socks host:port", or nil for direct.
    var expected: String?
    var description: String { "\(url) with \(environment)" }
}

@Test(arguments: [
    ProxyCase(environment: [:], url: "https://api.moonshot.ai/v1", expected: nil),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy.corp:3128"], url: "https://api.moonshot.ai/v1", expected: "proxy.corp:3128"),
    ProxyCase(environment: ["https_proxy": "proxy.corp"], url: "https://api.moonshot.ai/v1", expected: "proxy.corp:80"),
    ProxyCase(environment: ["HTTPS_PROXY": "http://a:1", "https_proxy": "http://b:2"], url: "https://x.io", expected: "a:1"),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1"], url: "http://gpu-box:8000/v1", expected: nil),
    ProxyCase(environment: ["HTTP_PROXY": "http://proxy:1"], url: "http://gpu-box:8000/v1", expected: "proxy:1"),
    ProxyCase(environment: ["ALL_PROXY": "socks5://sock:1081"], url: "https://openrouter.ai/api/v1", expected: "socks sock:1081"),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1"], url: "http://127.0.0.1:8000/v1", expected: nil),
    ProxyCase(environment: ["HTTP_PROXY": "http://proxy:1"], url: "http://localhost:8000/v1", expected: nil),
    ProxyCase(environment: ["HTTP_PROXY": "http://proxy:1"], url: "http://[::1]:8000/v1", expected: nil),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "moonshot.ai"], url: "https://api.moonshot.ai/v1", expected: nil),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "no_proxy": ".moonshot.ai, example.org"], url: "https://api.moonshot.ai/v1", expected: nil),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "moonshot.ai"], url: "https://notmoonshot.ai/v1", expected: "proxy:1"),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "*"], url: "https://api.moonshot.ai/v1", expected: nil),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "api.moonshot.ai:8443"], url: "https://api.moonshot.ai/v1", expected: "proxy:1"),
    ProxyCase(environment: ["HTTPS_PROXY": "http://proxy:1", "NO_PROXY": "api.moonshot.ai:443"], url: "https://api.moonshot.ai/v1", expected: nil),
    ProxyCase(environment: ["HTTP_PROXY": "http://proxy:1", "NO_PROXY": "10.0.0.5"], url: "http://10.0.0.5:8000/v1", expected: nil),
])
func proxyIsChosenPerURL(_ testCase: ProxyCase) {
    let proxy = ProxySettings(environment: testCase.environment).proxy(forURL: testCase.url)
    let described = proxy.map { proxy in
        proxy == .socksServer(host: proxy.host, port: proxy.port) ? "socks \(proxy.host):\(proxy.port)" : "\(proxy.host):\(proxy.port)"
    }
    #expect(described == testCase.expected)
}

@Test func proxyCredentialsBecomeBasicAuthorization() {
    let proxy = ProxySettings(environment: ["HTTPS_PROXY": "http://user:p%40ss@proxy:8080"]).proxy(forURL: "https://x.io")
    #expect(proxy?.authorization == .basic(username: "user", password: "p@ss"))
}
