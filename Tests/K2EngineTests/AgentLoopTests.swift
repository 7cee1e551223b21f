// The agent loop against an in-process scripted model: history shape, errors answered, guards, cancellation.
import AnyJSON
import Foundation
import K2Engine
import K2Provider
import K2Workspace
import Testing

private let source = "struct Counter {\n    var count = 0\n}\n"

private func runLoop(
    _ workspace: AgentFixture, _ model: ScriptedAgentModel, limits: AgentLimits = AgentLimits(),
    events: EventLog = EventLog()
) async throws -> AgentLoopResult {
    let loop = AgentLoop(registry: .standard, workspace: workspace.workspace, limits: limits, events: events.sink)
    return try await loop.run([.system(AgentPrompt.systemPrompt), .user("Make count start at 1.")], callModel: model.caller)
}

/// The tool messages of one request, as (id, name, content).
private func toolResults(_ messages: [ChatMessage]) -> [(id: String?, name: String?, content: String)] {
    messages.filter { $0.role == .tool }.map { ($0.toolCallID, $0.name, $0.content) }
}

@Suite struct AgentLoopTests {
    @Test func readEditAnswer() async throws {
        let workspace = try await AgentFixture(["Counter.swift": source])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([("functions.read_file:0", "read_file", #"{"path":"Counter.swift"}"#)], reasoning: "Read it first."),
            ScriptedAgentModel.calls(
                [("functions.edit_file:1", "edit_file", #"{"path":"Counter.swift","old_text":"var count = 0","new_text":"var count = 1"}"#)],
                reasoning: "Now change the initial value."),
            ScriptedAgentModel.answer("Counter now starts at 1."),
        ])
        let events = EventLog()
        let result = try await runLoop(workspace, model, events: events)
        #expect(result.summary == "Counter now starts at 1.")
        #expect(result.model == "kimi-k2-thinking")
        #expect(result.usage.promptTokens == 300)
        #expect(result.steps.map(\.tool) == ["read_file", "edit_file"])
        #expect(result.steps.allSatisfy { $0.ok })

        let second = model.requests[1]
        let assistant = try #require(second.last { $0.role == .assistant })
        #expect(assistant.reasoningContent == "Read it first.")
        #expect(assistant.toolCalls.map(\.id) == ["functions.read_file:0"])
        let results = toolResults(second)
        #expect(results.count == 1)
        #expect(results.first?.id == "functions.read_file:0")
        #expect(results.first?.name == "read_file")
        #expect(results.first?.content == "Counter.swift: all 3 lines\n" + source)
        let third = model.requests[2]
        #expect(third.filter { $0.role == .assistant }.map(\.reasoningContent) == ["Read it first.", "Now change the initial value."])
        #expect(toolResults(third).last?.content == "Edited Counter.swift at line 2; the file now has 3 lines.")

        #expect(try await workspace.editedTexts() == ["Counter.swift": "struct Counter {\n    var count = 1\n}\n"])
        #expect(workspace.disk("Counter.swift") == source)
        #expect(events.toolCalls.map(\.status) == [.started, .done, .started, .done])
        #expect(events.toolCalls.map(\.step) == [1, 1, 2, 2])
        #expect(events.toolCalls.first?.arguments == ["path": "Counter.swift"])
    }

    @Test func parallelCallsAreEachAnsweredInOrder() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n", "b.txt": "B\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([
                ("read_file:0", "read_file", #"{"path":"a.txt"}"#),
                ("read_file:1", "read_file", #"{"path":"b.txt"}"#),
                ("list_files:2", "list_files", "{}"),
            ]),
            ScriptedAgentModel.answer("Nothing to change."),
        ])
        let result = try await runLoop(workspace, model)
        let results = toolResults(model.requests[1])
        #expect(results.map(\.id) == ["read_file:0", "read_file:1", "list_files:2"])
        #expect(results[0].content.hasSuffix("\nA\n"))
        #expect(results[1].content.hasSuffix("\nB\n"))
        #expect(results[2].content == "2 files in the workspace:\na.txt\nb.txt")
        #expect(result.steps.count == 3)
    }

    /// Bad calls the model can make, and what it is told. None of them ends the run.
    static let badCalls: [(name: String, arguments: String, answer: String)] = [
        ("read_file", #"{"path": "a.txt""#, #"Error: the arguments of this read_file call are not valid JSON ({"path": "a.txt"). Send one JSON object"#),
        ("run_shell", #"{"command":"rm -rf /"}"#, "Error: there is no tool named \"run_shell\". The tools are: read_file, list_files, search, edit_file, write_file, get_diagnostics."),
        ("read_file", "", "Error: read_file needs the argument \"path\"."),
        ("read_file", #"{"path":["a.txt"]}"#, "Error: read_file: \"path\" must be a string, not an array."),
        ("edit_file", #"{"path":"a.txt","old":"A","new":"B"}"#, "Error: edit_file has no argument \"new\""),
        ("search", #"{"query":"A","regex":"yes"}"#, "Error: search: \"regex\" must be a boolean, not a string."),
    ]

    @Test(arguments: badCalls) func badCallsAreAnsweredAsToolErrors(name: String, arguments: String, answer: String) async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([("call_1", name, arguments)]),
            ScriptedAgentModel.answer("I could not do it."),
        ])
        let result = try await runLoop(workspace, model)
        let second = model.requests[1]
        #expect(second.last { $0.role == .assistant }?.toolCalls == [ToolCall(id: "call_1", name: name, arguments: arguments)])
        let results = toolResults(second)
        #expect(results.map(\.id) == ["call_1"])
        #expect(results.first?.content.hasPrefix(answer) == true, "\(results.first?.content ?? "")")
        #expect(result.steps.map(\.ok) == [false])
        #expect(result.summary == "I could not do it.")
    }

    @Test func repeatedCallsAreWarnedThenStopTheRun() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel()
        for turn in 0..<5 {
            // Key order and spacing differ; it is still the same call.
            let arguments = turn % 2 == 0 ? #"{"path":"a.txt","start_line":1}"# : #"{ "start_line": 1, "path": "a.txt" }"#
            model.enqueue(ScriptedAgentModel.calls([("read_file:\(turn)", "read_file", arguments)]))
        }
        let error = await #expect(throws: EngineError.self) { try await runLoop(workspace, model) }
        #expect(error?.description.hasPrefix("The agent stopped: K2 made the same read_file call 5 times") == true)
        #expect(error?.description.contains("Nothing was changed.") == true)
        let contents = toolResults(model.requests[4]).map(\.content)
        #expect(contents.count == 4)
        #expect(contents.prefix(2).allSatisfy { !$0.contains("Note:") })
        #expect(contents[2].contains("Note: this is the 3rd time you made exactly this call"))
        #expect(contents[3].contains("Note: this is the 4th time"))
    }

    @Test func longToolOutputIsCutWithANote() async throws {
        let long = (1...100).map { "line \($0) of a long file" }.joined(separator: "\n") + "\n"
        let workspace = try await AgentFixture(["long.txt": long])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls([("c0", "read_file", #"{"path":"long.txt"}"#)]), ScriptedAgentModel.answer("Read."),
        ])
        _ = try await runLoop(workspace, model, limits: AgentLimits(toolOutputLimit: 500))
        let content = try #require(toolResults(model.requests[1]).first?.content)
        #expect(content.hasPrefix("long.txt: all 100 lines\nline 1 of a long file\n"))
        #expect(content.contains("[Output cut: showing "))
        #expect(content.contains(" characters (agent.tool_output_limit). Ask for less"))
        #expect(content.count < 700)
    }

    @Test func aTurnCutOffByLengthRunsNoneOfItsCalls() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.calls(
                [("c0", "write_file", #"{"path":"a.txt","content":"B\n"}"#), ("c1", "write_file", #"{"path":"b.txt","con"#)],
                finishReason: "length"),
            ScriptedAgentModel.answer("Stopping."),
        ])
        let result = try await runLoop(workspace, model)
        let results = toolResults(model.requests[1])
        #expect(results.map(\.id) == ["c0", "c1"])
        #expect(results.allSatisfy { $0.content.hasPrefix("Error: not run. Your reply was cut off") })
        #expect(result.steps.map(\.ok) == [false, false])
        #expect(try await workspace.workspace.finalEdits().isEmpty)
    }

    @Test func aSummaryCutOffByLengthAsksToContinue() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([
            ScriptedAgentModel.answer("I changed", finishReason: "length"), ScriptedAgentModel.answer("Nothing changed."),
        ])
        let result = try await runLoop(workspace, model)
        #expect(model.requests[1].last?.role == .user)
        #expect(model.requests[1].last?.content.hasPrefix("Your reply was cut off") == true)
        #expect(result.summary == "Nothing changed.")
    }

    /// A model that never stops calling tools, under a limit: what stops it, and after how many requests.
    static let endlessRuns: [(limits: AgentLimits, reportsUsage: Bool, message: String, requests: Int)] = [
        (AgentLimits(maxTurns: 3), true,
         "The agent stopped: K2 was still calling tools after 3 turns (agent.max_turns). Nothing was changed.", 3),
        (AgentLimits(maxTokensPerRun: 250), true,
         "The agent stopped: the run used 360 tokens, over its budget of 250 (agent.max_tokens_per_run).", 3),
        // Without reported usage the budget counts an estimate (the system prompt alone is over 300 tokens).
        (AgentLimits(maxTokensPerRun: 300), false, "The agent stopped: the run used ", 1),
    ]

    @Test(arguments: endlessRuns) func guardsStopAModelThatNeverStops(
        limits: AgentLimits, reportsUsage: Bool, message: String, requests: Int
    ) async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel()
        for turn in 0..<10 {
            var next = ScriptedAgentModel.calls([("s\(turn)", "search", "{\"query\":\"q\(turn)\"}")])
            if !reportsUsage { next.usage = nil }
            model.enqueue(next)
        }
        let error = await #expect(throws: EngineError.self) { try await runLoop(workspace, model, limits: limits) }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
        #expect(model.requests.count == requests)
    }

    @Test func aFinalAnswerIsKeptEvenOverTheBudget() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel([ScriptedAgentModel.answer("Nothing to do.")])
        let result = try await runLoop(workspace, model, limits: AgentLimits(maxTokensPerRun: 10))
        #expect(result.summary == "Nothing to do.")
    }

    @Test func cancellationStopsBetweenSteps() async throws {
        let workspace = try await AgentFixture(["a.txt": "A\n"])
        let model = ScriptedAgentModel()
        for turn in 0..<50 {
            model.enqueue(ScriptedAgentModel.calls([("s\(turn)", "search", "{\"query\":\"q\(turn)\"}")]))
        }
        // The third turn is answered only once the run is cancelled, and answered normally: the loop itself must
        // notice before it runs the turn's call or asks again. No timing, so load cannot change the outcome.
        let (thirdTurn, thirdTurnStarted) = AsyncStream.makeStream(of: Void.self)
        let waitingModel: AgentModelCaller = { messages, tools in
            let turn = try await model.caller(messages, tools)
            if model.requests.count == 3 {
                thirdTurnStarted.yield()
                try? await Task.sleep(for: .seconds(3600))  // Ends when the run is cancelled; the turn still returns.
            }
            return turn
        }
        let events = EventLog()
        let loop = AgentLoop(registry: .standard, workspace: workspace.workspace, limits: AgentLimits(maxTurns: 50), events: events.sink)
        let task = Task { try await loop.run([.user("go")], callModel: waitingModel) }
        for await _ in thirdTurn { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(model.requests.count == 3)
        #expect(events.toolCalls.filter { $0.status == .started }.count == 2, "the third turn's call did not run")
    }

    @Test func theSystemPromptAndToolsAreStable() {
        #expect(AgentPrompt.systemPrompt == AgentPrompt.systemPrompt)
        #expect(ToolRegistry.standard.names == ["read_file", "list_files", "search", "edit_file", "write_file", "get_diagnostics"])
        #expect(ToolRegistry.standard.definitions == ToolRegistry.standard.definitions)
        for definition in ToolRegistry.standard.definitions {
            #expect(definition.name.range(of: #"^[a-zA-Z_][a-zA-Z0-9_-]{2,63}$"#, options: .regularExpression) != nil)
            #expect(definition.parameters["type"] == "object")
        }
        #expect(AgentPrompt.systemPrompt.contains("relative to the workspace root"))
        #expect(AgentPrompt.systemPrompt.contains("old_text must be copied exactly"))
        #expect(AgentPrompt.systemPrompt.contains("short summary of what you changed"))
    }

    @Test func theFirstMessageEndsWithTheInstruction() {
        let location = AgentPrompt.Location(
            relativePath: "Sources/App/main.swift", languageID: "swift", firstLine: 3, lastLine: 5, hasSelection: true)
        let message = AgentPrompt.firstUserMessage(
            instruction: "Rename greet.", context: "# Context\n<<SELECTION>>x<</SELECTION>>\n", location: location,
            filesWithDiagnostics: 2)
        #expect(message == """
            # Context
            <<SELECTION>>x<</SELECTION>>

            ## Task
            The user is in Sources/App/main.swift (swift) with a selection on lines 3-5, marked with <<SELECTION>> and <</SELECTION>> above.
            The editor reports diagnostics in 2 files; get_diagnostics lists them.
            Instruction: Rename greet.
            """)
        #expect(AgentPrompt.firstUserMessage(instruction: "Add a README.", context: nil, location: nil, filesWithDiagnostics: 0)
            == "## Task\nInstruction: Add a README.")
    }

    @Test func registryReplacesToolsByName() {
        var registry = ToolRegistry.standard
        registry.register(ReadFileTool())
        #expect(registry.names.count == 6)
        #expect(registry.tool(named: "write_file") != nil)
        #expect(registry.tool(named: "shell") == nil)
    }
}
