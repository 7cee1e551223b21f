import Testing
@Test func placeholderK2ConfigTests() {}
