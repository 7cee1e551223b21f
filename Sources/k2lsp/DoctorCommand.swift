// `k2lsp doctor`: one quick streamed request with a tool to each model the active profile uses, with fix-its.
import ArgumentParser
import Foundation
import K2Config
import K2Provider

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the connection to K2: key, base URL, model, streaming and tool calling.",
        discussion: """
            Checks K2 Instruct, and K2 Thinking when the active profile uses it. Exits 0 when every check \
            passes, 2 when an API key is missing (nothing is sent), 3 when a check fails; each problem says how \
            to fix it.
            """
    )

    @Flag(name: .long, help: "Print the reports as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

    private struct Output: Encodable {
        var ok: Bool
        var checks: [Check]
    }

    private struct Check: Encodable {
        var label: String
        var baseURL: String
        var model: String
        var ok: Bool
        var firstByteMilliseconds: Int?
        var totalMilliseconds: Int?
        var streaming: Bool
        var toolCalling: String
        var modelListed: Bool?
        var errorKind: String?
        var problems: [String]

        init(_ report: DoctorReport) {
            label = report.label
            baseURL = report.baseURL
            model = report.model
            ok = report.ok
            firstByteMilliseconds = report.firstByteLatency.map(Self.milliseconds)
            totalMilliseconds = report.totalLatency.map(Self.milliseconds)
            streaming = report.streamingWorks
            toolCalling = report.toolCallOutcome.rawValue
            modelListed = report.modelListed
            errorKind = report.errorKind?.rawValue
            problems = report.problems
        }

        private static func milliseconds(_ duration: Duration) -> Int {
            Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            let configuration = context.loaded.configuration
            var roles: [ModelRole] = [.instruct]
            if configuration.activeProfile.thinkingEnabled && configuration.providers.thinking.enabled {
                roles.append(.thinking)
            }
            // A missing key is found without sending anything.
            for role in roles {
                try context.requireAPIKey(
                    ModelChoice(
                        role: role, provider: configuration.providers[role], reason: "doctor", notice: nil,
                        contextWindow: configuration.providers[role].effectiveContextWindow))
            }
            let httpClients = HTTPClientBox(environment: context.environment)
            var reports: [DoctorReport] = []
            for role in roles {
                let provider = configuration.providers[role]
                if !json { StandardStreams.writeError("Checking \(role.displayName) (\(provider.model))…\n") }
                let endpoint = ProviderEndpoint(
                    baseURL: provider.baseURL, model: provider.model, apiKey: provider.apiKey(in: context.environment),
                    apiKeyEnvName: provider.apiKeyEnv, label: role.displayName,
                    contextWindow: provider.effectiveContextWindow)
                reports.append(
                    await ProviderDoctor.check(
                        endpoint: endpoint, httpClients: httpClients, temperature: role.defaultTemperature))
            }
            try? await httpClients.shutdown()
            let failed = reports.filter { !$0.ok }
            if json {
                JSONOutput.print(Output(ok: failed.isEmpty, checks: reports.map(Check.init)))
            } else {
                StandardStreams.writeOutput(DoctorReport.renderedText(reports) + "\n")
            }
            if !failed.isEmpty {
                throw CLIFailure(
                    .provider,
                    "\(failed.map(\.label).joined(separator: " and ")) failed the check; fix the problems above and run `k2lsp doctor` again.")
            }
        }
    }
}
