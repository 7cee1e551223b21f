// The few client capabilities k2lsp acts on, read by path from the `initialize` params.
import AnyJSON
import K2Workspace

/// Capabilities are read leniently: a missing or oddly shaped entry means "not supported", never an error.
struct ClientFeatures: Sendable, Hashable {
    var offeredPositionEncodings: [String] = []
    var retryOnContentModified: Set<String> = []
    var applyEdit = false
    var documentChanges = false
    var createFiles = false
    var workDoneProgress = false
    var codeActionLiterals = false
    var codeActionResolvesEdit = false
    var codeActionData = false
    var watchedFilesDynamicRegistration = false
    var inlineCompletion = false

    init() {}

    init(capabilities: JSONValue) {
        func path(_ keys: String...) -> JSONValue? {
            var current: JSONValue? = capabilities
            for key in keys { current = current?[key] }
            return current
        }
        func strings(_ value: JSONValue?) -> [String] {
            value?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        offeredPositionEncodings = strings(path("general", "positionEncodings"))
        retryOnContentModified = Set(strings(path("general", "staleRequestSupport", "retryOnContentModified")))
        applyEdit = path("workspace", "applyEdit")?.boolValue ?? false
        documentChanges = path("workspace", "workspaceEdit", "documentChanges")?.boolValue ?? false
        createFiles = strings(path("workspace", "workspaceEdit", "resourceOperations")).contains("create")
        workDoneProgress = path("window", "workDoneProgress")?.boolValue ?? false
        codeActionLiterals = path("textDocument", "codeAction", "codeActionLiteralSupport") != nil
        codeActionResolvesEdit = strings(path("textDocument", "codeAction", "resolveSupport", "properties")).contains("edit")
        codeActionData = path("textDocument", "codeAction", "dataSupport")?.boolValue ?? false
        watchedFilesDynamicRegistration =
            path("workspace", "didChangeWatchedFiles", "dynamicRegistration")?.boolValue ?? false
        inlineCompletion = path("textDocument", "inlineCompletion") != nil
    }

    /// The first encoding the client offers that k2lsp supports; UTF-16 when it offers none (the LSP default).
    var negotiatedPositionEncoding: PositionEncoding {
        for offered in offeredPositionEncodings {
            if let encoding = PositionEncoding(rawValue: offered.lowercased()) { return encoding }
        }
        return .utf16
    }
}
