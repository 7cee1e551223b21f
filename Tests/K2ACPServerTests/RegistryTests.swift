// The ACP registry is the mechanism: every incoming entry has one handler, and no handler lacks an entry.
import ACP
import JSONRPC
import Testing

@testable import K2ACPServer

@Suite struct ACPRegistryTests {
    @Test func everyEntryHasAHandlerAndEveryHandlerAnEntry() {
        #expect(ACPAgent.dispatchTable.problems == [])
    }

    @Test func promptTurnsRunOutsideTheLoopAndCancellationOvertakesIt() {
        let registry = MessageRegistry.acp
        #expect(registry.scheduling(of: PromptRequest.self) == .freestanding)
        #expect(registry.scheduling(of: CancelRequestNotification.self) == .cancelsRequest)
        #expect(registry.cancellations.keys.sorted() == ["$/cancel_request"])
    }
}
