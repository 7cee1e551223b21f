// Decoding of message bodies: each kind of bad input maps to its JSON-RPC error.
import AnyJSON
import Foundation
import Testing

@testable import JSONRPC

private func decode(_ text: String) -> Result<Message, MessageDecodingFailure> {
    Message.decode(Data(text.utf8))
}

@Test func requestsNotificationsAndResponses() throws {
    #expect(try decode(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}}"#).get()
        == .request(id: .number(1), method: "m", params: ["a": 1]))
    #expect(try decode(#"{"jsonrpc":"2.0","id":"x","method":"m"}"#).get()
        == .request(id: .string("x"), method: "m", params: nil))
    #expect(try decode(#"{"jsonrpc":"2.0","method":"n","params":[1]}"#).get()
        == .notification(method: "n", params: [1]))
    #expect(try decode(#"{"jsonrpc":"2.0","id":3,"result":null}"#).get()
        == .response(id: .number(3), result: .success(.null)))
    #expect(try decode(#"{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"no"}}"#).get()
        == .response(id: .number(4), result: .failure(.init(code: -1, message: "no"))))
}

@Test(arguments: [
    (#"{"jsonrpc":"2.0","id":1,"method":"#, -32700, nil as RequestID?),
    (#"[1,2,3]"#, -32600, nil),
    (#"42"#, -32600, nil),
    (#""text""#, -32600, nil),
    (#"{"jsonrpc":"2.0","id":5,"method":3}"#, -32600, .number(5)),
    (#"{"jsonrpc":"1.0","id":6,"method":"m"}"#, -32600, .number(6)),
    (#"{"jsonrpc":"2.0","id":7,"method":"m","params":"p"}"#, -32600, .number(7)),
    (#"{"jsonrpc":"2.0","id":[1],"method":"m"}"#, -32600, nil),
    (#"{"jsonrpc":"2.0","id":8}"#, -32600, .number(8)),
])
func badBodies(text: String, code: Int, id: RequestID?) {
    switch decode(text) {
    case .success(let message): Issue.record("decoded \(message) from \(text)")
    case .failure(let failure):
        #expect(failure.error.code == code)
        #expect(failure.id == id)
    }
}

@Test func encodingRoundTrips() throws {
    let messages: [Message] = [
        .request(id: .number(1), method: "a/b", params: ["x": ["y": "🎉"]]),
        .notification(method: "n", params: nil),
        .response(id: nil, result: .failure(.parseError("bad"))),
        .response(id: .string("s"), result: .success([1, 2.5, true, nil])),
    ]
    for message in messages {
        #expect(try Message.decode(message.encoded()).get() == message)
    }
}

@Test func invalidUTF8InsideStringsIsReplacedNotRefused() throws {
    var body = Data(#"{"jsonrpc":"2.0","method":"n","params":{"text":"a"#.utf8)
    body.append(contentsOf: [0xF0, 0x9F, 0x8E])  // A truncated emoji.
    body.append(contentsOf: Data(#"b"}}"#.utf8))
    let message = try Message.decode(body).get()
    #expect(message == .notification(method: "n", params: ["text": "a\u{FFFD}b"]))
}
