-- The :K2* commands: edit commands that end in the preview, :K2Explain's float, :K2Context's list, :K2Doctor.
local client_util = require('k2lsp.client')
local config = require('k2lsp.config')
local preview = require('k2lsp.preview')

local M = {}

local function report_error(title, err)
  vim.notify(('%s: %s'):format(title, err.message or tostring(err)), vim.log.levels.ERROR)
end

--- A user command handler that runs `fn(command, bufnr, client)` when k2lsp serves the current buffer.
local function with_client(fn)
  return function(command)
    local bufnr = vim.api.nvim_get_current_buf()
    local client = client_util.get(bufnr)
    if client then
      fn(command, bufnr, client)
    end
  end
end

--- The params every edit command takes (K2EditParams).
local function edit_params(bufnr, client, command, instruction)
  return {
    textDocument = client_util.text_document(bufnr),
    range = client_util.range(bufnr, command, client.offset_encoding),
    instruction = instruction ~= '' and instruction or nil,
    workDoneToken = client_util.progress_token('edit'),
  }
end

--- The instruction from the command line, or asked for; `then_` runs with it (not when the user cancels).
local function with_instruction(command, prompt, required, then_)
  if command.args and command.args ~= '' then
    return then_(command.args)
  end
  if not required then
    return then_('')
  end
  vim.ui.input({ prompt = prompt }, function(input)
    if input and input ~= '' then
      then_(input)
    end
  end)
end

--- :K2Edit — k2/edit returns the edit without applying it; the preview decides.
M.edit = with_client(function(command, bufnr, client)
  -- The range is read now: the prompt may move the cursor or clear the visual marks.
  local range_command = { range = command.range, line1 = command.line1, line2 = command.line2 }
  with_instruction(command, 'K2 edit: ', true, function(instruction)
    local params = edit_params(bufnr, client, range_command, instruction)
    client_util.request(client, 'k2/edit', params, function(err, result)
      if err then
        return report_error('K2: edit', err)
      end
      preview.show(client, result.edit, { title = 'K2: edit', summary = result.summary })
    end, bufnr)
  end)
end)

--- The diagnostics Neovim shows on lines first..last (0-based), as LSP diagnostics.
local function diagnostics_on(bufnr, first, last)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    if diagnostic.lnum <= last and (diagnostic.end_lnum or diagnostic.lnum) >= first then
      local lsp = diagnostic.user_data and diagnostic.user_data.lsp
      table.insert(found, lsp or {
        range = {
          start = { line = diagnostic.lnum, character = diagnostic.col },
          ['end'] = { line = diagnostic.end_lnum or diagnostic.lnum, character = diagnostic.end_col or diagnostic.col },
        },
        severity = diagnostic.severity,
        message = diagnostic.message,
        source = diagnostic.source,
        code = diagnostic.code,
      })
    end
  end
  return found
end

--- :K2Fix, :K2Doc, :K2Tests, :K2Refactor — the k2.* command's edit, computed by codeAction/resolve (which returns
--- the edit without applying it; its `data` is the command and its argument, as k2lsp's own code actions carry).
local function command_edit(k2_command, title, kind)
  return with_client(function(command, bufnr, client)
    local params = edit_params(bufnr, client, command, command.args or '')
    if k2_command == 'k2.fix' then
      local first = command.range > 0 and command.line1 - 1 or vim.api.nvim_win_get_cursor(0)[1] - 1
      local last = command.range > 0 and command.line2 - 1 or first
      params.diagnostics = diagnostics_on(bufnr, first, last)
      if command.range == 0 then
        params.range = { start = { line = first, character = 0 }, ['end'] = { line = first + 1, character = 0 } }
      end
    end
    local action = { title = title, kind = kind, data = { command = k2_command, argument = params } }
    client_util.request(client, 'codeAction/resolve', action, function(err, result)
      if err then
        return report_error(title, err)
      end
      preview.show(client, result.edit, { title = title })
    end, bufnr)
  end)
end

M.fix = command_edit('k2.fix', 'K2: fix', 'quickfix')
M.document = command_edit('k2.document', 'K2: document', 'refactor.rewrite')
M.tests = command_edit('k2.tests', 'K2: tests', 'source')
M.refactor = command_edit('k2.refactor', 'K2: refactor', 'refactor.rewrite')

--- :K2Explain [question] — the Markdown answer in a floating window.
M.explain = with_client(function(command, bufnr, client)
  local params = edit_params(bufnr, client, command, command.args or '')
  client_util.request(client, 'k2/explain', params, function(err, result)
    if err then
      return report_error('K2: explain', err)
    end
    local lines = vim.split(result.markdown or '', '\n', { plain = true })
    vim.lsp.util.open_floating_preview(lines, 'markdown', {
      border = 'rounded',
      focus_id = 'k2lsp-explain',
      title = ' K2 (' .. (result.model or 'K2') .. ') ',
      max_width = math.max(40, math.floor(vim.o.columns * 0.6)),
      max_height = math.max(10, math.floor(vim.o.lines * 0.6)),
    })
  end, bufnr)
end)

--- :K2Context [task] — what K2 would see for a request here, item by item, in a scratch buffer.
M.context = with_client(function(command, bufnr, client)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    task = command.args ~= '' and command.args or 'edit',
  }
  if command.range > 0 then
    params.range = client_util.range(bufnr, command, client.offset_encoding)
  else
    params.position = client_util.position(bufnr, cursor[1] - 1, cursor[2], client.offset_encoding)
  end
  local root = client.config and client.config.root_dir
  client_util.request(client, 'k2/context', params, function(err, result)
    if err then
      return report_error('K2: context', err)
    end
    local function name(uri)
      if not vim.startswith(uri, 'file:') then
        return uri
      end
      return client_util.relative(vim.uri_to_fname(uri), root)
    end
    local function lines_of(item)
      if (item.endLine or 0) > (item.startLine or 0) then
        return (':%d-%d'):format(item.startLine + 1, item.endLine)
      end
      return ''
    end
    local lines = {
      ('# K2 context for %s: %s, %d of %d tokens'):format(result.task, result.model, result.usedTokens, result.budgetTokens),
      '',
      '## Sent (in prompt order)',
    }
    for _, item in ipairs(result.items or {}) do
      table.insert(lines, ('- %s%s  %s  %d tokens%s  (%s)'):format(
        name(item.uri), lines_of(item), item.source, item.tokens,
        item.truncated and ', truncated' or '', item.reason))
    end
    table.insert(lines, '')
    table.insert(lines, '## Left out')
    for _, item in ipairs(result.skipped or {}) do
      table.insert(lines, ('- %s  %s'):format(name(item.uri), item.reason))
    end
    local buf = vim.api.nvim_create_buf(true, true)
    pcall(vim.api.nvim_buf_set_name, buf, 'k2lsp://context')
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    vim.bo[buf].filetype = 'markdown'
    vim.bo[buf].modifiable = false
    vim.cmd('botright split')
    vim.api.nvim_win_set_buf(0, buf)
  end, bufnr)
end)

--- :K2Doctor — `k2lsp doctor` in a terminal split, in the environment the server gets.
function M.doctor()
  local options = config.options
  vim.cmd('botright 15new')
  local job_options = { env = options.cmd_env }
  if vim.fn.has('nvim-0.11') == 1 then
    job_options.term = true
    vim.fn.jobstart({ options.binary, 'doctor' }, job_options)
  else
    vim.fn.termopen({ options.binary, 'doctor' }, job_options)
  end
end

return M
