// The options every headless subcommand shares: profile and model overrides, workspace, configuration, logging.
import AnyJSON
import ArgumentParser
import K2Config

struct SharedOptions: ParsableArguments {
    @Option(name: .long, help: "Use this profile (user, pro or enterprise) instead of the configured one.")
    var profile: String?

    @Option(name: .long, help: "Use this model id for the command (sets both the Instruct and the Thinking model).")
    var model: String?

    @Option(
        name: .long,
        help: "The workspace folder. Default: the nearest folder above the current directory with a .git, else the current directory.")
    var workspace: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let profile, Profile(rawValue: profile.lowercased()) == nil {
            throw ValidationError(
                "Unknown profile '\(profile)'. Use one of: \(Profile.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let model, model.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--model needs a model id, e.g. --model kimi-k2.6.")
        }
    }

    /// `--profile` and `--model` as the top configuration layer (the one editors fill with their settings), so they
    /// override the environment and every file; nil when neither is given.
    var overrideSettingsJSON: String? {
        var settings: [String: JSONValue] = [:]
        if let profile { settings["profile"] = .string(profile.lowercased()) }
        if let model {
            let provider: JSONValue = ["model": .string(model)]
            settings["providers"] = .object(["instruct": provider, "thinking": provider])
        }
        return settings.isEmpty ? nil : JSONValue.object(settings).serialized()
    }
}
