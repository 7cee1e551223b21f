// Bounds on a settings document, checked on libyaml's event stream before Yams composes anything.
import CYaml

/// How large a settings document may be. A configuration needs a few hundred nodes; the limits sit far above that and
/// far below what hangs: an alias bomb (anchored lists of aliases) expands to 10^9 nodes from 400 bytes, and Yams
/// hashes every mapping key, so one such list used as a key walks all of them.
public enum ConfigDocumentLimits {
    /// A configuration file larger than this is not read (a 50 MB flow list took 31 s and 3.5 GB to compose).
    public static let maximumFileBytes = 1 << 20
    /// Nodes in the document with every alias expanded.
    public static let maximumNodes = 100_000
    /// Nested sequences and mappings.
    public static let maximumDepth = 64
}

/// Why a document was refused before composing.
enum DocumentShapeProblem: Sendable, Hashable {
    /// A mapping key that is a sequence, a mapping or an alias of one.
    case nonScalarKey(line: Int)
    case tooManyNodes(line: Int)
    case tooDeep(line: Int)

    var line: Int {
        switch self {
        case .nonScalarKey(let line), .tooManyNodes(let line), .tooDeep(let line): return line
        }
    }

    var message: String {
        switch self {
        case .nonScalarKey:
            return "a key must be a plain name such as 'profile', not a list, a mapping or an alias of one; "
                + "this file is skipped until it is fixed"
        case .tooManyNodes:
            return "the settings expand to more than \(ConfigDocumentLimits.maximumNodes) values (aliases counted "
                + "as often as they are used); this file is skipped until it is made smaller"
        case .tooDeep:
            return "the settings nest more than \(ConfigDocumentLimits.maximumDepth) levels deep; this file is "
                + "skipped until it is fixed"
        }
    }
}

/// Walks the parser's events once, counting each alias as the size of what it names, and stops at the first
/// problem. Costs about as much as scanning the text; syntax errors are left to the composer, which words them.
enum DocumentShapeCheck {
    private struct Frame {
        var isMapping: Bool
        var anchor: String?
        /// Nodes so far in this collection, itself included, aliases expanded.
        var size = 1
        /// In a mapping: the next node is a key.
        var expectsKey: Bool
    }

    private struct Anchored {
        var size: Int
        var isScalar: Bool
    }

    static func problem(in text: String) -> DocumentShapeProblem? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { bytes -> DocumentShapeProblem? in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            return walk(&parser)
        }
    }

    private static func walk(_ parser: inout yaml_parser_t) -> DocumentShapeProblem? {
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            // A node that starts in a key position.
            let isKey = stack.last.map { $0.isMapping && $0.expectsKey } ?? false
            var completed: (size: Int, anchor: String?, isScalar: Bool)?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                completed = (1, string(event.data.scalar.anchor), true)
            case YAML_ALIAS_EVENT:
                // An undefined alias is the composer's error to report.
                let target = string(event.data.alias.anchor).flatMap { anchors[$0] } ?? Anchored(size: 1, isScalar: true)
                if isKey && !target.isScalar { return .nonScalarKey(line: line) }
                completed = (target.size, nil, target.isScalar)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if isKey { return .nonScalarKey(line: line) }
                if stack.count >= ConfigDocumentLimits.maximumDepth { return .tooDeep(line: line) }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                stack.append(Frame(isMapping: isMapping, anchor: anchor, expectsKey: true))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                completed = (frame.size, frame.anchor, false)
            default:
                break
            }
            guard let node = completed else { continue }
            if let anchor = node.anchor { anchors[anchor] = Anchored(size: node.size, isScalar: node.isScalar) }
            if stack.isEmpty {
                if node.size > ConfigDocumentLimits.maximumNodes { return .tooManyNodes(line: line) }
                continue
            }
            stack[stack.count - 1].expectsKey.toggle()
            // Every node lies inside the outermost collection, so its count bounds the whole document.
            let (sum, overflow) = stack[stack.count - 1].size.addingReportingOverflow(node.size)
            if overflow || sum > ConfigDocumentLimits.maximumNodes { return .tooManyNodes(line: line) }
            stack[stack.count - 1].size = sum
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
