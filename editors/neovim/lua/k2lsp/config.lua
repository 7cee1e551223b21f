-- The plugin's options: defaults, and what require('k2lsp').setup() was given.
local M = {}

M.defaults = {
  -- The k2lsp executable (used for the server, :K2Doctor and :checkhealth k2lsp).
  binary = 'k2lsp',
  -- The server command; default { binary, 'serve' }. Add '--log-file', '/tmp/k2lsp.log' to debug.
  cmd = nil,
  -- Extra environment for the server and :K2Doctor, e.g. { K2_PROFILE = 'pro' }. The key itself belongs in the
  -- environment Neovim starts in, not in your config.
  cmd_env = nil,
  -- Filetypes to start k2lsp for; { '*' } for every file buffer.
  filetypes = {
    'c', 'cpp', 'cs', 'css', 'dart', 'elixir', 'go', 'haskell', 'html', 'java', 'javascript',
    'javascriptreact', 'json', 'kotlin', 'lua', 'markdown', 'ocaml', 'php', 'python', 'ruby', 'rust',
    'scala', 'sh', 'sql', 'swift', 'toml', 'typescript', 'typescriptreact', 'vue', 'yaml', 'zig',
  },
  -- The workspace folder is the nearest folder above the file holding one of these; else the file's folder.
  root_markers = { '.k2lsp.yaml', '.git' },
  -- k2lsp configuration (profile, completion, agent, ...), sent as initializationOptions. See protocol-docs.
  settings = {},
  -- Show every edit as a diff to accept or reject before anything changes.
  preview = true,
  inline_completion = {
    enabled = true,
    -- 'auto': Neovim's own vim.lsp.inline_completion on 0.12+, the plugin's extmark ghost text before that.
    -- 'fallback': always the plugin's ghost text.
    mode = 'auto',
    -- Milliseconds of quiet typing before the plugin's ghost text asks K2 (the native one has its own delay).
    debounce_ms = 150,
    -- Insert-mode keys; false for none. accept falls back to the key itself when no suggestion is shown.
    keymaps = { accept = '<Tab>', dismiss = '<C-]>', next = '<M-]>', prev = '<M-[>' },
  },
}

M.options = vim.deepcopy(M.defaults)

function M.set(options)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), options or {})
  return M.options
end

--- The server command line.
function M.command()
  return M.options.cmd or { M.options.binary, 'serve' }
end

--- Whether buffers of this filetype get k2lsp.
function M.wants_filetype(filetype)
  for _, wanted in ipairs(M.options.filetypes) do
    if wanted == '*' or wanted == filetype then
      return true
    end
  end
  return false
end

return M
