// The engine's model resolution against a real (scripted) listing: once per key, cached a day, re-read when stale.
import Foundation
import K2Config
import K2Models
import K2Provider
import K2TestSupport
import K2Workspace
import Logging
import Testing

@testable import K2Engine

@Suite struct ModelResolutionTests {
    static let key = "sk-test-resolution-0123456789"

    /// A scratch home with a cache folder, removed at the end.
    final class Scratch: Sendable {
        let path = FileManager.default.temporaryDirectory.path + "/k2lsp-resolution-\(UUID().uuidString)"
        var cache: String { path + "/cache" }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    private func engine(_ server: ScriptedK2Server, _ scratch: Scratch, _ extra: [String: String] = [:]) -> Engine {
        let environment = ["K2_API_BASE_URL": server.baseURL, "K2_API_KEY": Self.key, "XDG_CACHE_HOME": scratch.cache]
            .merging(extra) { $1 }
        let loaded = ConfigurationLoader(environment: environment, homeDirectory: scratch.path).load()
        return Engine(
            settings: EngineSettings(environment: environment, workspaceRoots: []), configuration: loaded,
            documents: DocumentStore(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private func listings(_ server: ScriptedK2Server) -> Int {
        server.recordedRequests.filter { $0.path.hasSuffix("/models") }.count
    }

    @Test func bothRolesResolveFromOneListing() async throws {
        let server = try await ScriptedK2Server.start()
        defer { Task { await server.shutdown() } }
        server.behaveLikeHostedAPI(HostedAPI(models: HostedAPI.liveMoonshotModels, acceptedKey: Self.key))
        let scratch = Scratch()
        let engine = engine(server, scratch)
        async let instruct = engine.resolveModel(role: .instruct)
        async let thinking = engine.resolveModel(role: .thinking)
        let (instructChoice, thinkingChoice) = await (instruct, thinking)
        #expect(instructChoice.provider.model == "kimi-k2.6")
        #expect(instructChoice.modelSummary == "kimi-k2.6 (thinking off)")
        #expect(thinkingChoice.provider.model == "kimi-k2.7-code")
        #expect(thinkingChoice.contextWindow == 262_144)
        #expect(listings(server) == 1)
        await engine.shutdown()
    }

    @Test func aListingIsCachedOnDiskForTheNextProcessButNeverHoldsTheKey() async throws {
        let server = try await ScriptedK2Server.start()
        defer { Task { await server.shutdown() } }
        server.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"], acceptedKey: Self.key))
        let scratch = Scratch()
        let first = engine(server, scratch)
        _ = await first.resolveModel(role: .instruct)
        await first.shutdown()
        let second = engine(server, scratch)
        #expect(await second.resolveModel(role: .instruct).provider.model == "kimi-k2.6")
        await second.shutdown()
        #expect(listings(server) == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.cache + "/k2lsp")
        #expect(files.count == 1)
        let text = try String(contentsOfFile: scratch.cache + "/k2lsp/" + files[0], encoding: .utf8)
        #expect(!text.contains(Self.key) && !files[0].contains(Self.key))
    }

    @Test func aKeylessLocalServerIsNotCachedOnDisk() async throws {
        let server = try await ScriptedK2Server.start()
        defer { Task { await server.shutdown() } }
        server.setModels(["gemma-3-270m-it"])
        let scratch = Scratch()
        let engine = engine(server, scratch, ["K2_LOCAL_BASE_URL": server.baseURL])
        let choice = await engine.resolveModel(role: .thinking)
        #expect(choice.provider.model == "gemma-3-270m-it")
        #expect(choice.modelReason == "the only model GET /models lists")
        #expect(choice.profile == .conservative)
        await engine.shutdown()
        #expect(!FileManager.default.fileExists(atPath: scratch.cache + "/k2lsp"))
    }

    /// The account lost its K2 models since the listing was cached: the 404 re-reads it once and the command works.
    @Test func aStaleCachedListingIsReadAgainAfterA404() async throws {
        let server = try await ScriptedK2Server.start()
        defer { Task { await server.shutdown() } }
        server.behaveLikeHostedAPI(HostedAPI(models: HostedAPI.liveMoonshotModels, acceptedKey: Self.key))
        let scratch = Scratch()
        let first = engine(server, scratch)
        _ = await first.resolveModel(role: .instruct)
        await first.shutdown()
        server.behaveLikeHostedAPI(HostedAPI(models: HostedAPI.k3OnlyModels, acceptedKey: Self.key))
        let second = engine(server, scratch)
        let choice = await second.resolveModel(for: .edit)
        #expect(choice.provider.model == "kimi-k2.6")
        let result = try await second.callModel(choice, task: .edit, events: { _ in }) { _ in
            ChatRequest(messages: [.user("hi")], maxTokens: 64)
        }
        #expect(result.choice.provider.model == "kimi-k3")
        #expect(server.chatRequests.map(\.model) == ["kimi-k2.6", "kimi-k3"])
        #expect(server.chatRequests.last?.json?["reasoning_effort"] == "low")
        await second.shutdown()
    }

    /// `doctor`'s region check: the same key, asked at another base URL.
    @Test func theKeyIsCheckedAtAnotherBaseURL() async throws {
        let home = try await ScriptedK2Server.start()
        let other = try await ScriptedK2Server.start()
        defer { Task { await home.shutdown(); await other.shutdown() } }
        home.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"], acceptedKey: "sk-another-key-000000"))
        other.behaveLikeHostedAPI(HostedAPI(models: ["kimi-k2.6"], acceptedKey: Self.key))
        let scratch = Scratch()
        let engine = engine(home, scratch)
        let choice = await engine.resolveModel(role: .instruct)
        #expect(await engine.keyIsAccepted(for: choice, atBaseURL: other.baseURL))
        #expect(await !engine.keyIsAccepted(for: choice, atBaseURL: home.baseURL))
        await engine.shutdown()
    }
}
