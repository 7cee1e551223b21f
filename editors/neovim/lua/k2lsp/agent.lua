-- :K2Agent: runs k2/agent, lists its k2/toolCall steps live in a scratch buffer, then previews the one edit.
local client_util = require('k2lsp.client')
local preview = require('k2lsp.preview')

local M = {}

--- Runs by "client_id:request_id": { buf, lines = { [step] = line number } }.
local runs = {}
local run_counter = 0

local function one_line(text, limit)
  text = tostring(text):gsub('\r?\n', ' ⏎ ')
  if #text > limit then
    text = text:sub(1, limit - 1) .. '…'
  end
  return text
end

--- `path=greet.py old_text=def hello():` — the arguments in a stable order, each value cut short.
local function describe_arguments(arguments)
  if type(arguments) ~= 'table' then
    return one_line(arguments or '', 60)
  end
  local keys = vim.tbl_keys(arguments)
  table.sort(keys)
  local parts = {}
  for _, key in ipairs(keys) do
    local value = arguments[key]
    if type(value) == 'table' then
      value = vim.json.encode(value)
    end
    table.insert(parts, key .. '=' .. one_line(value, 40))
  end
  return table.concat(parts, ' ')
end

local function append(buf, lines)
  if not vim.api.nvim_buf_is_valid(buf) then
    return
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, lines)
  vim.bo[buf].modifiable = false
end

local function set_line(buf, line, text)
  if not vim.api.nvim_buf_is_valid(buf) then
    return
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { text })
  vim.bo[buf].modifiable = false
end

--- The k2/toolCall notification handler: one line per step, updated when the step finishes.
function M.on_tool_call(_, params, ctx)
  local run = runs[ctx.client_id .. ':' .. tostring(params.requestId)]
  if not run or not vim.api.nvim_buf_is_valid(run.buf) then
    return
  end
  local text = ('%3d %-15s %s'):format(params.step or 0, params.tool or '?', describe_arguments(params.arguments))
  if params.status == 'started' then
    text = text .. '  …'
  elseif params.status == 'done' then
    text = text .. '  ✓ ' .. one_line(params.resultPreview or '', 80)
  else
    text = text .. '  ✗ ' .. one_line(params.resultPreview or 'failed', 80)
  end
  local line = run.lines[params.step]
  if line then
    set_line(run.buf, line, text)
  else
    run.lines[params.step] = vim.api.nvim_buf_line_count(run.buf)
    append(run.buf, { text })
  end
end

local function open_step_buffer(instruction)
  run_counter = run_counter + 1
  local buf = vim.api.nvim_create_buf(true, true)
  pcall(vim.api.nvim_buf_set_name, buf, 'k2lsp://agent/' .. run_counter)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { 'K2 agent: ' .. one_line(instruction, 200) })
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = 'k2lsp-agent'
  local origin = vim.api.nvim_get_current_win()
  vim.cmd('botright 12split')
  vim.api.nvim_win_set_buf(0, buf)
  vim.api.nvim_set_current_win(origin)
  return buf
end

--- Starts the agent. `command` is the user command's table (its range, if any, is sent as the selection).
function M.run(instruction, command)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_util.get(bufnr)
  if not client then
    return
  end
  local params = {
    instruction = instruction,
    workDoneToken = client_util.progress_token('agent'),
  }
  if vim.api.nvim_buf_get_name(bufnr) ~= '' then
    params.textDocument = { uri = vim.uri_from_bufnr(bufnr) }
    if command and command.range > 0 then
      params.range = client_util.range(bufnr, command, client.offset_encoding)
    end
  end
  local buf = open_step_buffer(instruction)
  local key
  local id = client_util.request(client, 'k2/agent', params, function(err, result)
    runs[key] = nil
    if err then
      append(buf, { 'Failed: ' .. one_line(err.message or tostring(err), 500) })
      vim.notify('K2 agent: ' .. (err.message or tostring(err)), vim.log.levels.ERROR)
      return
    end
    local steps = result.steps and #result.steps or 0
    append(buf, {
      ('Done (%d tool call%s, %s): %s'):format(steps, steps == 1 and '' or 's', result.model or 'K2', one_line(result.summary or '', 500)),
    })
    preview.show(client, result.edit, {
      title = 'K2: agent',
      summary = result.summary,
      on_done = function(applied)
        append(buf, { applied and 'Applied.' or 'Rejected: nothing changed.' })
      end,
    })
  end, bufnr)
  if not id then
    append(buf, { 'Failed: k2lsp did not take the request.' })
    return
  end
  key = client.id .. ':' .. tostring(id)
  runs[key] = { buf = buf, lines = {} }
end

return M
