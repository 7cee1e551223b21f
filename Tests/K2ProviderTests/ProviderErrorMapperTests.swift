// Status + body → error code, retryability and a message that says what to do, with the key never shown.
import AnyJSON
import Foundation
@testable import K2Provider
import Testing

let mapperEndpoint = ProviderEndpoint(
    baseURL: "https://api.moonshot.ai/v1",
    model: "kimi-k2-0905-preview",
    apiKey: "sk-Zq8mUSERKEYabcdefghijklmnop",
    apiKeyEnvName: "K2_API_KEY"
)

struct MappingCase: Sendable, CustomStringConvertible {
    var status: Int
    var body: String
    var code: ProviderError.Code
    var retryable: Bool
    var messageMentions: [String]
    var headers: [String: String] = [:]
    var description: String { "\(status) \(code)" }
}

let mappingCases: [MappingCase] = [
    .init(
        status: 401,
        body: #"{"error":{"message":"Invalid Authentication: sk-Zq8mUSERKEYabcdefghijklmnop","type":"invalid_authentication_error"}}"#,
        code: .keyRejected, retryable: false,
        messageMentions: ["K2_API_KEY was rejected by https://api.moonshot.ai/v1", "moonshot.ai vs moonshot.cn"]
    ),
    .init(
        status: 404,
        body: #"{"error":{"message":"Not found the model kimi-k2-0905-preview or Permission denied","type":"resource_not_found_error"}}"#,
        code: .modelNotFound, retryable: false,
        messageMentions: ["kimi-k2-0905-preview", "https://api.moonshot.ai/v1", "k2lsp doctor", "GET https://api.moonshot.ai/v1/models"]
    ),
    .init(
        status: 400,
        body: #"{"error":{"message":"moonshotai/kimi-k9 is not a valid model ID","code":400}}"#,
        code: .modelNotFound, retryable: false, messageMentions: ["k2lsp doctor"]
    ),
    .init(
        status: 404,
        body: "<html>404 page not found</html>",
        code: .pathNotFound, retryable: false, messageMentions: ["/v1"]
    ),
    .init(
        status: 429,
        body: #"{"error":{"message":"Your account org-1 is suspended due to insufficient balance","type":"exceeded_current_quota_error"}}"#,
        code: .quotaExhausted, retryable: false, messageMentions: ["no balance", "https://platform.moonshot.ai/console/pay"]
    ),
    .init(
        status: 402,
        body: #"{"error":{"message":"Insufficient credits","code":402}}"#,
        code: .quotaExhausted, retryable: false, messageMentions: ["Top up"]
    ),
    .init(
        status: 429,
        body: #"{"error":{"message":"Your account org-1 request reached max RPM: 3, please try again after 7 seconds","type":"rate_limit_reached_error"}}"#,
        code: .rateLimited, retryable: true, messageMentions: ["rate-limiting", "max RPM", "It asked to wait 7 s."]
    ),
    .init(
        status: 429,
        body: #"{"error":{"message":"The engine is currently overloaded, please try again later","type":"engine_overloaded_error"}}"#,
        code: .rateLimited, retryable: true, messageMentions: ["engine_overloaded_error"]
    ),
    .init(
        status: 400,
        body: #"{"error":{"message":"Invalid request: Your request exceeded model token limit: 262144","type":"invalid_request_error"}}"#,
        code: .contextTooLong, retryable: false, messageMentions: ["context window", "less context"]
    ),
    .init(
        status: 400,
        body: #"{"error":{"message":"The request was rejected because it was considered high risk","type":"content_filter"}}"#,
        code: .contentFiltered, retryable: false, messageMentions: ["content filter", "Rephrase"]
    ),
    .init(
        status: 400,
        body: #"{"error":{"message":"thinking is enabled but reasoning_content is missing in assistant tool call message at index 2","type":"invalid_request_error"}}"#,
        code: .badRequest, retryable: false, messageMentions: ["reasoning_content is missing", "k2lsp bug"]
    ),
    .init(status: 403, body: #"{"error":{"message":"permission denied","type":"permission_denied_error"}}"#, code: .forbidden, retryable: false, messageMentions: ["kimi-k2-0905-preview"]),
    .init(status: 500, body: "", code: .serverError, retryable: true, messageMentions: ["HTTP 500", "Try again later"]),
    .init(status: 502, body: "Bad Gateway", code: .serverError, retryable: true, messageMentions: ["Bad Gateway"]),
    .init(status: 503, body: "{}", code: .serverError, retryable: true, messageMentions: ["HTTP 503"]),
    .init(status: 504, body: "", code: .serverError, retryable: true, messageMentions: ["HTTP 504"]),
    .init(status: 408, body: "", code: .serverError, retryable: true, messageMentions: ["HTTP 408"]),
    .init(status: 409, body: "", code: .serverError, retryable: true, messageMentions: ["HTTP 409"]),
    .init(
        status: 404,
        body: #"{"object":"error","message":"The model `kimi` does not exist.","type":"NotFoundError","param":null,"code":404}"#,
        code: .modelNotFound, retryable: false, messageMentions: ["does not exist"]
    ),
    .init(
        status: 301, body: "", code: .unexpectedResponse, retryable: false,
        messageMentions: ["redirect to https://api.moonshot.ai/v1/chat/completions"],
        headers: ["Location": "https://api.moonshot.ai/v1/chat/completions"]
    ),
]

@Test(arguments: mappingCases)
func statusAndBodyMapToCodeAndActionableMessage(_ testCase: MappingCase) {
    let error = ProviderErrorMapper.error(
        status: testCase.status,
        headers: testCase.headers.map { ($0.key, $0.value) },
        body: Data(testCase.body.utf8),
        endpoint: mapperEndpoint
    )
    #expect(error.code == testCase.code)
    #expect(error.isRetryable == testCase.retryable)
    for fragment in testCase.messageMentions {
        #expect(error.userMessage.contains(fragment), "\(error.userMessage)")
    }
    #expect(!error.userMessage.contains(mapperEndpoint.apiKey ?? "-"))
    #expect(!"\(error)".contains(mapperEndpoint.apiKey ?? "-"))
}

@Test func missingKeyGets401AdviceToSetTheVariable() {
    var endpoint = mapperEndpoint
    endpoint.apiKey = nil
    let error = ProviderErrorMapper.error(status: 401, headers: [], body: Data(), endpoint: endpoint)
    #expect(error.userMessage.contains("requires an API key"))
    #expect(error.userMessage.contains("Set K2_API_KEY"))
}

@Test(arguments: [
    ("Retry-After", "3", 3000), ("retry-after", "0.5", 500),
    ("Retry-After", "Wed, 21 Oct 2015 07:28:10 GMT", 10_000),
] as [(String, String, Int)])
func retryAfterHeaderIsRead(_ name: String, _ value: String, _ milliseconds: Int) {
    let now = Date(timeIntervalSince1970: 1_445_412_480)  // 2015-10-21 07:28:00 GMT
    let error = ProviderErrorMapper.error(status: 429, headers: [(name, value)], body: Data(), endpoint: mapperEndpoint, now: now)
    #expect(error.retryAfter == .milliseconds(milliseconds))
}

@Test(arguments: [
    ("please try again after 7 seconds", 7000), ("Please retry after 1.5s", 1500), ("try again in 20 seconds.", 20_000),
    ("retry after 250ms", 250), ("try again later", nil),
] as [(String, Int?)])
func retryWaitIsReadFromTheMessage(_ message: String, _ milliseconds: Int?) {
    #expect(RetryAfter.fromMessage(message) == milliseconds.map { .milliseconds($0) })
}

@Test func streamErrorEventsMapByEmbeddedCode() {
    let overloaded = ProviderErrorMapper.streamError(["error": ["code": 429, "message": "overloaded"]], endpoint: mapperEndpoint)
    #expect(overloaded.code == .streamError)
    #expect(overloaded.isRetryable)
    let quota = ProviderErrorMapper.streamError(
        ["error": ["code": 402, "message": "insufficient credits"]],
        endpoint: mapperEndpoint
    )
    #expect(quota.code == .quotaExhausted)
    #expect(!quota.isRetryable)
    let unknown = ProviderErrorMapper.streamError(["error": ["code": "server_error", "message": "x"]], endpoint: mapperEndpoint)
    #expect(unknown.isRetryable)
    #expect(unknown.userMessage.contains("in the middle of a reply"))
}

@Test func everyCodeHasAKindAndAMessage() {
    for code in ProviderError.Code.allCases {
        let error = ProviderError(code: code, origin: .init(mapperEndpoint), timeout: .seconds(3))
        #expect(!error.userMessage.isEmpty)
        #expect(ProviderError.Kind.allCases.contains(code.kind))
    }
}

struct RedactionCase: Sendable {
    var text: String
    var expected: String
}

@Test(arguments: [
    RedactionCase(text: "key sk-Zq8mUSERKEYabcdefghijklmnop rejected", expected: "key [redacted] rejected"),
    RedactionCase(text: "Authorization: Bearer abc.def-ghi_jkl012", expected: "Authorization: Bearer [redacted]"),
    RedactionCase(text: "other key sk-or-v1-0123456789abcdef", expected: "other key sk-[redacted]"),
    RedactionCase(text: "custom-secret-value-xyz here", expected: "[redacted] here"),
    RedactionCase(text: "nothing secret, sk-short", expected: "nothing secret, sk-short"),
])
func redactorRemovesKeys(_ redaction: RedactionCase) {
    let redactor = KeyRedactor(secrets: ["sk-Zq8mUSERKEYabcdefghijklmnop", "custom-secret-value-xyz", "ab"])
    #expect(redactor.redact(redaction.text) == redaction.expected)
}
