-- The k2lsp client of a buffer, requests to it, and LSP positions and ranges of the cursor and of selections.
local M = {}

local has_011 = vim.fn.has('nvim-0.11') == 1

--- The k2lsp client attached to a buffer, or nil (after telling the user what to do).
function M.get(bufnr, quiet)
  bufnr = bufnr == 0 and vim.api.nvim_get_current_buf() or bufnr or vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'k2lsp' })[1]
  if not client and not quiet then
    vim.notify(
      'k2lsp is not running for this buffer: call require("k2lsp").setup() and open a file of a configured'
        .. ' filetype (see :checkhealth k2lsp).',
      vim.log.levels.ERROR
    )
  end
  return client
end

--- Sends a request; the handler gets (err, result, ctx). Returns the request id, or nil.
function M.request(client, method, params, handler, bufnr)
  local ok, id
  if has_011 then
    ok, id = client:request(method, params, handler, bufnr)
  else
    ok, id = client.request(method, params, handler, bufnr)
  end
  return ok and id or nil
end

function M.cancel(client, id)
  if has_011 then
    client:cancel_request(id)
  else
    client.cancel_request(id)
  end
end

--- A path as the user reads it: relative to the workspace folder `root` when inside it, else to ~ or the cwd.
function M.relative(path, root)
  if root and vim.startswith(path, root .. '/') then
    return path:sub(#root + 2)
  end
  return vim.fn.fnamemodify(path, ':~:.')
end

local token_counter = 0

--- A fresh work-done progress token, so $/progress of this request can be told apart.
function M.progress_token(kind)
  token_counter = token_counter + 1
  return ('k2lsp-%s-%d'):format(kind, token_counter)
end

--- The LSP `character` of byte column `col` of a line, in the client's position encoding.
local function character(line, col, encoding)
  col = math.min(col, #line)
  if encoding == 'utf-8' then
    return col
  end
  if has_011 then
    return vim.str_utfindex(line, encoding, col, false)
  end
  local utf32, utf16 = vim.str_utfindex(line, col)
  return encoding == 'utf-16' and utf16 or utf32
end

--- The byte column of an LSP position (clamped to its line).
function M.byte_col(bufnr, position, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ''
  if encoding == 'utf-8' then
    return math.min(position.character, #line)
  end
  local ok, col
  if has_011 then
    ok, col = pcall(vim.str_byteindex, line, encoding, position.character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, position.character, encoding == 'utf-16')
  end
  return ok and math.min(col, #line) or #line
end

--- An LSP position for a 0-based row and byte column.
function M.position(bufnr, row, col, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  return { line = row, character = character(line, col, encoding) }
end

--- The text document identifier with the version Neovim last sent (a stale edit is then refused by k2lsp).
function M.text_document(bufnr)
  return { uri = vim.uri_from_bufnr(bufnr), version = vim.lsp.util.buf_versions[bufnr] }
end

--- The range a command works on. With a range from the command line (:'<,'>K2Edit): the last visual selection when
--- it covers those lines (characterwise for `v`, whole lines otherwise), else the lines. Without one: empty, at the
--- cursor. `command` is the table a user command receives.
function M.range(bufnr, command, encoding)
  if not command or command.range == 0 then
    local cursor = vim.api.nvim_win_get_cursor(0)
    local position = M.position(bufnr, cursor[1] - 1, cursor[2], encoding)
    return { start = position, ['end'] = position }
  end
  local first, last = command.line1, command.line2
  local start_mark, end_mark = vim.fn.getpos("'<"), vim.fn.getpos("'>")
  if vim.fn.visualmode() == 'v' and start_mark[2] == first and end_mark[2] == last then
    local end_line = vim.api.nvim_buf_get_lines(bufnr, last - 1, last, false)[1] or ''
    -- '> is the first byte of the last selected character; the range ends after that character.
    local end_col = #end_line
    if end_mark[3] <= #end_line then
      end_col = end_mark[3] + vim.str_utf_end(end_line, end_mark[3])
    end
    return {
      start = M.position(bufnr, first - 1, start_mark[3] - 1, encoding),
      ['end'] = M.position(bufnr, last - 1, end_col, encoding),
    }
  end
  -- Whole lines: up to the start of the next line (k2lsp clamps past the end of the document).
  return { start = { line = first - 1, character = 0 }, ['end'] = { line = last, character = 0 } }
end

return M
