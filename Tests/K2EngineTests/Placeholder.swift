import Testing
@Test func placeholderK2EngineTests() {}
