// window/* messages and $/progress.
import AnyJSON

public struct ShowMessageNotification: LSPNotification {
    public static let method = "window/showMessage"
    public var type: MessageType
    public var message: String
    public init(type: MessageType, message: String) {
        self.type = type
        self.message = message
    }
}

public struct MessageActionItem: Codable, Sendable, Hashable {
    public var title: String
}

public struct ShowMessageRequest: LSPRequest {
    public static let method = "window/showMessageRequest"
    public typealias Response = JSONValue
    public var type: MessageType
    public var message: String
    public var actions: [MessageActionItem]?
}

public struct LogMessageNotification: LSPNotification {
    public static let method = "window/logMessage"
    public var type: MessageType
    public var message: String
    public init(type: MessageType, message: String) {
        self.type = type
        self.message = message
    }
}

public struct WorkDoneProgressCreateRequest: LSPRequest {
    public static let method = "window/workDoneProgress/create"
    public typealias Response = JSONValue
    public var token: ProgressToken
    public init(token: ProgressToken) { self.token = token }
}

public struct WorkDoneProgressCancelNotification: LSPNotification {
    public static let method = "window/workDoneProgress/cancel"
    public var token: ProgressToken
}

/// The value of a work-done `$/progress`: begin, report or end.
public struct WorkDoneProgress: Codable, Sendable, Hashable {
    public var kind: WorkDoneProgressKind
    public var title: String?
    public var cancellable: Bool?
    public var message: String?
    public var percentage: Int?

    public static func begin(title: String, message: String? = nil, cancellable: Bool = true) -> WorkDoneProgress {
        .init(kind: .begin, title: title, cancellable: cancellable, message: message, percentage: nil)
    }
    public static func report(message: String, percentage: Int? = nil) -> WorkDoneProgress {
        .init(kind: .report, title: nil, cancellable: nil, message: message, percentage: percentage)
    }
    public static func end(message: String? = nil) -> WorkDoneProgress {
        .init(kind: .end, title: nil, cancellable: nil, message: message, percentage: nil)
    }
}

public struct ProgressNotification: LSPNotification {
    public static let method = "$/progress"
    public var token: ProgressToken
    public var value: JSONValue
    public init(token: ProgressToken, value: JSONValue) {
        self.token = token
        self.value = value
    }
}
