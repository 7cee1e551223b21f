// What `k2lsp doctor` found for one endpoint, and its plain-text rendering.
import Foundation

public struct DoctorReport: Sendable, Hashable, Codable {
    /// What happened to the `ping` tool offered in the quick test.
    public enum ToolCallOutcome: String, Sendable, Hashable, Codable {
        /// The model called `ping`.
        case calledPing
        /// The request with tools was accepted; the model answered without calling `ping` (fine: it may choose).
        case acceptedTools
        /// The quick test failed before tool calling could be judged.
        case notTested
    }

    public var label: String
    public var baseURL: String
    public var model: String
    /// The quick test completed with a proper stream.
    public var ok: Bool
    public var firstByteLatency: Duration?
    public var totalLatency: Duration?
    public var streamingWorks: Bool
    public var toolCallingAvailable: Bool
    public var toolCallOutcome: ToolCallOutcome
    /// The start of the model's answer.
    public var replyPreview: String?
    /// What `GET {base_url}/models` listed; `nil` when the server offers no listing or it failed.
    public var modelsListed: [String]?
    /// Whether the configured model is among them; `nil` without a listing.
    public var modelListed: Bool?
    /// The failure's kind, for exit codes; `nil` when the quick test passed.
    public var errorKind: ProviderError.Kind?
    public var errorCode: ProviderError.Code?
    /// Why this model answers the role ("the first K2 Instruct preference that GET /models lists").
    public var modelReason: String?
    /// How requests to it are shaped ("thinking off", "reasoning_effort low").
    public var requestSummary: String?
    /// Request fixes learned during the check (a 400 that named a field).
    public var adjustments: [String] = []
    /// Each problem says what is wrong and how to fix it.
    public var problems: [String]

    public init(label: String, baseURL: String, model: String) {
        self.label = label
        self.baseURL = baseURL
        self.model = model
        ok = false
        streamingWorks = false
        toolCallingAvailable = false
        toolCallOutcome = .notTested
        problems = []
    }

    /// A few aligned lines for a terminal.
    public func renderedText() -> String {
        let shape = requestSummary.map { " (\($0))" } ?? ""
        var lines = ["\(label): \(model)\(shape) at \(baseURL)"]
        func row(_ name: String, _ value: String) { lines.append("  " + (name + ":").padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        if let modelReason { row("chosen", modelReason) }
        row("result", ok ? "OK" : "FAILED")
        var timing = firstByteLatency.map { "first byte after \($0.humanReadable)" } ?? "no response"
        if let totalLatency { timing += ", total \(totalLatency.humanReadable)" }
        row("latency", timing)
        row("streaming", ok ? (streamingWorks ? "works" : "not streamed (whole JSON reply)") : "not verified")
        let toolText: String
        switch toolCallOutcome {
        case .calledPing: toolText = "works (the model called ping)"
        case .acceptedTools: toolText = "works (request with tools accepted; the model answered without calling ping)"
        case .notTested: toolText = "not verified"
        }
        row("tool calling", toolText)
        if let replyPreview, !replyPreview.isEmpty { row("reply", "\"\(replyPreview)\"") }
        switch (modelsListed, modelListed) {
        case (let ids?, true?): row("models", "\(model) is listed (\(ids.count) models at GET /models)")
        case (let ids?, _): row("models", "\(model) is NOT among the \(ids.count) models at GET /models")
        default: row("models", "GET /models not available")
        }
        for adjustment in adjustments { lines.append("  adjusted:     " + adjustment) }
        for problem in problems { lines.append("  problem:      " + problem) }
        return lines.joined(separator: "\n")
    }

    /// Renders several reports (Instruct, then Thinking) separated by blank lines.
    public static func renderedText(_ reports: [DoctorReport]) -> String {
        reports.map { $0.renderedText() }.joined(separator: "\n\n")
    }
}
