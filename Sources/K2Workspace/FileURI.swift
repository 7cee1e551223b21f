// Conversions between file:// URIs and paths, percent-encoding included.
import Foundation

public enum FileURI {
    /// The path of a `file://` URI (percent-decoded), or nil for another scheme.
    public static func path(fromURI uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        if let url = URL(string: uri), url.isFileURL {
            let path = url.path(percentEncoded: false)
            return path.isEmpty ? nil : path
        }
        // URL refuses some unescaped characters editors send; decode by hand.
        let rest = uri.dropFirst("file://".count)
        let path = rest.hasPrefix("/") ? String(rest) : "/" + rest.drop(while: { $0 != "/" })
        return path.removingPercentEncoding ?? path
    }

    /// The `file://` URI of an absolute path, percent-encoded as editors expect.
    public static func uri(fromPath path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }
}
