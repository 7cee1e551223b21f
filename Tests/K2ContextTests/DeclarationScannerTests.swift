// Declaration patterns per language: which names a snippet declares, and where a declaration ends.
import Testing

@testable import K2Context
@testable import K2Workspace

private let declarationCases: [(language: SourceLanguage, source: String, names: [String])] = [
    (.swift, """
        @MainActor public final class Store {
            private(set) var count = 0
            public func add(_ x: Int) {}
            class func make() -> Store { Store() }
        }
        extension Store: Sendable {}
        let globalLimit = 3
        struct Point { let x: Int }
        """, ["Store", "add", "make", "Store", "globalLimit", "Point"]),
    (.python, """
        import os
        MAX_SIZE = 10
        class Parser(Base):
            async def parse(self):
                pass
        def helper(x):
            if x:
                return x
        else_value: int = 3
        """, ["MAX_SIZE", "Parser", "parse", "helper", "else_value"]),
    (.typescript, """
        export default class Widget {
          render(props) {
            someCall(arg, () => {
            if (ready) {
          }
        }
        export interface Props { a: number }
        export const makeWidget = () => new Widget()
        export async function load(url: string) {
        type Alias = string
        """, ["Widget", "render", "Props", "makeWidget", "load", "Alias"]),
    (.go, """
        package cart
        type Cart struct {
        func (c *Cart) Total() int {
        func New() *Cart {
        var defaultCart = New()
            x := compute()
        """, ["Cart", "Total", "New", "defaultCart"]),
    (.rust, """
        pub struct Cart;
        pub(crate) fn total(cart: &Cart) -> u32 {
        impl Display for Cart {
        const fn limit() -> u32 { 3 }
        macro_rules! shout {
        mod billing;
        """, ["Cart", "total", "Display", "limit", "shout", "billing"]),
    (.c, """
        #include "x.h"
        #define MAX_ITEMS 10
        struct cart;
        struct cart_line {
        static int cart_total(const struct cart *c)
        int main(void) {
            int x = compute(3);
            return helper(x);
        int prototype(int a);
        """, ["MAX_ITEMS", "cart_line", "cart_total", "main", "prototype"]),
    (.java, """
        public class Cart {
            private int count = 0;
            public static void main(String[] args) {
            public List<Item> items() {
                return helper(x);
            enum Kind { A, B }
        }
        """, ["Cart", "main", "items", "Kind"]),
    (.kotlin, """
        data class Line(val qty: Int)
        fun String.shout(): String = uppercase()
        object Registry {
        val limit = 3
        suspend fun load() {
        """, ["Line", "shout", "Registry", "limit", "load"]),
    (.ruby, """
        module Shop
          class Cart
            def self.build
            def total
        """, ["Shop", "Cart", "build", "total"]),
]

@Test func declarationsPerLanguage() {
    for (language, source, names) in declarationCases {
        let found = DeclarationScanner.declarations(in: source, language: language).map(\.name)
        #expect(found == names, "\(language)")
    }
}

@Test func declarationExtents() {
    let python = "def a():\n    x = 1\n\n    return x\n\ndef b():\n    pass\n"
    #expect(extent(of: "a", in: python, .python) == 0..<4)
    let swift = "let limit = 3\nfunc f() {\n    if x {\n    }\n}\nfunc g() {}\n"
    #expect(extent(of: "limit", in: swift, .swift) == 0..<1)
    #expect(extent(of: "f", in: swift, .swift) == 1..<5)
    #expect(extent(of: "g", in: swift, .swift) == 5..<6)
    let c = "static int total(int a,\n                 int b)\n{\n    return a + b; // }\n}\nint other;\n"
    #expect(extent(of: "total", in: c, .c) == 0..<5)
    let ruby = "class Cart\n  def total\n    1\n  end\nend\n"
    #expect(extent(of: "total", in: ruby, .ruby) == 1..<4)
}

private func extent(of name: String, in text: String, _ language: SourceLanguage) -> Range<Int>? {
    guard let declaration = DeclarationScanner.declarations(in: text, language: language).first(where: { $0.name == name }) else {
        return nil
    }
    return DeclarationExtent.lines(of: declaration, in: TextLines(text), language: language, maxLines: 60)
}

@Test func importStatementsPerLanguage() {
    let cases: [(SourceLanguage, String, [String])] = [
        (.swift, "@testable import K2Context\nimport struct Foundation.Date\nlet x = 1\n", ["K2Context", "Foundation"]),
        (.python, "import os, sys as system\nfrom ..pkg.mod import (a, b)\nfrom . import c\n", ["os", "sys", "pkg.mod", ""]),
        (.javascript, "import a from './a'\nconst b = require(\"../b\")\nexport * from './c'\nimport 'lodash'\n", ["./a", "../b", "./c"]),
        (.go, "import \"fmt\"\nimport (\n\talias \"x/y\"\n\t\"z\"\n)\n", ["fmt", "x/y", "z"]),
        (.rust, "mod a;\npub mod b;\nmod c {\nuse crate::x::{Y, Z};\nuse std::io;\n", ["a", "b", "crate::x"]),
        (.c, "#include \"a.h\"\n#  include <stdio.h>\n#import \"b.h\"\n", ["a.h", "b.h"]),
        (.java, "import a.b.C;\nimport static a.b.D.e;\nimport a.f.*;\n", ["a.b.C", "a.b.D.e", "a.f"]),
        (.ruby, "require_relative 'lib/x'\nrequire 'json'\n", ["./lib/x.rb"]),
    ]
    for (language, text, targets) in cases {
        #expect(ImportScanner.imports(in: text, language: language).map(\.target) == targets, "\(language)")
    }
}

@Test func identifiersNearTheCursorComeNearestFirst() {
    let text = "alpha beta gamma\ndelta alpha if for 0x1F value\n"
    let names = IdentifierScanner.identifiers(in: text, nearestTo: 24, excludingHashes: [NameHash.of("beta")])
    #expect(names == ["alpha", "delta", "gamma"])
}

@Test func lineStartsMatchTheLineIndex() {
    let texts = [
        "", "a", "a\n", "a\nb", "\n\n", String(repeating: "line of text\n", count: 40) + "tail",
        "x\r\ny\rz\n", String(repeating: "0123456789abcdef", count: 3) + "\n" + String(repeating: "q", count: 17) + "\n",
    ]
    for text in texts {
        let lines = TextLines(text)
        let index = LineIndex(text)
        #expect(lines.starts == index.lineStarts, "\(text.debugDescription)")
        for line in 0..<index.lineCount {
            #expect(lines.contentEndOffset(line) == index.lineContentEnds[line], "\(text.debugDescription) line \(line)")
        }
    }
}

@Test func languagesFromPaths() {
    let cases: [(String, SourceLanguage)] = [
        ("a/b/c.py", .python), ("x.TSX", .typescript), ("README", .text), ("docs/Readme.md", .markdown), ("readme", .text),
        ("Makefile", .other), (".gitignore", .other), ("dir.d/file", .other), ("a.b/c.go", .go), ("archive.tar.gz", .other),
        ("src/main.rs", .rust), ("include/x.hpp", .cpp),
    ]
    for (path, language) in cases { #expect(SourceLanguage(path: path) == language, "\(path)") }
}
