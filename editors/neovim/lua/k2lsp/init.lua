-- The k2lsp plugin: require('k2lsp').setup(options) starts `k2lsp serve` for the configured filetypes.
local config = require('k2lsp.config')

local M = {}

local group = vim.api.nvim_create_augroup('k2lsp', { clear = true })

--- Starts (or reuses) the k2lsp client for a buffer. Returns the client id, or nil when the buffer is not a file.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].buftype ~= '' or name == '' then
    return nil
  end
  local options = config.options
  local root = vim.fs.root(bufnr, options.root_markers) or vim.fs.dirname(vim.fs.normalize(name))
  -- vim.lsp.util.apply_workspace_edit handles versioned documentChanges and file creation, which Neovim does not
  -- advertise by default; with them k2lsp's edits carry document versions and new files (tests) are created.
  local capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), {
    workspace = { workspaceEdit = { documentChanges = true, resourceOperations = { 'create', 'rename', 'delete' } } },
  })
  return vim.lsp.start({
    name = 'k2lsp',
    cmd = config.command(),
    cmd_env = options.cmd_env,
    root_dir = root,
    capabilities = capabilities,
    -- An empty Lua table would go out as a JSON array.
    init_options = next(options.settings or {}) and options.settings or nil,
    handlers = { ['k2/toolCall'] = require('k2lsp.agent').on_tool_call },
  }, { bufnr = bufnr })
end

function M.setup(options)
  config.set(options)
  vim.api.nvim_clear_autocmds({ group = group })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    callback = function(event)
      if config.wants_filetype(event.match) then
        M.start(event.buf)
      end
    end,
  })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      if client and client.name == 'k2lsp' then
        require('k2lsp.ghost').attach(event.buf, client)
      end
    end,
  })
  require('k2lsp.progress').setup(group)
  -- Buffers opened before setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and config.wants_filetype(vim.bo[bufnr].filetype) and vim.bo[bufnr].filetype ~= '' then
      M.start(bufnr)
    end
  end
end

--- For 'statusline': what K2 is doing now ("K2: edit · Waiting for K2: …"), or ''.
function M.statusline()
  return require('k2lsp.progress').statusline()
end

--- Accepts the shown ghost text; false when there is none (for your own mappings).
function M.accept()
  return require('k2lsp.ghost').accept()
end

return M
