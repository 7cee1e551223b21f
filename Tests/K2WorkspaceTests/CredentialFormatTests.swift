// Credential formats found by the red-team pass (issue 12, items 7 and 8): redacted in text, and their files secret.
import K2TestSupport
import Testing

@testable import K2Workspace

private let marker = SecretPolicy.redactionMarker

private let credentialCases: [(input: String, expected: String)] = [
    // What a CI checkout persists in .git/config.
    ("\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzXzEyMzQ1Njc4OTBhYmNkZWY=",
     "\textraheader = AUTHORIZATION: basic \(marker)"),
    ("curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\" https://api.example.com",
     "curl -H \"Authorization: Bearer \(marker)\" https://api.example.com"),
    ("authorization: token 0123456789abcdef0123", "authorization: token \(marker)"),
    ("Authorization = \"Basic dXNlcjpwYXNzd29yZA==\"", "Authorization = \"Basic \(marker)\""),
    ("stripe.api_key = sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe.api_key = \(marker)"),
    ("const stripe = Stripe('sk_live_51H8pQ2eZvKYlo2C0aBcDeFgHiJ')", "const stripe = Stripe('\(marker)')"),
    ("STRIPE=rk_test_26PHem9AhJZvU623DfE1x4sd", "STRIPE=\(marker)"),
    ("        \"auth\": \"dXNlcm5hbWU6cGFzc3dvcmQxMjM=\"", "        \"auth\": \"\(marker)\""),
    ("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB",
     "    client-key-data: \(marker)"),
    ("db.example.com:5432:shop:admin:Tr0ub4dor&3", "db.example.com:5432:shop:admin:\(marker)"),
    ("echo \"localhost:*:*:postgres:s3cr3t-pw\" > ~/.pgpass", "echo \"localhost:*:*:postgres:\(marker)\" > ~/.pgpass"),
]

@Test func credentialFormatsAreRedacted() {
    let filter = SecretFilter()
    for padding in [0, 1, 7, 15, 16, 17] {
        let prefix = String(repeating: "#", count: padding) + "\n"
        for (input, expected) in credentialCases {
            let result = filter.redact(prefix + input + "\n")
            #expect(result.text == prefix + expected + "\n", "padding \(padding): \(input)")
            #expect(result.redactedLineCount == 1, "\(input)")
        }
    }
}

@Test func placeholdersAndOrdinaryCodeAroundThemPassUnchanged() {
    let text = """
        curl -H "Authorization: Bearer $TOKEN" https://api.example.com
        headers = {"Authorization": "Bearer " + token}
        fetch(url, { headers: { Authorization: `Bearer ${token}` } })
        AUTH_HEADER = "Authorization"
        let auth = Auth()
        stripe_key = os.environ["STRIPE_KEY"]
        task_list = []
        deadline = "12:30:45"
        url = "http://localhost:8080/api"
        ratio = 16:9:4:3

        """
    #expect(SecretFilter().redact(text).text == text)
}

@Test func aPuTTYKeyIsRedactedWholeThroughItsMAC() {
    let text = """
        notes
        PuTTY-User-Key-File-3: ssh-ed25519
        Encryption: none
        Comment: deploy
        Public-Lines: 2
        AAAAC3NzaC1lZDI1NTE5AAAAIGJm
        Private-Lines: 1
        AAAAIFbrvP5nG2Vj3mW8aQh9e2s0
        Private-MAC: 5f2a9b7c1d3e4f5a6b7c8d9e0f1a2b3c
        after
        """
    let result = SecretFilter().redactLines(text)
    #expect(result.redactedLines == Array(1...8))
    #expect(result.text.hasPrefix("notes\n\(marker)\n"))
    #expect(result.text.hasSuffix("\(marker)\nafter"))
    #expect(!result.text.contains("AAAAIFbr"))
}

@Test func aPuTTYKeyInASliceOfAFileIsStillHidden() throws {
    // Only the key's inner lines are in the slice; the whole file is redacted when read.
    let text = "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\nAAAAgQC9secretline\nPrivate-MAC: 00ff\n"
    let file = try WorkspaceFileReader().prepare(text: text, relativePath: "notes.txt").get()
    let line = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let start = line[0].count + line[1].count + 2
    #expect(!file.redacted(start..<(start + line[2].count + 1)).text.contains("secretline"))
}

@Test func credentialFilesAreSecret() {
    let filter = SecretFilter()
    for path in [".pgpass", "home/.pgpass", "keys/deploy.ppk", ".docker/config.json", "home/ann/.docker/config.json",
                 ".kube/config", "ops/.kube/config"] {
        #expect(filter.isSecretFile(relativePath: path), "\(path)")
    }
    for path in ["docker/config.json", "kube/config", "src/config.json", "pgpass.md"] {
        #expect(!filter.isSecretFile(relativePath: path), "\(path)")
    }
}

@Test func gitMetadataIsNeverReadForAPrompt() throws {
    let scratch = try TemporaryDirectory()
    try scratch.write(".git/config", "[http]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW4=\n")
    let reader = WorkspaceFileReader()
    for path in [".git/config", ".GIT/config", "sub/.git/config"] {
        guard case .failure(.secretFile(_, let pattern)) = reader.prepare(text: "x", relativePath: path) else {
            Issue.record("\(path) was accepted")
            continue
        }
        #expect(pattern == ".git/")
    }
    guard case .failure(.secretFile) = reader.read(absolutePath: scratch.file(".git/config"), relativePath: ".git/config")
    else {
        Issue.record(".git/config was read")
        return
    }
    #expect(SecretPolicy.neverSentFolder(in: ".gitignore") == nil)
    #expect(SecretPolicy.neverSentFolder(in: "docs/.github/x.md") == nil)
}
