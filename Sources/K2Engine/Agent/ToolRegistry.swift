// The tools one agent run offers, by name, in a fixed order.
import K2Provider

/// The tools of a run. The order is the order of `definitions`, which is part of the cached prompt prefix, so a
/// registry built the same way always yields the same bytes.
public struct ToolRegistry: Sendable {
    public private(set) var tools: [any AgentTool] = []

    public init(_ tools: [any AgentTool] = []) {
        for tool in tools { register(tool) }
    }

    /// Adds a tool; a tool with the same name replaces the earlier one in place.
    public mutating func register(_ tool: any AgentTool) {
        if let existing = tools.firstIndex(where: { $0.definition.name == tool.definition.name }) {
            tools[existing] = tool
        } else {
            tools.append(tool)
        }
    }

    /// K2 accepts at most this many tools in one request.
    public static let maximumTools = 128

    /// Adds tools from another source after the ones already here. A tool whose name is taken, or one past
    /// `maximumTools`, is left out; returns the names left out.
    public mutating func adding(_ newTools: [any AgentTool]) -> [String] {
        var leftOut: [String] = []
        for tool in newTools {
            if self.tool(named: tool.definition.name) != nil || tools.count >= Self.maximumTools {
                leftOut.append(tool.definition.name)
            } else {
                tools.append(tool)
            }
        }
        return leftOut
    }

    public func tool(named name: String) -> (any AgentTool)? {
        tools.first { $0.definition.name == name }
    }

    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    public var names: [String] { tools.map(\.definition.name) }

    /// The workspace tools of this issue: read, list, search, edit, write, diagnostics. No shell, no network.
    public static let standard = ToolRegistry([
        ReadFileTool(), ListFilesTool(), SearchTool(), EditFileTool(), WriteFileTool(), GetDiagnosticsTool(),
    ])
}
