// git's C-style quoting of path names in diff headers (quote.c with core.quotePath on, git's default).

public enum GitPathQuoting {
    /// `name` as git writes it in a `diff --git`, `---` or `+++` line: unchanged when every byte is printable ASCII
    /// other than `"` and `\`; else in double quotes, with `\t`, `\n`, `\"`, `\\` and the like, and every other
    /// control or non-ASCII byte as three octal digits (`é` is `\303\251`). A tab or a line break in a name can then
    /// neither confuse `git apply` nor start a header line of its own.
    public static func quoted(_ name: String) -> String {
        guard name.utf8.contains(where: needsQuoting) else { return name }
        var output: [UInt8] = [0x22]
        for byte in name.utf8 {
            guard needsQuoting(byte) else {
                output.append(byte)
                continue
            }
            output.append(0x5C)
            switch byte {
            case 0x07: output.append(UInt8(ascii: "a"))
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0B: output.append(UInt8(ascii: "v"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x22, 0x5C: output.append(byte)
            default:
                output.append(0x30 + (byte >> 6))
                output.append(0x30 + ((byte >> 3) & 7))
                output.append(0x30 + (byte & 7))
            }
        }
        output.append(0x22)
        return String(decoding: output, as: UTF8.self)
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F
    }
}
