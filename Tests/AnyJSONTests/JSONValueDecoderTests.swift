// Typed decoding from a parsed value: errors name the field, numbers name the range they missed.
import Foundation
import Testing

@testable import AnyJSON

private struct Position: Codable, Equatable {
    var line: Int
    var character: Int
}

private struct Params: Codable, Equatable {
    var uri: String
    var position: Position
    var note: String?
    var tags: [String]?
    var extra: JSONValue?
    var small: UInt8?
}

private func decodingError(_ value: JSONValue) -> String? {
    do {
        _ = try value.decode(Params.self)
        return nil
    } catch let error as DecodingError {
        return error.fieldDescription
    } catch {
        return "\(error)"
    }
}

@Test func typedValuesAndUntypedSubtrees() throws {
    let value: JSONValue = [
        "uri": "file:///a", "position": ["line": 3, "character": 4.0], "tags": ["x"],
        "extra": ["deep": [1, ["two": nil]]],
    ]
    let params = try value.decode(Params.self)
    #expect(params == Params(uri: "file:///a", position: .init(line: 3, character: 4), note: nil, tags: ["x"],
                             extra: ["deep": [1, ["two": nil]]]))
    #expect(try JSONValue.null.decode(String?.self) == nil)
    #expect(try JSONValue.object(["note": nil, "uri": "u", "position": ["line": 0, "character": 0]]).decode(Params.self).note == nil)
}

@Test func aNumberOutOfRangeNamesTheFieldAndTheRange() throws {
    let value = try JSONValue(parsing: Data(#"{"uri": "u", "position": {"line": 1e30, "character": 0}}"#.utf8))
    let message = try #require(decodingError(value))
    #expect(message.contains("'position.line'"), "\(message)")
    #expect(message.contains("1e+30"), "\(message)")
    #expect(message.contains("out of range"), "\(message)")
    #expect(message.contains("\(Int.max)"), "\(message)")
    let small = try #require(decodingError(["uri": "u", "position": ["line": 0, "character": 0], "small": 300]))
    #expect(small.contains("'small'") && small.contains("from 0 to 255"), "\(small)")
    let fraction = try #require(decodingError(["uri": "u", "position": ["line": 1.5, "character": 0]]))
    #expect(fraction.contains("'position.line'") && fraction.contains("not an integer"), "\(fraction)")
}

@Test func wrongTypesAndMissingFieldsNameTheField() throws {
    let missing = try #require(decodingError(["position": ["line": 0, "character": 0]]))
    #expect(missing == "missing field 'uri'")
    let wrong = try #require(decodingError(["uri": 5, "position": ["line": 0, "character": 0]]))
    #expect(wrong.contains("'uri'") && wrong.contains("expected a string, got a number"), "\(wrong)")
    let inArray = try #require(decodingError(["uri": "u", "position": ["line": 0, "character": 0], "tags": ["a", 2]]))
    #expect(inArray.contains("'tags[1]'"), "\(inArray)")
    let null = try #require(decodingError(["uri": nil, "position": ["line": 0, "character": 0]]))
    #expect(null.contains("'uri' is null"), "\(null)")
    let notAnObject = try #require(decodingError([1, 2]))
    #expect(notAnObject.contains("'params'") && notAnObject.contains("expected an object, got an array"), "\(notAnObject)")
}
