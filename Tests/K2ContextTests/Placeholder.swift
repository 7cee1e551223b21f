import Testing
@Test func placeholderK2ContextTests() {}
