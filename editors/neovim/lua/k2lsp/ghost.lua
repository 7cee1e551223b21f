-- Ghost text: Neovim's own vim.lsp.inline_completion where it exists (0.12+), else extmarks the plugin draws from
-- textDocument/inlineCompletion, with accept / dismiss / next / previous keys in insert mode.
local client_util = require('k2lsp.client')
local config = require('k2lsp.config')

local M = {}

M.namespace = vim.api.nvim_create_namespace('k2lsp.ghost')

--- Per buffer: { client_id, timer, request_id, items, index, row, col, tick, dismissed_tick }.
local state = {}

function M.native_available()
  return vim.lsp.inline_completion ~= nil and vim.lsp.inline_completion.get ~= nil
end

--- Whether this buffer uses Neovim's own inline completion.
local function uses_native()
  local mode = config.options.inline_completion.mode
  return mode ~= 'fallback' and M.native_available()
end

local function hide(bufnr)
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, M.namespace, 0, -1)
  end
end

local function stop_timer(buffer_state)
  if buffer_state.timer then
    buffer_state.timer:stop()
    buffer_state.timer:close()
    buffer_state.timer = nil
  end
end

local function cancel_request(bufnr)
  local buffer_state = state[bufnr]
  if buffer_state and buffer_state.request_id then
    local client = vim.lsp.get_client_by_id(buffer_state.client_id)
    if client then
      client_util.cancel(client, buffer_state.request_id)
    end
    buffer_state.request_id = nil
  end
end

--- Clears the suggestion and any request for it.
local function clear(bufnr)
  local buffer_state = state[bufnr]
  if not buffer_state then
    return
  end
  stop_timer(buffer_state)
  cancel_request(bufnr)
  buffer_state.items = nil
  hide(bufnr)
end

local function item_text(item)
  local text = item.insertText
  if type(text) == 'table' then
    text = text.value or ''
  end
  return text or ''
end

--- The byte range an item replaces: its range, or the cursor where it was asked for.
local function item_range(bufnr, buffer_state, item)
  if not item.range then
    return buffer_state.row, buffer_state.col, buffer_state.row, buffer_state.col
  end
  local client = vim.lsp.get_client_by_id(buffer_state.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local function bytes(position)
    return position.line, client_util.byte_col(bufnr, position, encoding)
  end
  local start_row, start_col = bytes(item.range.start)
  local end_row, end_col = bytes(item.range['end'])
  return start_row, start_col, end_row, end_col
end

--- Draws the current item after the cursor: the first line inline, the rest as virtual lines below.
local function show(bufnr)
  local buffer_state = state[bufnr]
  hide(bufnr)
  local item = buffer_state.items and buffer_state.items[buffer_state.index]
  if not item then
    return
  end
  local lines = vim.split(item_text(item), '\n', { plain = true })
  local start_row, start_col = item_range(bufnr, buffer_state, item)
  -- Text the item repeats before the cursor (its range may start earlier) is already in the buffer.
  if start_row == buffer_state.row and start_col < buffer_state.col then
    lines[1] = lines[1]:sub(buffer_state.col - start_col + 1)
  end
  local virt_lines = {}
  for index = 2, #lines do
    table.insert(virt_lines, { { lines[index], 'K2lspGhost' } })
  end
  local hint = #buffer_state.items > 1 and (' (%d/%d)'):format(buffer_state.index, #buffer_state.items) or nil
  local virt_text = { { lines[1], 'K2lspGhost' } }
  if hint then
    table.insert(#virt_lines > 0 and virt_lines[#virt_lines] or virt_text, { hint, 'K2lspGhostHint' })
  end
  vim.api.nvim_buf_set_extmark(bufnr, M.namespace, buffer_state.row, buffer_state.col, {
    virt_text = virt_text,
    virt_text_pos = 'inline',
    virt_lines = #virt_lines > 0 and virt_lines or nil,
    hl_mode = 'combine',
  })
end

--- Whether the cursor and the text are still where the suggestion was asked for.
local function still_there(bufnr, buffer_state)
  if vim.api.nvim_get_current_buf() ~= bufnr or not vim.startswith(vim.api.nvim_get_mode().mode, 'i') then
    return false
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  return cursor[1] - 1 == buffer_state.row
    and cursor[2] == buffer_state.col
    and vim.api.nvim_buf_get_changedtick(bufnr) == buffer_state.tick
end

--- Asks k2lsp for a suggestion at the cursor. `kind`: 1 invoked (a key), 2 automatic (typing).
local function request(bufnr, kind)
  local buffer_state = state[bufnr]
  local client = buffer_state and vim.lsp.get_client_by_id(buffer_state.client_id)
  if not client then
    return
  end
  cancel_request(bufnr)
  local cursor = vim.api.nvim_win_get_cursor(0)
  buffer_state.row, buffer_state.col = cursor[1] - 1, cursor[2]
  buffer_state.tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = client_util.position(bufnr, buffer_state.row, buffer_state.col, client.offset_encoding),
    context = { triggerKind = kind },
  }
  local id
  id = client_util.request(client, 'textDocument/inlineCompletion', params, function(err, result)
    if buffer_state.request_id == id then
      buffer_state.request_id = nil
    end
    if err or not result or not still_there(bufnr, buffer_state) then
      return
    end
    local items = vim.tbl_filter(function(item)
      return item_text(item) ~= ''
    end, result.items or result)
    buffer_state.items = #items > 0 and items or nil
    buffer_state.index = 1
    show(bufnr)
  end, bufnr)
  buffer_state.request_id = id
end

--- Typing: hide the old suggestion at once, ask again after a quiet moment.
local function on_typing(bufnr)
  local buffer_state = state[bufnr]
  if not buffer_state then
    return
  end
  clear(bufnr)
  if buffer_state.dismissed_tick == vim.api.nvim_buf_get_changedtick(bufnr) then
    return
  end
  local timer = (vim.uv or vim.loop).new_timer()
  buffer_state.timer = timer
  timer:start(
    config.options.inline_completion.debounce_ms,
    0,
    vim.schedule_wrap(function()
      if buffer_state.timer ~= timer then
        return
      end
      stop_timer(buffer_state)
      if vim.api.nvim_get_current_buf() == bufnr and vim.startswith(vim.api.nvim_get_mode().mode, 'i') then
        request(bufnr, 2)
      end
    end)
  )
end

--- Whether a suggestion is shown in the buffer.
function M.visible(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if uses_native() then
    local marks = vim.api.nvim_buf_get_extmarks(bufnr, vim.api.nvim_create_namespace('nvim.lsp.inline_completion'), 0, -1, {})
    return #marks > 0
  end
  local buffer_state = state[bufnr]
  return buffer_state ~= nil and buffer_state.items ~= nil
end

--- Inserts the shown suggestion. Returns false when there is none.
function M.accept()
  local bufnr = vim.api.nvim_get_current_buf()
  if uses_native() then
    return vim.lsp.inline_completion.get()
  end
  local buffer_state = state[bufnr]
  local item = buffer_state and buffer_state.items and buffer_state.items[buffer_state.index]
  if not item or not still_there(bufnr, buffer_state) then
    return false
  end
  local start_row, start_col, end_row, end_col = item_range(bufnr, buffer_state, item)
  local lines = vim.split(item_text(item), '\n', { plain = true })
  clear(bufnr)
  vim.api.nvim_buf_set_text(bufnr, start_row, start_col, end_row, end_col, lines)
  local last_row = start_row + #lines - 1
  local last_col = (#lines == 1 and start_col or 0) + #lines[#lines]
  vim.api.nvim_win_set_cursor(0, { last_row + 1, last_col })
  return true
end

--- Hides the suggestion until the text changes.
function M.dismiss()
  local bufnr = vim.api.nvim_get_current_buf()
  if uses_native() then
    -- Neovim's inline completion has no dismiss of its own: switching it off and on for the buffer drops the item.
    vim.lsp.inline_completion.enable(false, { bufnr = bufnr })
    vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    return
  end
  local buffer_state = state[bufnr]
  if buffer_state then
    clear(bufnr)
    buffer_state.dismissed_tick = vim.api.nvim_buf_get_changedtick(bufnr)
  end
end

--- Shows the next (or, with -1, previous) suggestion; k2lsp gives one at a time, so with one this asks again.
function M.cycle(step)
  local bufnr = vim.api.nvim_get_current_buf()
  if uses_native() then
    vim.lsp.inline_completion.select({ count = step })
    return
  end
  local buffer_state = state[bufnr]
  if not buffer_state then
    return
  end
  if buffer_state.items and #buffer_state.items > 1 then
    buffer_state.index = (buffer_state.index - 1 + step) % #buffer_state.items + 1
    show(bufnr)
  else
    clear(bufnr)
    request(bufnr, 1)
  end
end

local function set_keymaps(bufnr)
  local keys = config.options.inline_completion.keymaps or {}
  local function map(lhs, rhs, desc, expr)
    if lhs then
      vim.keymap.set('i', lhs, rhs, { buffer = bufnr, expr = expr, silent = true, desc = desc })
    end
  end
  if keys.accept then
    local fallback = vim.api.nvim_replace_termcodes(keys.accept, true, false, true)
    map(keys.accept, function()
      if M.visible(bufnr) then
        -- Changing text is not allowed inside an <expr> mapping: accept right after it.
        return '<Cmd>lua require("k2lsp.ghost").accept()<CR>'
      end
      return fallback
    end, 'Accept the K2 suggestion', true)
  end
  map(keys.dismiss, M.dismiss, 'Dismiss the K2 suggestion')
  map(keys.next, function()
    M.cycle(1)
  end, 'Next K2 suggestion')
  map(keys.prev, function()
    M.cycle(-1)
  end, 'Previous K2 suggestion')
end

--- Turns ghost text on for a buffer the k2lsp client attached to.
function M.attach(bufnr, client)
  if not config.options.inline_completion.enabled then
    return
  end
  vim.api.nvim_set_hl(0, 'K2lspGhost', { link = 'Comment', default = true })
  vim.api.nvim_set_hl(0, 'K2lspGhostHint', { link = 'NonText', default = true })
  set_keymaps(bufnr)
  if uses_native() then
    -- Per buffer: Neovim treats buffers as off unless enabled, and a client-only filter would leave it so.
    vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    return
  end
  if state[bufnr] then
    return
  end
  state[bufnr] = { client_id = client.id }
  local group = vim.api.nvim_create_augroup('k2lsp.ghost.' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'InsertEnter', 'TextChangedI', 'CursorMovedI' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      local buffer_state = state[bufnr]
      -- The cursor moving onto the spot the suggestion is for is not typing.
      if buffer_state and buffer_state.items and still_there(bufnr, buffer_state) then
        return
      end
      on_typing(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      clear(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd('LspDetach', {
    group = group,
    buffer = bufnr,
    callback = function(event)
      if event.data and event.data.client_id == client.id then
        clear(bufnr)
        state[bufnr] = nil
        vim.api.nvim_del_augroup_by_id(group)
      end
    end,
  })
end

return M
