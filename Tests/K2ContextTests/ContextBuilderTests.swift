// The builder's promises: unsaved buffers win, ignored and secret files never appear, the budget holds, the order is stable.
import Testing

@testable import K2Context
@testable import K2Workspace

private let shopFiles: [String: String] = [
    "AGENTS.md": "# Notes\nRun `make test` before committing. NOTES_MARKER\n",
    "README.md": String(repeating: "A very long readme line about the project.\n", count: 400),
    "shop/cart.py": "from .pricing import price_of\nfrom .generated import schema\nfrom . import vault\n\nclass Cart:\n    def total(self):\n        $0return sum(price_of(item) for item in self.items) + apply_discount(self)\n",
    "shop/pricing.py": "DISK_VERSION_MARKER = 1\n\ndef price_of(item):\n    return item.price\n",
    "shop/discounts.py": "import math\n\ndef apply_discount(cart):\n    return DISCOUNT_BODY_MARKER\n\ndef unrelated():\n    return 0\n",
    "shop/generated.py": "IGNORED_MARKER = 1\n",
    "shop/vault.py": "K2IGNORED_MARKER = 1\n",
    "shop/.env": "API_KEY=SECRET_ENV_MARKER\n",
    "shop/credentials.json": "{\"token\": \"SECRET_JSON_MARKER\"}\n",
    "shop/helpers.py": "def shared():\n    return SECRET_NAME_ONLY_IN_IGNORED\n",
    "build/out.py": "def apply_discount(cart):\n    return BUILD_OUTPUT_MARKER\n",
    ".gitignore": "generated.py\n",
    ".k2ignore": "shop/vault.py\n",
]

private let neverSent = [
    "IGNORED_MARKER", "K2IGNORED_MARKER", "SECRET_ENV_MARKER", "SECRET_JSON_MARKER", "BUILD_OUTPUT_MARKER",
]

@Test func unsavedBuffersWinOverDisk() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let current = try #require(shopFiles["shop/cart.py"]) + "# BUFFER_ONLY_MARKER\n"
    let bundle = try await fixture.bundle(
        "shop/cart.py", text: current, open: ["shop/pricing.py": "BUFFER_VERSION_MARKER = 2\n\ndef price_of(item):\n    return 0\n"])
    let prompt = bundle.renderPrompt()
    #expect(prompt.contains("BUFFER_ONLY_MARKER"))
    #expect(prompt.contains("BUFFER_VERSION_MARKER"))
    #expect(!prompt.contains("DISK_VERSION_MARKER"))
    #expect(bundle.paths(.importedFile).contains("shop/pricing.py"))
}

@Test func ignoredAndSecretFilesAreNeverInAnyBundle() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let index = await fixture.index()
    let current = try #require(shopFiles["shop/cart.py"])
    var bundles: [ContextBundle] = []
    for task in ContextTask.allCases {
        bundles.append(try await fixture.bundle("shop/cart.py", text: current, task: task, index: index))
    }
    // Secret and ignored files open in the editor, edited recently, or named in the text near the cursor.
    let open = ["shop/.env": "API_KEY=SECRET_ENV_MARKER\n", "shop/generated.py": "IGNORED_MARKER = 1\n", "shop/vault.py": "K2IGNORED_MARKER = 1\n"]
    bundles.append(
        try await fixture.bundle(
            "shop/cart.py", text: current + "schema vault generated SECRET_NAME_ONLY_IN_IGNORED\n", open: open,
            recentlyEdited: ["shop/credentials.json", "shop/generated.py"], index: index))
    for bundle in bundles {
        let prompt = bundle.renderPrompt()
        for marker in neverSent { #expect(!prompt.contains(marker), "\(marker) in a \(bundle.task) bundle") }
        for item in bundle.items { #expect(!neverSent.contains { item.text.contains($0) }) }
    }
    let last = try #require(bundles.last)
    let reasons = Dictionary(last.skipped.map { ("\($0.source.rawValue) \($0.path)", $0.reason.code) }, uniquingKeysWith: { first, _ in first })
    #expect(reasons["imported-file shop/generated.py"] == "ignored")
    #expect(reasons["imported-file shop/vault.py"] == "ignored")
    #expect(reasons["open-document shop/.env"] == "secret")
    #expect(reasons["open-document shop/vault.py"] == "ignored")
    #expect(reasons["recently-edited shop/credentials.json"] == "secret")
}

@Test func aSecretOrAssistantIgnoredCurrentDocumentIsRefused() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let index = await fixture.index()
    let secret = try await fixture.bundle("shop/.env", text: "API_KEY=SECRET_ENV_MARKER$0\n", index: index)
    #expect(secret.cursorRegion == nil)
    #expect(!secret.renderPrompt().contains("SECRET_ENV_MARKER"))
    #expect(secret.skipped.first?.reason == .secret(pattern: ".env"))
    let ignored = try await fixture.bundle("shop/vault.py", text: "K2IGNORED_MARKER = 1$0\n", index: index)
    #expect(ignored.cursorRegion == nil)
    #expect(ignored.skipped.first?.reason.code == "ignored")
    // A file ignored only by git is the user's explicit choice: it may be worked on.
    let gitIgnored = try await fixture.bundle("shop/generated.py", text: "IGNORED_MARKER = 1$0\n", index: index)
    #expect(gitIgnored.cursorRegion != nil)
}

@Test func keysInTheBufferAreRedacted() async throws {
    let fixture = try FixtureWorkspace(["app.py": ""])
    let text = "import os\nOPENAI_KEY = \"sk-abcdefghij0123456789KLMNOP\"\n$0print(1)\n"
    let bundle = try await fixture.bundle("app.py", text: text)
    let prompt = bundle.renderPrompt()
    #expect(!prompt.contains("sk-abcdefghij0123456789KLMNOP"))
    #expect(prompt.contains(SecretPolicy.redactionMarker))
    #expect(bundle.items(.cursorRegion).first?.redactedLineCount == 1)
}

@Test func theBudgetHoldsForATinyWindow() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    var options = ContextOptions(contextWindow: 1_200, replyMaxTokens: 200, fixedPromptTokens: 100)
    options.cursorRegionLines = 3
    let current = try #require(shopFiles["shop/cart.py"]) + String(repeating: "# filler line to make the file longer\n", count: 200)
    let bundle = try await fixture.bundle("shop/cart.py", text: current, options: options)
    #expect(bundle.budgetTokens == 900)
    #expect(bundle.usedTokens <= bundle.budgetTokens)
    #expect(bundle.usedTokens == bundle.items.reduce(0) { $0 + $1.tokens })
    #expect(bundle.items.contains { $0.source == .cursorRegion })
    #expect(bundle.skipped.contains { $0.reason.code == "over-budget" || $0.reason.code == "too-long" })
    // Every item is whole lines of its source.
    for item in bundle.items where item.source != .repoMap && item.source != .cursorRegion {
        #expect(item.text.isEmpty || item.text.hasSuffix("\n"), "\(item.path) ends mid-line")
    }
    // Re-estimating the rendered items gives the same total: the bookkeeping matches the text.
    let estimated = bundle.items.reduce(0) { $0 + TokenRates.k2Default.estimate($1.rendered, kind: $1.language.textKind) }
    #expect(estimated == bundle.usedTokens)
}

@Test func aBudgetOfZeroHoldsNothing() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let options = ContextOptions(contextWindow: 100, replyMaxTokens: 100, fixedPromptTokens: 0)
    let bundle = try await fixture.bundle("shop/cart.py", text: try #require(shopFiles["shop/cart.py"]), options: options)
    #expect(bundle.items.isEmpty)
    #expect(bundle.usedTokens == 0)
    #expect(bundle.cursorRegion == nil)
    #expect(bundle.skipped.contains { $0.source == .cursorRegion && $0.reason.code == "selection-too-large" })
}

@Test func identicalRequestsRenderIdenticalPrompts() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let index = await fixture.index()
    let current = try #require(shopFiles["shop/cart.py"])
    let first = try await fixture.bundle("shop/cart.py", text: current, index: index).renderPrompt()
    let second = try await fixture.bundle("shop/cart.py", text: current, index: index).renderPrompt()
    #expect(Array(first.utf8) == Array(second.utf8))
}

/// The prefix stays put when the cursor moves, with the whole window and with a budget tight enough that the
/// current file must be cut (its window then moves with the cursor).
@Test(arguments: [nil, 3_000] as [Int?])
func movingTheCursorKeepsTheStablePrefix(maxContextTokens: Int?) async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let index = await fixture.index()
    let options = ContextOptions(maxContextTokens: maxContextTokens)
    let filler = String(repeating: "# a long comment line that makes the current file larger than the budget\n", count: 300)
    let current = try #require(shopFiles["shop/cart.py"]) + filler
    let moved = current.replacingOccurrences(of: "$0", with: "") + "$0"
    let first = try await fixture.bundle("shop/cart.py", text: current, options: options, index: index)
    let second = try await fixture.bundle("shop/cart.py", text: moved, options: options, index: index)
    let stable: Set<ContextSource> = [.projectNotes, .repoMap, .importedFile]
    let firstPrefix = first.items.prefix { stable.contains($0.source) }.map(\.rendered).joined()
    let secondPrefix = second.items.prefix { stable.contains($0.source) }.map(\.rendered).joined()
    #expect(first.items.contains { $0.source == .repoMap } && first.items.contains { $0.source == .importedFile })
    #expect(firstPrefix == secondPrefix)
    #expect(second.renderPrompt().hasPrefix(ContextPromptFormat.preamble + firstPrefix))
    #expect(first.items.last?.source == .cursorRegion)
    #expect(first.items.map(\.source.promptRank) == first.items.map(\.source.promptRank).sorted())
    #expect(first.usedTokens <= first.budgetTokens && second.usedTokens <= second.budgetTokens)
}

@Test func definitionsOfNamesNearTheCursorAreIncluded() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let bundle = try await fixture.bundle("shop/cart.py", text: try #require(shopFiles["shop/cart.py"]))
    let definitions = bundle.items(.symbolDefinition)
    let discount = try #require(definitions.first { $0.symbol == "apply_discount" })
    #expect(discount.path == "shop/discounts.py")
    #expect(discount.lineRange == 2..<4)
    #expect(discount.text == "def apply_discount(cart):\n    return DISCOUNT_BODY_MARKER\n")
    #expect(!bundle.renderPrompt().contains("BUILD_OUTPUT_MARKER"))
}

@Test func projectNotesWhenShortAndARepoMap() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let bundle = try await fixture.bundle("shop/cart.py", text: try #require(shopFiles["shop/cart.py"]))
    #expect(bundle.paths(.projectNotes) == ["AGENTS.md"])
    #expect(bundle.skipped.contains { $0.path == "README.md" && $0.reason.code == "too-long" })
    let maps = bundle.items(.repoMap)
    #expect(maps.map(\.path) == ["file tree", "declarations in related files"])
    let tree = try #require(maps.first?.text)
    #expect(tree.contains("shop/\n  cart.py\n  discounts.py\n  helpers.py\n  pricing.py\n"))
    #expect(!tree.contains(".env") && !tree.contains("generated.py") && !tree.contains("build/"))
    let outline = try #require(maps.last?.text)
    #expect(outline.contains("shop/discounts.py\n  3: def apply_discount(cart):\n"))
}

@Test func theCursorRegionCarriesMarkersAndParts() async throws {
    let fixture = try FixtureWorkspace(["a.py": ""])
    let cursor = try await fixture.bundle("a.py", text: "x = 1\ny = $0x + 1\nz = 3\n")
    let region = try #require(cursor.cursorRegion)
    #expect(region.prefix == "x = 1\ny = ")
    #expect(region.suffix == "x + 1\nz = 3\n")
    #expect(cursor.items(.cursorRegion).first?.text == "x = 1\ny = <<CURSOR>>x + 1\nz = 3\n")
    let selection = try await fixture.bundle("a.py", text: "x = 1\ny = $0x + 1$0\nz = 3\n")
    #expect(selection.cursorRegion?.selectedText == "x + 1")
    #expect(selection.items(.cursorRegion).first?.text == "x = 1\ny = <<SELECTION>>x + 1<</SELECTION>>\nz = 3\n")
    #expect(selection.items(.cursorRegion).first?.rendered.contains("the selection is between") == true)
}

@Test func theReportListsItemsAndSkips() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let bundle = try await fixture.bundle("shop/cart.py", text: try #require(shopFiles["shop/cart.py"]))
    let report = bundle.renderReport()
    #expect(report.hasPrefix("Context for shop/cart.py:7 (task: edit)\nBudget: 251,904 tokens (window 262,144 - reply 8,192 - prompt 2,048)"))
    #expect(report.contains("imported-file"))
    #expect(report.contains("shop/pricing.py"))
    #expect(report.contains("Skipped:\n"))
    #expect(report.contains("ignored by .gitignore:1 (`generated.py`)"))
}

@Test func aSelectionTooLargeForTheBudgetIsRefusedWithAReason() async throws {
    let fixture = try FixtureWorkspace(["a.py": ""])
    let text = "$0" + String(repeating: "value = compute(1, 2, 3)\n", count: 400) + "$0"
    let bundle = try await fixture.bundle("a.py", text: text, options: ContextOptions(contextWindow: 2_000, replyMaxTokens: 500, fixedPromptTokens: 500))
    #expect(bundle.cursorRegion == nil)
    #expect(bundle.skipped.contains { $0.reason.code == "selection-too-large" })
}

@Test func aDocumentOutsideTheWorkspaceStillGetsItsCursorRegion() async throws {
    let fixture = try FixtureWorkspace(["a.py": "x = 1\n"])
    let outside = try FixtureWorkspace([:])
    let index = await fixture.index()
    let (document, selection) = outside.document("notes.py", text: "import a\ny = $01\n")
    let request = ContextRequest(document: document, selection: selection, task: .explain, openDocuments: [document])
    let bundle = try await ContextBuilder(index: index).build(request)
    #expect(bundle.cursorRegion?.prefix == "import a\ny = ")
    #expect(bundle.items(.importedFile).isEmpty)
    #expect(bundle.documentPath == outside.root + "/notes.py")
}

@Test func severalRootsArePrefixedWithTheirNames() async throws {
    let first = try FixtureWorkspace(["lib/util.py": "def helper():\n    pass\n"])
    let second = try FixtureWorkspace(["app/main.py": "from lib.util import helper\nhelper()$0\n"])
    let index = WorkspaceIndex(roots: [first.root, second.root])
    await index.startIndexing()
    await index.waitUntilSymbolsIndexed()
    let (document, selection) = second.document("app/main.py", text: "import os\nhelper()$0\n")
    let request = ContextRequest(document: document, selection: selection, task: .edit, openDocuments: [document])
    let bundle = try await ContextBuilder(index: index).build(request)
    let secondName = String(second.root.split(separator: "/").last ?? "")
    let firstName = String(first.root.split(separator: "/").last ?? "")
    #expect(bundle.documentPath == secondName + "/app/main.py")
    #expect(bundle.items(.symbolDefinition).map(\.path) == [firstName + "/lib/util.py"])
    #expect(bundle.items(.repoMap).first?.text.contains(firstName + "/\n") == true)
}

@Test func aRequestBeforeIndexingStillFindsLocalImportsOnDisk() async throws {
    let fixture = try FixtureWorkspace(shopFiles)
    let index = WorkspaceIndex(roots: [fixture.root])
    let bundle = try await fixture.bundle("shop/cart.py", text: try #require(shopFiles["shop/cart.py"]), index: index)
    #expect(bundle.paths(.importedFile) == ["shop/pricing.py"])
    #expect(bundle.skipped.contains { $0.path == "shop/generated.py" && $0.reason.code == "ignored" })
    #expect(!bundle.index.isListingComplete)
    for marker in neverSent { #expect(!bundle.renderPrompt().contains(marker)) }
}
