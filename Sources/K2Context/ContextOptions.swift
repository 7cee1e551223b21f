// The knobs of context gathering: the token budget, limits per source, and what the index skips.
import K2Workspace

/// Settings for the index and the builder. The lead maps configuration (`context_window`, `max_tokens`, ignore and
/// secret settings) onto this; defaults suit K2 0905 / Thinking.
public struct ContextOptions: Sendable, Hashable {
    /// The model's context window in tokens (262,144 for K2 0905, turbo and Thinking; 131,072 for 0711).
    public var contextWindow: Int
    /// The `max_tokens` the request will send: reserved for the reply.
    public var replyMaxTokens: Int
    /// Tokens of the prompt that is not context: system prompt, tool list, instruction.
    public var fixedPromptTokens: Int
    /// A cap below the window for tasks that need little (completion); nil spends the whole window.
    public var maxContextTokens: Int?
    /// Files larger than this are neither indexed nor read (default 1 MiB).
    public var maxFileBytes: Int
    /// Secret file patterns added to `SecretPolicy.builtInSecretFilePatterns`.
    public var extraSecretPatterns: [String]
    /// Ignore files read besides `.gitignore` (same syntax).
    public var ignoreFileNames: [String]
    /// Directory names skipped at any depth even without an ignore file.
    public var skippedDirectoryNames: [String]
    /// Lines of context on each side of the cursor or selection in the cursor region.
    public var cursorRegionLines: Int
    /// No single file other than the current one takes more than this many tokens.
    public var maxTokensPerFile: Int
    public var maxImportedFiles: Int
    /// Files taken from one directory-like import (a Swift module, a Go package, a Java wildcard).
    public var maxFilesPerImport: Int
    public var maxOpenDocuments: Int
    public var maxRecentlyEdited: Int
    public var maxSymbolDefinitions: Int
    /// A name with more definitions than this is too common to be worth any of them.
    public var maxDefinitionsPerName: Int
    /// Lines of one definition, from its declaration line.
    public var maxDefinitionLines: Int
    public var repoMapMaxTokens: Int
    /// AGENTS.md / README are included only when at most this long.
    public var projectNotesMaxTokens: Int
    /// Build the symbol index after the file listing (reads every indexed file once, in the background).
    public var indexSymbols: Bool

    public init(
        contextWindow: Int = 262_144,
        replyMaxTokens: Int = 8_192,
        fixedPromptTokens: Int = 2_048,
        maxContextTokens: Int? = nil,
        maxFileBytes: Int = 1 << 20,
        extraSecretPatterns: [String] = [],
        ignoreFileNames: [String] = IgnoreMatcher.defaultAssistantIgnoreFileNames,
        skippedDirectoryNames: [String] = IgnoreMatcher.defaultSkippedDirectoryNames.sorted(),
        cursorRegionLines: Int = 40,
        maxTokensPerFile: Int = 16_384,
        maxImportedFiles: Int = 24,
        maxFilesPerImport: Int = 8,
        maxOpenDocuments: Int = 12,
        maxRecentlyEdited: Int = 8,
        maxSymbolDefinitions: Int = 24,
        maxDefinitionsPerName: Int = 3,
        maxDefinitionLines: Int = 60,
        repoMapMaxTokens: Int = 4_096,
        projectNotesMaxTokens: Int = 2_048,
        indexSymbols: Bool = true
    ) {
        self.contextWindow = contextWindow
        self.replyMaxTokens = replyMaxTokens
        self.fixedPromptTokens = fixedPromptTokens
        self.maxContextTokens = maxContextTokens
        self.maxFileBytes = maxFileBytes
        self.extraSecretPatterns = extraSecretPatterns
        self.ignoreFileNames = ignoreFileNames
        self.skippedDirectoryNames = skippedDirectoryNames
        self.cursorRegionLines = cursorRegionLines
        self.maxTokensPerFile = maxTokensPerFile
        self.maxImportedFiles = maxImportedFiles
        self.maxFilesPerImport = maxFilesPerImport
        self.maxOpenDocuments = maxOpenDocuments
        self.maxRecentlyEdited = maxRecentlyEdited
        self.maxSymbolDefinitions = maxSymbolDefinitions
        self.maxDefinitionsPerName = maxDefinitionsPerName
        self.maxDefinitionLines = maxDefinitionLines
        self.repoMapMaxTokens = repoMapMaxTokens
        self.projectNotesMaxTokens = projectNotesMaxTokens
        self.indexSymbols = indexSymbols
    }

    /// Tokens the context may take: the window minus the reply and the fixed prompt, capped by `maxContextTokens`.
    public var budgetTokens: Int {
        let fromWindow = max(0, contextWindow - replyMaxTokens - fixedPromptTokens)
        guard let maxContextTokens else { return fromWindow }
        return max(0, min(fromWindow, maxContextTokens))
    }

    /// The secret filter these options describe.
    public var secretFilter: SecretFilter { SecretFilter(extraPatterns: extraSecretPatterns) }

    /// The reader these options describe: the one way file text reaches a prompt.
    public var fileReader: WorkspaceFileReader { WorkspaceFileReader(maxFileBytes: maxFileBytes, secretFilter: secretFilter) }
}
