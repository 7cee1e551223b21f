// `k2lsp models`: the ids the key can use, how each is asked, and which one each role resolved to and why.
import ArgumentParser
import Foundation
import K2Config
import K2Engine
import K2Models

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models the key can use (GET /models), their profiles, and the model each role uses.",
        discussion: """
            Without a configured model id, each role takes the first id of its preference list that the key's \
            listing offers (kimi-k2.6 with thinking off for K2 Instruct, kimi-k2.7-code for K2 Thinking on \
            Moonshot; the K3 family on an account without K2). Exits 0 when the listing was read, 2 when an \
            API key is missing (nothing is sent), 3 when the listing failed.
            """
    )

    @Flag(name: .long, help: "Print {endpoints: [{baseURL, models: [{id, family, series, profile}], error}], roles} as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    private struct Output: Encodable {
        var endpoints: [Endpoint]
        var roles: [ResolvedRole]
    }

    private struct Endpoint: Encodable {
        var baseURL: String
        var models: [Model]
        var error: String?
    }

    private struct Model: Encodable {
        var id: String
        var family: String?
        var series: String?
        var profile: String
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            let configuration = context.loaded.configuration
            let catalog = configuration.modelCatalog
            try context.requireAPIKeys(for: ModelResolutionText.rolesInUse(configuration))
            let used = ModelResolutionText.rolesInUse(configuration)
            let (endpoints, roles) = try await context.withEngine(task: nil, indexing: false, workspaceIndex: false) {
                engine in
                var endpoints: [Endpoint] = []
                var seen: Set<String> = []
                for role in ModelRole.allCases where seen.insert(configuration.providers[role].baseURL).inserted {
                    switch await engine.modelListing(role: role) {
                    case .success(let ids):
                        endpoints.append(
                            Endpoint(
                                baseURL: configuration.providers[role].baseURL,
                                models: ids.map { id in
                                    let family = catalog.family(for: id)
                                    return Model(
                                        id: id, family: family?.name, series: family?.series.rawValue,
                                        profile: catalog.profile(for: id).description)
                                }, error: nil))
                    case .failure(let unavailable):
                        endpoints.append(
                            Endpoint(baseURL: configuration.providers[role].baseURL, models: [], error: unavailable.reason))
                    }
                }
                var roles: [ResolvedRole] = []
                for role in ModelRole.allCases {
                    let choice = await engine.resolveModel(role: role)
                    roles.append(ResolvedRole(choice, catalog: catalog, usedByProfile: used.contains(role)))
                }
                return (endpoints, roles)
            }
            if json {
                JSONOutput.print(Output(endpoints: endpoints, roles: roles))
            } else {
                var sections: [String] = []
                for endpoint in endpoints {
                    var lines = ["Models at \(endpoint.baseURL) (GET /models):"]
                    if let error = endpoint.error { lines.append("  could not be listed: \(error)") }
                    let width = min(endpoint.models.map(\.id.count).max() ?? 0, 40)
                    for model in endpoint.models {
                        let family = model.family.map { "[\($0)] " } ?? "[unknown: conservative profile] "
                        lines.append("  " + model.id.padding(toLength: max(width, model.id.count), withPad: " ", startingAt: 0)
                            + "  " + family + model.profile)
                    }
                    sections.append(lines.joined(separator: "\n"))
                }
                sections.append(ModelResolutionText.rolesSection(roles, profile: configuration.profile))
                StandardStreams.writeOutput(sections.joined(separator: "\n\n") + "\n")
            }
            if let failed = endpoints.first(where: { $0.error != nil }) {
                throw CLIFailure(
                    .provider,
                    "GET \(failed.baseURL)/models could not be read (\(failed.error ?? "")); the roles above use the "
                        + "preset's defaults. Run `k2lsp doctor` for details.")
            }
        }
    }
}
