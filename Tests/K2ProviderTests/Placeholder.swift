import Testing
@Test func placeholderK2ProviderTests() {}
