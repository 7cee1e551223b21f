// The per-feature sections of the configuration: context, completion, agent, edit.

/// How the context builder gathers files.
public struct ContextSettings: Sendable, Hashable {
    /// Overrides every model's window for budgeting; nil uses the chosen provider's window.
    public var contextWindow: Int?
    public var maxFileBytes: Int
    /// Extra glob patterns for secret files. They only add to the built-in list in K2Workspace, and every layer
    /// adds to the layers below it: no file can remove a pattern.
    public var secretPatterns: [String]
    public var ignoreFiles: [String]

    public init(contextWindow: Int? = nil, maxFileBytes: Int, secretPatterns: [String], ignoreFiles: [String]) {
        self.contextWindow = contextWindow
        self.maxFileBytes = maxFileBytes
        self.secretPatterns = secretPatterns
        self.ignoreFiles = ignoreFiles
    }

    public static let defaults = ContextSettings(
        maxFileBytes: 1_048_576,
        secretPatterns: [],
        ignoreFiles: [".gitignore", ".k2ignore", ".aiderignore", ".cursorignore", ".continueignore"]
    )
}

/// Inline completion.
public struct CompletionSettings: Sendable, Hashable {
    public var enabled: Bool
    /// For automatic triggers (typing).
    public var maxTokens: Int
    /// For explicit invocation (the user asked for a completion).
    public var invokedMaxTokens: Int

    public init(enabled: Bool, maxTokens: Int, invokedMaxTokens: Int) {
        self.enabled = enabled
        self.maxTokens = maxTokens
        self.invokedMaxTokens = invokedMaxTokens
    }

    public static let defaults = CompletionSettings(enabled: true, maxTokens: 128, invokedMaxTokens: 256)
}

/// The agent loop's limits.
public struct AgentSettings: Sendable, Hashable {
    public var maxTurns: Int
    public var maxTokensPerRun: Int
    /// Characters of one tool result sent back to the model.
    public var toolOutputLimit: Int
    /// Whether tools may write `.git/`, `.k2lsp.yaml`, `.vscode/`, `.github/workflows/`. Only the user file, the
    /// environment and the editor may turn this on.
    public var allowProtectedWrites: Bool

    public init(maxTurns: Int, maxTokensPerRun: Int, toolOutputLimit: Int, allowProtectedWrites: Bool) {
        self.maxTurns = maxTurns
        self.maxTokensPerRun = maxTokensPerRun
        self.toolOutputLimit = toolOutputLimit
        self.allowProtectedWrites = allowProtectedWrites
    }

    public static let defaults = AgentSettings(
        maxTurns: 25, maxTokensPerRun: 400_000, toolOutputLimit: 100_000, allowProtectedWrites: false
    )
}

/// Edit commands (edit, fix, refactor, document, tests).
public struct EditSettings: Sendable, Hashable {
    public var maxTokens: Int
    /// How many times a reply that cannot be applied is sent back to the model with what was wrong (0: never).
    public var repairRounds: Int

    public init(maxTokens: Int, repairRounds: Int = 2) {
        self.maxTokens = maxTokens
        self.repairRounds = repairRounds
    }

    public static let defaults = EditSettings(maxTokens: 8192, repairRounds: 2)
}

/// How k2lsp talks to every provider: timeouts and how many requests may be in flight at once.
public struct ProviderNetworkSettings: Sendable, Hashable {
    /// `provider.timeouts.*`, in seconds; nil keeps the built-in value.
    public var timeouts: TimeoutSettings
    /// `provider.max_concurrent_requests`: requests in flight per endpoint (base URL and key); more wait their turn.
    /// nil: no limit until a 429 shows the provider's.
    public var maxConcurrentRequests: Int?

    public init(timeouts: TimeoutSettings = TimeoutSettings(), maxConcurrentRequests: Int? = nil) {
        self.timeouts = timeouts
        self.maxConcurrentRequests = maxConcurrentRequests
    }

    public static let defaults = ProviderNetworkSettings()
}

/// `provider.timeouts`: seconds per stage of a request; nil keeps the built-in value.
public struct TimeoutSettings: Sendable, Hashable {
    /// Establishing the TCP (and TLS) connection. Built in: 10.
    public var connect: Int?
    /// From sending the request to the first byte of the answer (a long local prefill can exceed two minutes).
    /// Built in: 120.
    public var firstByte: Int?
    /// The longest silence in the middle of a streamed reply. Built in: 60.
    public var idle: Int?
    /// One attempt from start to end. Built in: 600.
    public var total: Int?

    public init(connect: Int? = nil, firstByte: Int? = nil, idle: Int? = nil, total: Int? = nil) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }
}
