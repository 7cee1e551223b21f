// Session config options (the model and mode selectors) and session/set_config_option.
import AnyJSON
import JSONRPC

/// One selector of a session. k2lsp offers `select` options only (boolean ones need a client capability).
public struct SessionConfigOption: Codable, Sendable, Hashable {
    public struct Value: Codable, Sendable, Hashable {
        public var value: String
        public var name: String
        public var description: String?

        public init(value: String, name: String, description: String?) {
            self.value = value
            self.name = name
            self.description = description
        }
    }

    public var id: String
    public var name: String
    public var description: String?
    /// `mode`, `model`, `model_config`, `thought_level`, or `_custom`.
    public var category: String?
    /// Always `select`.
    public var type: String
    public var currentValue: String
    public var options: [Value]

    public init(id: String, name: String, description: String?, category: String?, currentValue: String, options: [Value]) {
        self.id = id
        self.name = name
        self.description = description
        self.category = category
        self.type = "select"
        self.currentValue = currentValue
        self.options = options
    }
}

public struct SetSessionConfigOptionRequest: RPCRequest {
    public static let method = "session/set_config_option"
    public typealias Response = SetSessionConfigOptionResponse

    public var sessionId: SessionID
    public var configId: String
    /// A value id for `select` options (a boolean for `boolean` ones, which k2lsp does not offer).
    public var value: JSONValue

    public init(sessionId: SessionID, configId: String, value: JSONValue) {
        self.sessionId = sessionId
        self.configId = configId
        self.value = value
    }
}

/// Always the complete list, so dependent changes show.
public struct SetSessionConfigOptionResponse: Codable, Sendable, Hashable {
    public var configOptions: [SessionConfigOption]

    public init(configOptions: [SessionConfigOption]) { self.configOptions = configOptions }
}
