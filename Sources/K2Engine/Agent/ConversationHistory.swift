// An earlier conversation made ready to continue: every tool call answered, and the oldest turns left out to fit.
import K2Provider

enum ConversationHistory {
    /// What a call gets that a stopped turn (cancelled, or cut off at a limit) never ran.
    static let notRunAnswer = "Error: not run: the turn was stopped before this call ran."
    static let leftOutNote = "(Earlier parts of this conversation were left out to fit the model's context window.)"

    /// The messages without system prompts, each assistant tool call followed by exactly one answer (an unanswered
    /// call gets `notRunAnswer`; an answer to no call is dropped), and, while the estimate is over `budgetTokens`
    /// and more than one exchange is left, the oldest exchanges (a user message and everything up to the next)
    /// left out with a note on the first one kept.
    static func prepared(_ history: [ChatMessage], budgetTokens: Int) -> [ChatMessage] {
        var exchanges = splitIntoExchanges(answeringEveryCall(history))
        var leftOut = false
        while exchanges.count > 1, AgentLoop.estimatedTokens(exchanges.flatMap { $0 }, tools: []) > budgetTokens {
            exchanges.removeFirst()
            leftOut = true
        }
        var messages = exchanges.flatMap { $0 }
        if leftOut, let first = messages.indices.first(where: { messages[$0].role == .user }) {
            messages[first].content = leftOutNote + "\n\n" + messages[first].content
        }
        return messages
    }

    static func answeringEveryCall(_ history: [ChatMessage]) -> [ChatMessage] {
        var result: [ChatMessage] = []
        var open: [ToolCall] = []
        func closeOpenCalls() {
            for call in open { result.append(.tool(callID: call.id, name: call.name, content: notRunAnswer)) }
            open = []
        }
        for message in history {
            switch message.role {
            case .system:
                continue
            case .tool:
                guard let index = open.firstIndex(where: { $0.id == message.toolCallID }) else { continue }
                open.remove(at: index)
                result.append(message)
            case .assistant:
                closeOpenCalls()
                result.append(message)
                open = message.toolCalls
            case .user:
                closeOpenCalls()
                result.append(message)
            }
        }
        closeOpenCalls()
        return result
    }

    private static func splitIntoExchanges(_ messages: [ChatMessage]) -> [[ChatMessage]] {
        var exchanges: [[ChatMessage]] = []
        for message in messages {
            if message.role == .user || exchanges.isEmpty {
                exchanges.append([message])
            } else {
                exchanges[exchanges.count - 1].append(message)
            }
        }
        return exchanges
    }
}
