// The k2lsp version, reported by `--version` and in `serverInfo`.
public enum K2LSPVersion {
    public static let current = "0.1.0"
}
