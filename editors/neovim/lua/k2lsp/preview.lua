-- The edit preview: a WorkspaceEdit shown as one diff per file, applied only when the user accepts it.
local client_util = require('k2lsp.client')
local config = require('k2lsp.config')

local M = {}

local diff = (vim.text and vim.text.diff) or vim.diff

--- The preview waiting for an answer (one at a time): { edit, client, files, buf, win, origin_win, title }.
M.pending = nil

local function path_of(uri)
  return vim.uri_to_fname(uri)
end

--- The lines of a file as the user has it now: its buffer when loaded, else the file on disk, else none.
local function current_lines(path)
  local bufnr = vim.fn.bufnr(path)
  if bufnr ~= -1 and vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), bufnr
  end
  if vim.fn.filereadable(path) == 1 then
    local lines = vim.fn.readfile(path)
    -- A CRLF file read raw: drop the CRs as a dos buffer would.
    local all_crlf = #lines > 0
    for _, line in ipairs(lines) do
      if line:sub(-1) ~= '\r' then
        all_crlf = false
        break
      end
    end
    if all_crlf then
      for index, line in ipairs(lines) do
        lines[index] = line:sub(1, -2)
      end
    end
    return lines, nil
  end
  return {}, nil
end

--- The lines after applying `edits`, computed on a scratch copy (Neovim's own edit code, so encodings match).
local function edited_lines(lines, edits, encoding)
  local scratch = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(scratch, 0, -1, false, lines)
  vim.lsp.util.apply_text_edits(vim.deepcopy(edits), scratch, encoding)
  local result = vim.api.nvim_buf_get_lines(scratch, 0, -1, false)
  vim.api.nvim_buf_delete(scratch, { force = true })
  return result
end

--- The files a WorkspaceEdit touches, in order: { uri, path, edits = TextEdit[], created = bool, note = string? }.
local function files_of(edit)
  local files, by_uri = {}, {}
  local function file(uri)
    if not by_uri[uri] then
      by_uri[uri] = { uri = uri, path = path_of(uri), edits = {}, versions = {} }
      table.insert(files, by_uri[uri])
    end
    return by_uri[uri]
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.kind == 'create' then
      file(change.uri).created = true
    elseif change.kind == 'rename' then
      file(change.oldUri).note = 'renamed to ' .. client_util.relative(path_of(change.newUri), nil)
    elseif change.kind == 'delete' then
      file(change.uri).note = 'deleted'
    else
      local entry = file(change.textDocument.uri)
      vim.list_extend(entry.edits, change.edits)
    end
  end
  for uri, edits in pairs(edit.changes or {}) do
    vim.list_extend(file(uri).edits, edits)
  end
  return files
end

--- The unified diff of every file, as lines.
local function diff_lines(files, encoding, root)
  local lines = {}
  for _, entry in ipairs(files) do
    local name = client_util.relative(entry.path, root)
    local old = entry.created and {} or entry.before
    local new = edited_lines(old, entry.edits, encoding)
    if entry.note then
      table.insert(lines, '# ' .. name .. ' is ' .. entry.note)
    end
    local text = diff(table.concat(old, '\n') .. '\n', table.concat(new, '\n') .. '\n', {
      result_type = 'unified',
      ctxlen = 3,
    })
    if text ~= '' then
      table.insert(lines, entry.created and '--- /dev/null' or ('--- a/' .. name))
      table.insert(lines, '+++ b/' .. name)
      vim.list_extend(lines, vim.split(text, '\n', { plain = true, trimempty = true }))
    elseif not entry.note then
      table.insert(lines, '# no change')
    end
  end
  return lines
end

local function close(preview)
  if preview.win and vim.api.nvim_win_is_valid(preview.win) then
    vim.api.nvim_win_close(preview.win, true)
  end
  if preview.buf and vim.api.nvim_buf_is_valid(preview.buf) then
    vim.api.nvim_buf_delete(preview.buf, { force = true })
  end
  if preview.origin_win and vim.api.nvim_win_is_valid(preview.origin_win) then
    vim.api.nvim_set_current_win(preview.origin_win)
  end
end

--- Applies a WorkspaceEdit as Neovim does for any server.
local function apply(edit, client)
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
end

--- Applies the pending edit, unless a file it changes was changed after the diff was made (then nothing is applied).
function M.accept()
  local preview = M.pending
  if not preview then
    vim.notify('K2: no edit is waiting for review.', vim.log.levels.WARN)
    return false
  end
  M.pending = nil
  close(preview)
  for _, entry in ipairs(preview.files) do
    if not entry.created and not vim.deep_equal(current_lines(entry.path), entry.before) then
      vim.notify(
        ('K2: %s changed after K2 made this edit, so nothing was applied. Run the command again.'):format(
          client_util.relative(entry.path, preview.root)
        ),
        vim.log.levels.ERROR
      )
      if preview.on_done then
        preview.on_done(false)
      end
      return false
    end
  end
  apply(preview.edit, preview.client)
  vim.notify(('%s: applied to %d file(s).'):format(preview.title, #preview.files), vim.log.levels.INFO)
  if preview.on_done then
    preview.on_done(true)
  end
  return true
end

--- Throws the pending edit away; nothing changes.
function M.reject()
  local preview = M.pending
  if not preview then
    return false
  end
  M.pending = nil
  close(preview)
  vim.notify(preview.title .. ': edit rejected, nothing changed.', vim.log.levels.INFO)
  if preview.on_done then
    preview.on_done(false)
  end
  return true
end

--- Shows `edit` for review (or applies it at once when previews are off). `options`: title, summary, on_done(applied).
function M.show(client, edit, options)
  options = options or {}
  local title = options.title or 'K2'
  local files = files_of(edit or {})
  if #files == 0 then
    vim.notify(title .. ': K2 suggested no change.' .. (options.summary and (' ' .. options.summary) or ''))
    return
  end
  if not config.options.preview then
    apply(edit, client)
    if options.on_done then
      options.on_done(true)
    end
    return
  end
  if M.pending then
    M.reject()
  end
  for _, entry in ipairs(files) do
    entry.before = current_lines(entry.path)
  end
  local root = client.config and client.config.root_dir
  local lines = diff_lines(files, client.offset_encoding, root)
  if options.summary and options.summary ~= '' then
    table.insert(lines, 1, '# ' .. options.summary:gsub('\n', ' '))
  end

  local origin_win = vim.api.nvim_get_current_win()
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].filetype = 'diff'
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  pcall(vim.api.nvim_buf_set_name, buf, 'k2lsp://preview')
  vim.cmd('botright split')
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  vim.wo[win].winbar = ('%s — %d file(s)   a: apply   r / q: reject'):format(title, #files):gsub('%%', '%%%%')
  local function map(lhs, fn, desc)
    vim.keymap.set('n', lhs, fn, { buffer = buf, nowait = true, desc = desc })
  end
  map('a', M.accept, 'Apply this K2 edit')
  map('r', M.reject, 'Reject this K2 edit')
  map('q', M.reject, 'Reject this K2 edit')
  M.pending = {
    edit = edit,
    client = client,
    files = files,
    buf = buf,
    win = win,
    origin_win = origin_win,
    title = title,
    root = root,
    on_done = options.on_done,
  }
  -- Closing the window any other way rejects the edit.
  vim.api.nvim_create_autocmd('BufWipeout', {
    buffer = buf,
    once = true,
    callback = function()
      if M.pending and M.pending.buf == buf then
        vim.schedule(M.reject)
      end
    end,
  })
end

return M
