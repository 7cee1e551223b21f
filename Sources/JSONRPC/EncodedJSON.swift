// JSON encoded once, and the envelopes of outgoing messages that splice it in as it is.
import AnyJSON
import Foundation

/// The JSON text of a result or of params, encoded exactly once: the envelope is written around these bytes.
public struct EncodedJSON: Sendable, Hashable, CustomStringConvertible {
    public let bytes: Data

    public static let null = EncodedJSON(trustedBytes: Data("null".utf8))

    /// Encodes a typed value (one `JSONEncoder` pass; a `JSONValue` is written directly).
    public init<T: Encodable>(encoding value: T) throws {
        if let value = value as? JSONValue {
            self.init(value)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        self.init(trustedBytes: try encoder.encode(value))
    }

    public init(_ value: JSONValue) {
        self.init(trustedBytes: Data(value.jsonBytes()))
    }

    private init(trustedBytes: Data) {
        bytes = trustedBytes
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes message bodies. Member order is fixed (`jsonrpc`, `id`, `method`, `params` / `result` / `error`), which
/// makes transcripts easy to read.
public enum MessageWriter {
    public static func request(id: RequestID, method: String, params: EncodedJSON?) -> Data {
        var body = Data(#"{"jsonrpc":"2.0","id":"#.utf8)
        body.append(EncodedJSON(id.jsonValue).bytes)
        appendMethod(method, params: params, to: &body)
        return body
    }

    public static func notification(method: String, params: EncodedJSON?) -> Data {
        var body = Data(#"{"jsonrpc":"2.0""#.utf8)
        appendMethod(method, params: params, to: &body)
        return body
    }

    public static func response(id: RequestID?, result: Result<EncodedJSON, ResponseError>) -> Data {
        var body = Data(#"{"jsonrpc":"2.0","id":"#.utf8)
        body.append(EncodedJSON(id?.jsonValue ?? .null).bytes)
        switch result {
        case .success(let value):
            body.append(contentsOf: #","result":"#.utf8)
            body.append(value.bytes)
        case .failure(let error):
            var errorObject: [String: JSONValue] = ["code": .int(error.code), "message": .string(error.message)]
            if let data = error.data { errorObject["data"] = data }
            body.append(contentsOf: #","error":"#.utf8)
            body.append(contentsOf: JSONValue.object(errorObject).jsonBytes())
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    private static func appendMethod(_ method: String, params: EncodedJSON?, to body: inout Data) {
        body.append(contentsOf: #","method":"#.utf8)
        body.append(contentsOf: JSONValue.string(method).jsonBytes())
        if let params {
            body.append(contentsOf: #","params":"#.utf8)
            body.append(params.bytes)
        }
        body.append(UInt8(ascii: "}"))
    }
}
