// Shows a base URL without any password a user may have put in it.
public enum URLDisplay {
    /// `https://user:secret@host/v1` becomes `https://***@host/v1`; other URLs are returned unchanged.
    public static func redactingCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { "/?#".contains($0) }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***" + String(url[at...])
    }
}
