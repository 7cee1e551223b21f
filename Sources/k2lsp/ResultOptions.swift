// The flags of the commands that change files: whether to write the change, and whether to print it as JSON.
import ArgumentParser

struct ResultOptions: ParsableArguments {
    @Flag(name: [.customLong("write"), .customLong("yes"), .customShort("y")], help: "Apply the change to the files.")
    var write = false

    @Flag(name: .long, help: "With --write, replace read-only files too (they stay read-only).")
    var force = false

    @Flag(
        name: .long,
        help: "Print {files: [{path, diff}], model, usage, summary, written} as JSON (the agent adds steps).")
    var json = false

    func validate() throws {
        if force && !write { throw ValidationError("--force only changes what --write does; add --write.") }
    }
}
