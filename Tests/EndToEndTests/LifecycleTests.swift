// The LSP lifecycle through the real binary: initialize, shutdown, exit codes, EOF, parent death.
import AnyJSON
import Foundation
import JSONRPC
import K2TestSupport
import Testing

@Suite(.serialized) struct LifecycleTests {
    @Test func initializeAdvertisesCapabilities() async throws {
        let client = try LSPTestClient()
        let result = try await client.initialize()
        #expect(result["serverInfo"]?["name"] == "k2lsp")
        #expect(result["serverInfo"]?["version"]?.stringValue?.isEmpty == false)
        let capabilities = try #require(result["capabilities"])
        #expect(capabilities["positionEncoding"] == "utf-16")
        #expect(capabilities["textDocumentSync"]?["change"] == 2)
        #expect(capabilities["textDocumentSync"]?["openClose"] == true)
        #expect(capabilities["textDocumentSync"]?["save"] != nil)
        #expect(capabilities["inlineCompletionProvider"] == true)
        #expect(capabilities["completionProvider"] != nil)
        #expect(capabilities["codeActionProvider"]?["resolveProvider"] == true)
        #expect(capabilities["workspace"]?["workspaceFolders"]?["supported"] == true)
        let commands = capabilities["executeCommandProvider"]?["commands"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for command in ["k2.edit", "k2.fix", "k2.document", "k2.tests", "k2.explain", "k2.agent"] {
            #expect(commands.contains(command))
        }
        #expect(try await client.shutdownAndExit() == 0)
        #expect(client.framingProblems.isEmpty)
    }

    @Test(arguments: [
        (["utf-8", "utf-16"], "utf-8"),
        (["utf-16", "utf-8"], "utf-16"),
        (["utf-32"], "utf-32"),
        (["latin-1", "utf-8"], "utf-8"),
        ([], "utf-16"),
    ])
    func positionEncodingIsNegotiated(offered: [String], expected: String) async throws {
        let client = try LSPTestClient()
        let capabilities: JSONValue = ["general": ["positionEncodings": .array(offered.map(JSONValue.string))]]
        let result = try await client.initialize(capabilities: capabilities)
        #expect(result["capabilities"]?["positionEncoding"] == .string(expected))
        client.terminate()
    }

    @Test func requestsBeforeInitializeAreRefused() async throws {
        let client = try LSPTestClient()
        let early = try await client.request("k2/viewDocument", ["textDocument": ["uri": "file:///x"]])
        #expect(early.errorCode == -32002)
        // A notification before initialize is dropped: the document is not open afterwards.
        client.openDocument(uri: "file:///early.swift", text: "early")
        try await client.initialize()
        let view = try await client.request("k2/viewDocument", ["textDocument": ["uri": "file:///early.swift"]])
        #expect(view.errorCode == -32602)
        #expect(try await client.shutdownAndExit() == 0)
    }

    @Test func secondInitializeIsInvalid() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        let again = try await client.request("initialize", ["capabilities": [:]])
        #expect(again.errorCode == -32600)
        #expect(try await client.shutdownAndExit() == 0)
    }

    @Test func requestsAfterShutdownAreInvalid() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        _ = try await client.call("shutdown")
        let after = try await client.request("k2/viewDocument", ["textDocument": ["uri": "file:///x"]])
        #expect(after.errorCode == -32600)
        client.notify("exit")
        #expect(try await client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownExitsWithOne() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.notify("exit")
        #expect(try await client.waitForExit() == 1)
    }

    @Test func exitBeforeInitializeIsHonoured() async throws {
        let client = try LSPTestClient()
        client.notify("exit")
        #expect(try await client.waitForExit() == 1)
    }

    @Test func endOfInputEndsTheServer() async throws {
        let client = try LSPTestClient()
        try await client.initialize()
        client.closeInput()
        #expect(try await client.waitForExit() == 1)
    }

    @Test func deathOfTheParentProcessEndsTheServer() async throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        parent.arguments = ["60"]
        try parent.run()
        let client = try LSPTestClient()
        try await client.initialize(processID: Int(parent.processIdentifier))
        // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        #expect(try await client.waitForExit(timeout: .seconds(10)) == 1)
    }

    @Test func stdioFlagAndServeAreTheSame() async throws {
        for arguments in [["--stdio"], ["serve", "--stdio"], []] {
            let client = try LSPTestClient(arguments: arguments)
            let result = try await client.initialize()
            #expect(result["serverInfo"]?["name"] == "k2lsp")
            #expect(try await client.shutdownAndExit() == 0)
        }
    }
}
