// `k2lsp doctor`: one quick streamed request with a tool to each model the active profile uses, with fix-its.
import ArgumentParser
import Foundation
import K2Config
import K2Engine
import K2Provider

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the connection to K2: key, base URL, model, streaming and tool calling.",
        discussion: """
            Resolves the model of K2 Instruct, and of K2 Thinking when the active profile uses it (as \
            `k2lsp models` does), then sends each the quick test ("Hello K2!" with a `ping` tool) shaped as real \
            requests are. Exits 0 when every check passes, 2 when an API key is missing (nothing is sent), 3 \
            when a check fails; each problem says how to fix it. After a 401 from a Moonshot region it checks \
            whether the key belongs to the other region.
            """
    )

    @Flag(name: .long, help: "Print the reports as JSON.")
    var json = false

    @OptionGroup var options: SharedOptions

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
        var request: String?
        var adjustments: [String]
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
            request = report.requestSummary
            adjustments = report.adjustments
            problems = report.problems
        }

        private static func milliseconds(_ duration: Duration) -> Int {
            Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
    }

    private struct Output: Encodable {
        var ok: Bool
        var roles: [ResolvedRole]
        var checks: [Check]
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let context = try CLIContext.make(options)
            let configuration = context.loaded.configuration
            let roles = ModelResolutionText.rolesInUse(configuration)
            try context.requireAPIKeys(for: ModelResolutionText.rolesInUse(configuration))
            let catalog = configuration.modelCatalog
            let json = self.json
            let (resolved, reports) = try await context.withEngine(task: nil, indexing: false, workspaceIndex: false) {
                engine in
                var resolved: [ResolvedRole] = []
                var reports: [DoctorReport] = []
                for role in roles {
                    let choice = await engine.resolveModel(role: role)
                    resolved.append(ResolvedRole(choice, catalog: catalog, usedByProfile: true))
                    if !json {
                        StandardStreams.writeError("Checking \(role.displayName) (\(choice.modelSummary))…\n")
                    }
                    var report = try await engine.doctorCheck(choice)
                    if report.errorCode == .keyRejected {
                        report.problems += await Self.otherRegionAdvice(choice, engine: engine)
                    }
                    reports.append(report)
                }
                return (resolved, reports)
            }
            let failed = reports.filter { !$0.ok }
            if json {
                JSONOutput.print(Output(ok: failed.isEmpty, roles: resolved, checks: reports.map(Check.init)))
            } else {
                StandardStreams.writeOutput(
                    ModelResolutionText.rolesSection(resolved, profile: configuration.profile) + "\n\n"
                        + DoctorReport.renderedText(reports) + "\n")
            }
            if !failed.isEmpty {
                throw CLIFailure(
                    .provider,
                    "\(failed.map(\.label).joined(separator: " and ")) failed the check; fix the problems above and run `k2lsp doctor` again.")
            }
        }
    }

    /// After a 401 from one Moonshot region, whether the same key works in the other one, and which preset says so.
    /// Only `doctor` asks: serving never sends a key anywhere the configuration did not name.
    private static func otherRegionAdvice(_ choice: ModelChoice, engine: Engine) async -> [String] {
        guard let preset = Preset.named(byBaseURL: choice.provider.baseURL), let other = preset.otherRegion,
            let otherBaseURL = other.baseURL
        else { return [] }
        guard await engine.keyIsAccepted(for: choice, atBaseURL: otherBaseURL) else {
            return ["The key is not accepted at \(otherBaseURL) either: check it at your Moonshot console."]
        }
        return [
            "The same key works at \(otherBaseURL): it belongs to the other Moonshot region. Fix: export "
                + "K2_PRESET=\(other.rawValue) (or set 'preset: \(other.rawValue)' in your user file)."
        ]
    }
}
