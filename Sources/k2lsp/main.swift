print("k2lsp")
