// JSON-RPC 2.0 messages: requests, notifications and responses, with their ids and errors.
import AnyJSON
import Foundation

/// A request id: JSON-RPC allows numbers and strings.
public enum RequestID: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Int)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        }
    }

    public var description: String {
        switch self {
        case .number(let number): return String(number)
        case .string(let string): return string
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .number(let number): return .int(number)
        case .string(let string): return .string(string)
        }
    }

    /// The id a JSON value names, if it is one (an integer or a string).
    public init?(jsonValue: JSONValue?) {
        switch jsonValue {
        case .int(let number)?: self = .number(number)
        case .string(let string)?: self = .string(string)
        default: return nil
        }
    }
}

/// An error object of a response.
public struct ResponseError: Error, Sendable, Hashable, Codable {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }
}

extension ResponseError {
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let serverNotInitializedCode = -32002
    public static let unknownErrorCode = -32001
    public static let requestFailedCode = -32803
    public static let serverCancelledCode = -32802
    public static let contentModifiedCode = -32801
    public static let requestCancelledCode = -32800

    public static func parseError(_ message: String) -> ResponseError { .init(code: parseErrorCode, message: message) }
    public static func invalidRequest(_ message: String) -> ResponseError {
        .init(code: invalidRequestCode, message: message)
    }
    public static func methodNotFound(_ method: String) -> ResponseError {
        .init(code: methodNotFoundCode, message: "Unknown method '\(method)'.")
    }
    public static func invalidParams(_ message: String) -> ResponseError {
        .init(code: invalidParamsCode, message: message)
    }
    public static func internalError(_ message: String) -> ResponseError {
        .init(code: internalErrorCode, message: message)
    }
    public static let cancelled = ResponseError(code: requestCancelledCode, message: "Request cancelled.")
    public static func contentModified(_ message: String) -> ResponseError {
        .init(code: contentModifiedCode, message: message)
    }
}

/// One JSON-RPC message, in either direction.
public enum Message: Sendable, Hashable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: RequestID?, result: Result<JSONValue, ResponseError>)

    /// The JSON object this message is on the wire.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id.jsonValue
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .response(let id, let result):
            object["id"] = id?.jsonValue ?? .null
            switch result {
            case .success(let value): object["result"] = value
            case .failure(let error):
                var errorObject: [String: JSONValue] = [
                    "code": .int(error.code), "message": .string(error.message),
                ]
                if let data = error.data { errorObject["data"] = data }
                object["error"] = .object(errorObject)
            }
        }
        return .object(object)
    }

    /// Compact JSON bytes for the body of a frame.
    public func encoded() -> Data {
        switch self {
        case .request(let id, let method, let params):
            return MessageWriter.request(id: id, method: method, params: params.map(EncodedJSON.init))
        case .notification(let method, let params):
            return MessageWriter.notification(method: method, params: params.map(EncodedJSON.init))
        case .response(let id, let result):
            return MessageWriter.response(id: id, result: result.map(EncodedJSON.init))
        }
    }
}

/// Why a frame's body is not a message, with what is needed to answer it.
public struct MessageDecodingFailure: Error, Sendable, Hashable {
    /// The id when the body was a request whose other fields were wrong, so the error can be addressed to it.
    public var id: RequestID?
    public var error: ResponseError
}

extension Message {
    /// Decodes a frame body. The JSON is parsed once (by `JSONParser`), and the params stay the parsed value that
    /// handlers decode their typed params from. Invalid JSON is a parse error (-32700); valid JSON that is not a
    /// message, or that nests deeper than `JSONParser.defaultMaximumDepth`, is -32600 (addressed to the request's id
    /// when it can be read). Strings are repaired, not refused: see `JSONParser`.
    public static func decode(_ body: Data) -> Result<Message, MessageDecodingFailure> {
        switch JSONParser.parse(body) {
        case .success(let value):
            return decode(value)
        case .failure(let error) where error.kind == .tooDeep:
            let id = FrameParser.requestIDHint(in: Array(body.prefix(4096)))
            return .failure(.init(id: id, error: .invalidRequest("The message was refused: \(error.reason)")))
        case .failure(let error):
            return .failure(.init(id: nil, error: .parseError("The message is not valid JSON: \(error).")))
        }
    }

    public static func decode(_ value: JSONValue) -> Result<Message, MessageDecodingFailure> {
        guard case .object(let object) = value else {
            return .failure(.init(id: nil, error: .invalidRequest("A JSON-RPC message must be a JSON object.")))
        }
        var id: RequestID?
        switch object["id"] {
        case nil, .null?: id = nil
        case .int(let number)?: id = .number(number)
        case .string(let string)?: id = .string(string)
        default:
            return .failure(.init(id: nil, error: .invalidRequest("The 'id' must be a number or a string.")))
        }
        if let versionValue = object["jsonrpc"], versionValue != .string("2.0") {
            return .failure(.init(id: id, error: .invalidRequest("The 'jsonrpc' member must be \"2.0\".")))
        }
        let params = object["params"]
        if let params, params != .null, params.objectValue == nil, params.arrayValue == nil {
            return .failure(.init(id: id, error: .invalidRequest("The 'params' member must be an object or an array.")))
        }
        if let methodValue = object["method"] {
            guard case .string(let method) = methodValue else {
                return .failure(.init(id: id, error: .invalidRequest("The 'method' member must be a string.")))
            }
            if let id { return .success(.request(id: id, method: method, params: params == .null ? nil : params)) }
            if object["id"] != nil {
                return .failure(.init(id: nil, error: .invalidRequest("A request id must not be null.")))
            }
            return .success(.notification(method: method, params: params == .null ? nil : params))
        }
        if let errorValue = object["error"], errorValue != .null {
            guard let code = errorValue["code"]?.intValue, let message = errorValue["message"]?.stringValue else {
                return .failure(.init(id: id, error: .invalidRequest("The 'error' member needs a code and a message.")))
            }
            return .success(.response(id: id, result: .failure(.init(code: code, message: message, data: errorValue["data"]))))
        }
        if let result = object["result"] {
            return .success(.response(id: id, result: .success(result)))
        }
        return .failure(.init(id: id, error: .invalidRequest("The message has neither 'method' nor 'result' nor 'error'.")))
    }
}
