// Imported files are resolved per language and included; a table of small workspaces, one per language.
import Testing

@testable import K2Context

private struct ImportCase: Sendable, CustomStringConvertible {
    var name: String
    var files: [String: String]
    var current: String
    /// Paths that must be included as imported files.
    var expected: [String]
    /// Paths that must not be.
    var notExpected: [String] = []
    var description: String { name }
}

private let importCases: [ImportCase] = [
    ImportCase(
        name: "Python relative and absolute",
        files: [
            "pkg/__init__.py": "",
            "pkg/util.py": "def helper():\n    return 1\n",
            "pkg/models/__init__.py": "class Model: pass\n",
            "pkg/models/user.py": "class User: pass\n",
            "app/main.py": "from pkg.util import helper\nfrom pkg.models import user\nfrom . import settings\nimport os\n$0\n",
            "app/settings.py": "DEBUG = True\n",
        ],
        current: "app/main.py",
        expected: ["pkg/util.py", "pkg/models/__init__.py", "pkg/models/user.py", "app/settings.py"]),
    ImportCase(
        name: "JavaScript and TypeScript relative paths, index files, .js for .ts",
        files: [
            "src/lib/index.ts": "export const lib = 1\n",
            "src/util.ts": "export function util() {}\n",
            "src/view.tsx": "export const View = () => null\n",
            "src/legacy.js": "module.exports = {}\n",
            "src/app.ts": "import { lib } from './lib'\nimport { util } from './util.js'\nimport View from \"./view\"\nconst legacy = require('./legacy')\nimport React from 'react'\n$0\n",
        ],
        current: "src/app.ts",
        expected: ["src/lib/index.ts", "src/util.ts", "src/view.tsx", "src/legacy.js"]),
    ImportCase(
        name: "Go packages from the module path",
        files: [
            "go.mod": "module example.com/shop\n\ngo 1.22\n",
            "internal/cart/cart.go": "package cart\n\nfunc New() {}\n",
            "internal/cart/cart_test.go": "package cart\n",
            "cmd/shop/main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/shop/internal/cart\"\n)\n\nfunc main() { $0 }\n",
        ],
        current: "cmd/shop/main.go",
        expected: ["internal/cart/cart.go"],
        notExpected: ["internal/cart/cart_test.go"]),
    ImportCase(
        name: "Rust mod and use crate::",
        files: [
            "Cargo.toml": "[package]\nname = \"shop\"\n",
            "src/main.rs": "mod cart;\nuse crate::billing::invoice::Invoice;\nfn main() { $0 }\n",
            "src/cart.rs": "pub struct Cart;\n",
            "src/billing/mod.rs": "pub mod invoice;\n",
            "src/billing/invoice.rs": "pub struct Invoice;\n",
        ],
        current: "src/main.rs",
        expected: ["src/cart.rs", "src/billing/invoice.rs"]),
    ImportCase(
        name: "C includes with quotes",
        files: [
            "include/shop/cart.h": "int cart_total(void);\n",
            "src/local.h": "#define LOCAL 1\n",
            "src/main.c": "#include <stdio.h>\n#include \"local.h\"\n#include \"shop/cart.h\"\nint main(void) { $0 }\n",
        ],
        current: "src/main.c",
        expected: ["src/local.h", "include/shop/cart.h"]),
    ImportCase(
        name: "Java and Kotlin packages",
        files: [
            "src/main/java/com/shop/cart/Cart.java": "package com.shop.cart;\npublic class Cart {}\n",
            "src/main/java/com/shop/util/Money.java": "package com.shop.util;\npublic class Money {}\n",
            "src/main/java/com/shop/util/Tax.java": "package com.shop.util;\npublic class Tax {}\n",
            "src/main/java/com/shop/App.java": "package com.shop;\nimport com.shop.cart.Cart;\nimport com.shop.util.*;\nimport java.util.List;\nclass App { $0 }\n",
        ],
        current: "src/main/java/com/shop/App.java",
        expected: ["src/main/java/com/shop/cart/Cart.java", "src/main/java/com/shop/util/Money.java", "src/main/java/com/shop/util/Tax.java"]),
    ImportCase(
        name: "Swift local modules under Sources/",
        files: [
            "Package.swift": "// swift-tools-version: 6.0\n",
            "Sources/Cart/Cart.swift": "public struct Cart {}\n",
            "Sources/Cart/Line.swift": "public struct Line {}\n",
            "Sources/App/main.swift": "import Foundation\nimport Cart\n$0\n",
            "Sources/App/Other.swift": "struct Other {}\n",
        ],
        current: "Sources/App/main.swift",
        expected: ["Sources/Cart/Cart.swift", "Sources/Cart/Line.swift"],
        notExpected: ["Sources/App/Other.swift"]),
    ImportCase(
        name: "Ruby require_relative",
        files: [
            "lib/cart.rb": "class Cart\nend\n",
            "bin/shop.rb": "require_relative '../lib/cart'\n$0\n",
        ],
        current: "bin/shop.rb",
        expected: ["lib/cart.rb"]),
]

@Test(arguments: importCases)
private func importedFilesAreIncluded(_ testCase: ImportCase) async throws {
    let fixture = try FixtureWorkspace(testCase.files)
    let text = try #require(testCase.files[testCase.current])
    let bundle = try await fixture.bundle(testCase.current, text: text)
    let imported = bundle.paths(.importedFile)
    #expect(Set(imported) == Set(testCase.expected), "\(testCase.name): \(imported)")
    for path in testCase.notExpected { #expect(!imported.contains(path), "\(testCase.name): \(path)") }
    for item in bundle.items(.importedFile) {
        #expect(item.reason.hasPrefix("imported by the current file"))
        #expect(!item.truncated)
    }
}

@Test func aLargeModuleContributesTheFilesThatDeclareWhatIsUsed() async throws {
    var files: [String: String] = ["Sources/App/main.swift": "import Big\nlet x = Needle()\n$0\n"]
    for number in 0..<12 { files["Sources/Big/File\(number).swift"] = "struct Filler\(number) {}\n" }
    files["Sources/Big/Zeta.swift"] = "struct Needle {}\n"
    let fixture = try FixtureWorkspace(files)
    var options = ContextOptions()
    options.maxFilesPerImport = 3
    let bundle = try await fixture.bundle("Sources/App/main.swift", text: files["Sources/App/main.swift"] ?? "", options: options)
    #expect(bundle.paths(.importedFile) == ["Sources/Big/Zeta.swift", "Sources/Big/File0.swift", "Sources/Big/File1.swift"])
    #expect(bundle.skipped.contains { $0.reason == .limitReached(limit: 3) && $0.path == "Big (10 more files)" })
}
