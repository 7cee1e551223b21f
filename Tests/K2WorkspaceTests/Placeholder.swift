import Testing
@Test func placeholderK2WorkspaceTests() {}
