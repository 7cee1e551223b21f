// The JSON parser: nesting is bounded (never a crash), strings are repaired, numbers keep their range.
import Foundation
import Testing

@testable import AnyJSON

private func parse(_ text: String) -> Result<JSONValue, JSONParseError> {
    JSONParser.parse(Array(text.utf8))
}

@Test func valuesOfEveryKind() throws {
    let text = #" {"a": [1, -2, 3.5, true, false, null, "s"], "b": {}, "c": [], "d": {"e": "\"\\\/\b\f\n\r\t"}} "#
    let value = try parse(text).get()
    #expect(value == ["a": [1, -2, 3.5, true, false, nil, "s"], "b": [:], "c": [], "d": ["e": "\"\\/\u{8}\u{C}\n\r\t"]])
}

@Test(arguments: [
    ("", "empty"), ("[1,]", "trailing comma"), ("{\"a\":1,}", "trailing comma in object"), ("01", "leading zero"),
    ("\"a\u{1}b\"", "raw control character"), ("[1] 2", "trailing text"), ("{\"a\" 1}", "missing colon"),
    ("[1 2]", "missing comma"), ("tru", "truncated literal"), ("\"abc", "unclosed string"), ("1.", "bare point"),
    ("-", "bare minus"), ("1e", "bare exponent"), ("\"\\x\"", "unknown escape"), ("\"\\u12\"", "short escape"),
    ("{1:2}", "number key"), ("[", "unclosed array"),
])
func syntaxErrors(text: String, what: String) {
    guard case .failure(let error) = parse(text) else {
        Issue.record("\(what) was accepted")
        return
    }
    #expect(error.kind == .syntax, "\(what)")
}

@Test func nestingBeyondTheLimitIsRefusedWithoutRecursion() {
    // Far past any stack: a recursive parser (or one that tries every type in turn) crashes here.
    for opener in ["{\"a\":", "["] {
        let text = String(repeating: opener, count: 200_000)
        guard case .failure(let error) = parse(text) else {
            Issue.record("200,000 levels were accepted")
            continue
        }
        #expect(error.kind == .tooDeep)
    }
    let limit = JSONParser.defaultMaximumDepth
    let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect((try? parse(atLimit).get()) != nil)
    let overLimit = "[" + atLimit + "]"
    #expect(throws: JSONParseError.self) { try parse(overLimit).get() }
    #expect(throws: JSONParseError.self) { try parse(String(repeating: "[", count: limit) + "{}" + String(repeating: "]", count: limit)).get() }
}

@Test(arguments: [
    (#""\ud800""#, "\u{FFFD}"),
    (#""a\udc00b""#, "a\u{FFFD}b"),
    (#""\ud83d\ude00""#, "😀"),
    (#""\ud800\u0041""#, "\u{FFFD}A"),
    (#""\ud800\ud800\udc00""#, "\u{FFFD}𐀀"),
    (#""\udbff""#, "\u{FFFD}"),
    (#""\u00e9\u4e2d""#, "é中"),
])
func loneSurrogatesBecomeReplacementCharacters(text: String, expected: String) throws {
    #expect(try parse(text).get() == .string(expected))
}

@Test func invalidUTF8InStringsIsReplaced() throws {
    var bytes = Array(#"["a"#.utf8)
    bytes += [0xF0, 0x9F, 0x8E]  // a truncated emoji
    bytes += Array(#"b", "\#u{FF}"]"#.utf8).map { $0 }
    let value = try JSONParser.parse(bytes).get()
    #expect(value[0] == "a\u{FFFD}b")
}

@Test func numbers() throws {
    #expect(try parse("0").get() == 0)
    #expect(try parse("-0").get() == 0)
    #expect(try parse("9223372036854775807").get() == .int(Int.max))
    #expect(try parse("9223372036854775808").get() == .double(9223372036854775808))
    #expect(try parse("1.0").get() == 1)
    #expect(try parse("1e2").get() == 100)
    #expect(try parse("2.5e-1").get() == 0.25)
    #expect(try parse("1e30").get() == .double(1e30))
}

@Test func writtenTextParsesBackToTheSameValue() throws {
    let values: [JSONValue] = [
        ["text": "line\nnext\t\u{1}\"quoted\" \\ / 🎉 \u{FFFD}", "n": -12, "x": 0.1, "big": 1e300, "list": [nil, true, [:]]],
        .string(String(repeating: "é", count: 1000)),
        [[[[[1]]]]],
    ]
    for value in values {
        #expect(try JSONParser.parse(value.jsonBytes()).get() == value)
        #expect(try JSONParser.parse(Array(value.serialized().utf8)).get() == value)
    }
    #expect(JSONValue.double(.nan).serialized() == "null")
    #expect(JSONValue.object(["b": 1, "a": 2]).serialized() == #"{"a":2,"b":1}"#)
}
