// The secret list (paths) and redaction (text): what is caught, and that ordinary code passes unchanged.
import Testing

@testable import K2Workspace

private let secretPathCases: [(path: String, isSecret: Bool)] = [
    (".env", true), ("config/.env.local", true), (".env.production", true), ("certs/server.pem", true),
    ("keys/prod.key", true), ("home/.ssh/id_rsa", true), ("id_rsa.pub", true), ("id_ed25519", true),
    ("store.p12", true), (".npmrc", true), ("tools/.pypirc", true), (".netrc", true), ("aws/credentials", true),
    ("credentials.json", true), ("client_SECRET.json", true), ("Secrets/app.json", true), ("my-secrets.yaml", true),
    ("src/main.swift", false), ("docs/env.md", false), ("environment.ts", false), (".envrc", false),
    ("keyboard.c", false), ("src/keys.py", false), ("README.md", false), ("pem.go", false),
]

@Test func builtInSecretPathsAreRecognised() {
    let filter = SecretFilter()
    for (path, isSecret) in secretPathCases {
        #expect(filter.isSecretFile(relativePath: path) == isSecret, "\(path)")
    }
}

@Test func theBuiltInListIsNamedAndComplete() {
    let required = [".env", ".env.*", "*.pem", "*.key", "id_rsa*", "*.p12", ".npmrc", ".pypirc", ".netrc", "credentials*", "*secret*"]
    for pattern in required { #expect(SecretPolicy.builtInSecretFilePatterns.contains(pattern), "\(pattern)") }
}

@Test func extraPatternsExtendButNeverShrink() {
    let filter = SecretFilter(extraPatterns: ["*.tfvars", "config/prod/", "!.env", "!*.pem", "# comment", ""])
    #expect(filter.isSecretFile(relativePath: "infra/main.tfvars"))
    #expect(filter.isSecretFile(relativePath: "config/prod/db.yaml"))
    #expect(!filter.isSecretFile(relativePath: "other/config/prod/db.yaml"))
    #expect(filter.isSecretFile(relativePath: ".env"))
    #expect(filter.isSecretFile(relativePath: "a.pem"))
    #expect(filter.patterns == SecretPolicy.builtInSecretFilePatterns + ["*.tfvars", "config/prod/"])
}

private let marker = SecretPolicy.redactionMarker

/// Lines with secrets and what must remain of them.
private let redactionCases: [(input: String, expected: String)] = [
    ("key = sk-abcdefghijklmnopqrstuvwx0123456789", "key = \(marker)"),
    ("Authorization: Bearer sk-proj-AbCdEf1234567890GhIjKl", "Authorization: Bearer \(marker)"),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = \(marker)"),
    ("\"AKIAIOSFODNN7EXAMPLE\"", "\"\(marker)\""),
    ("token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token: \(marker)"),
    ("SLACK=xoxb-1234567890-abcdefghij", "SLACK=\(marker)"),
    ("api_key = \"3f9a8b7c6d5e4f3a2b1c\"", "api_key = \"\(marker)\""),
    ("OPENAI_API_KEY=abc123def456ghi789", "OPENAI_API_KEY=\(marker)"),
    ("password: hunter2hunter2", "password: \(marker)"),
    ("  \"client_secret\": \"s3cr3t-value-here\",", "  \"client_secret\": \"\(marker)\","),
    ("let apiKey: String = \"0123456789abcdef\"", "let apiKey: String = \"\(marker)\""),
    ("db_password := \"correct-horse-battery\"", "db_password := \"\(marker)\""),
    ("'password' => 'Tr0ub4dor&3x'", "'password' => '\(marker)'"),
    ("url = \"postgres://admin:pa55word@db.example.com/app\"", "url = \"postgres://admin:\(marker)@db.example.com/app\""),
    ("connect(password=\"Sup3rS3cret!\")", "connect(password=\"\(marker)\")"),
]

@Test func keyLikeTextIsRedacted() {
    let filter = SecretFilter()
    for (input, expected) in redactionCases {
        let result = filter.redact(input)
        #expect(result.text == expected, "\(input)")
        #expect(result.redactedLineCount == 1, "\(input)")
    }
}

@Test func privateKeyBlocksAreRedactedLineByLine() {
    let text = """
        before
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEA1234567890
        abcdefghijklmnop
        -----END RSA PRIVATE KEY-----
        after
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAA
        """
    let result = SecretFilter().redactLines(text)
    let expected = ["before", marker, marker, marker, marker, "after", marker, marker].joined(separator: "\n")
    #expect(result.text == expected)
    #expect(result.redactedLines == [1, 2, 3, 4, 6, 7])
    #expect(result.lineCount == 8)
}

@Test func aPublicCertificateIsNotAPrivateKey() {
    let text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    #expect(SecretFilter().redact(text).text == text)
}

@Test func redactionKeepsLineStructureWithCRLF() {
    let text = "a = 1\r\n-----BEGIN PRIVATE KEY-----\r\nxyz\r\n-----END PRIVATE KEY-----\r\nb = 2\r\n"
    let result = SecretFilter().redactLines(text)
    #expect(result.text == "a = 1\r\n\(marker)\r\n\(marker)\r\n\(marker)\r\nb = 2\r\n")
    #expect(result.lineCount == 6)
}

/// Ordinary code in several languages: none of it may change.
private let ordinaryCode = #"""
    let tokenCount = tokens.count
    password = input("Password: ")
    if token == "EOF" { return }
    self.secret = secret
    const TOKEN_RE = /sk-[a-z]+/;
    DEFAULT_PASSWORD_LENGTH = 16
    password_hash = bcrypt.hash(pw)
    api_key = None
    api_key = os.environ["OPENAI_API_KEY"]
    token = "<your token here>"
    let apiKey = ProcessInfo.processInfo.environment["MOONSHOT_API_KEY"]
    max_tokens: Int = 8192
    tokenizer_name = "cl100k_base"
    func tokenize(_ text: String) -> [Token] { [] }
    password: String
    var secretKey: Data?
    export const apiKey = config.moonshot.apiKey;
    url = "https://example.com:8080/path?q=1"
    repo = "git@github.com:owner/repo.git"
    task-runner-for-the-nightly-builds-2024 --verbose
    disk-usage-monitor-service-version-20240101
    if (a <= b && c != d) { x = y; }
    std::string name = ns::value;
    let key = "some-long-cache-key-name"
    map[key] = value
    AUTH_HEADER = "Authorization"
    token: ${{ secrets.GITHUB_TOKEN }}
    password: "${DB_PASSWORD}"
    secret_name = "MY_SECRET_NAME"
    """#

@Test func ordinaryCodePassesUnchanged() {
    let result = SecretFilter().redactLines(ordinaryCode)
    #expect(result.text == ordinaryCode)
    #expect(result.redactedLines.isEmpty)
}

@Test func untouchedTextIsReturnedAsIs() {
    let text = "no secrets here\nnone at all\n"
    let result = SecretFilter().redactLines(text)
    #expect(result.text == text)
    #expect(result.lineCount == 3)
}

/// The scanner reads sixteen bytes at a time: the same secret must be found at every offset, and in a tail.
@Test func redactionDoesNotDependOnPosition() {
    let filter = SecretFilter()
    for padding in 0..<34 {
        let prefix = String(repeating: "#", count: padding) + "\n"
        for (input, expected) in redactionCases {
            #expect(filter.redact(prefix + input).text == prefix + expected, "padding \(padding): \(input)")
            #expect(filter.redact(prefix + input + "\n" + prefix).text == prefix + expected + "\n" + prefix)
        }
    }
}
