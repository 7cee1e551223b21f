// update_plan: the model states its plan for a multi-step task, and marks steps done as it goes.
import AnyJSON
import K2Provider

/// Offered when the front end shows plans (`AgentRequest.offersPlan`). Each call replaces the whole plan.
public struct UpdatePlanTool: AgentTool {
    public let traits = ToolTraits(kind: .read)
    private let report: @Sendable ([PlanStep]) -> Void

    /// - Parameter report: receives each plan the model states.
    public init(report: @escaping @Sendable ([PlanStep]) -> Void) {
        self.report = report
    }

    public let definition = ToolDefinition(
        name: "update_plan",
        description: "For a task of several steps: state your plan before you start, then call again to mark steps in_progress or completed as you go. Each call replaces the whole plan. The user sees it; skip it for simple tasks.",
        parameters: [
            "type": "object",
            "properties": [
                "steps": [
                    "type": "array",
                    "description": "The plan, in order.",
                    "items": [
                        "type": "object",
                        "properties": [
                            "step": ["type": "string", "description": "What to do, in a few words."],
                            "status": ["type": "string", "enum": ["pending", "in_progress", "completed"]],
                        ],
                        "required": ["step", "status"],
                    ],
                ]
            ],
            "required": ["steps"],
        ])

    public func presentation(of arguments: JSONValue, in workspace: AgentWorkspace) async -> ToolCallPresentation {
        ToolCallPresentation(title: "Update the plan", isBookkeeping: true)
    }

    public func run(_ arguments: JSONValue, in workspace: AgentWorkspace) async throws -> String {
        let arguments = try ToolArguments(arguments, for: definition)
        let items = arguments.values["steps"]?.arrayValue ?? []
        var steps: [PlanStep] = []
        for (index, item) in items.enumerated() {
            guard let text = item["step"]?.stringValue, !text.isEmpty else {
                throw ToolError("update_plan: steps[\(index)] needs a non-empty \"step\".")
            }
            let given = item["status"]?.stringValue ?? PlanStep.Status.pending.rawValue
            guard let status = PlanStep.Status(rawValue: given) else {
                throw ToolError("update_plan: steps[\(index)].status must be pending, in_progress or completed, not \"\(given)\".")
            }
            steps.append(PlanStep(text: text, status: status))
        }
        guard !steps.isEmpty else { throw ToolError("update_plan needs at least one step.") }
        report(steps)
        let done = steps.filter { $0.status == .completed }.count
        return "Plan updated: \(steps.count) steps, \(done) completed."
    }
}
