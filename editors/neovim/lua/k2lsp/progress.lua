-- k2lsp's $/progress for the statusline: the newest running task's title and stage ("K2: edit · Waiting for K2").
local M = {}

--- Running tasks by token, in the order they began: { token, title, message }.
local running = {}
--- Every message seen, oldest first (capped), for :messages-style inspection and tests.
M.history = {}

local function find(token)
  for index, task in ipairs(running) do
    if task.token == token then
      return index, task
    end
  end
end

--- Records one $/progress value of the k2lsp client.
function M.update(token, value)
  local index, task = find(token)
  if value.kind == 'begin' then
    table.insert(running, { token = token, title = value.title or 'K2', message = value.message })
  elseif value.kind == 'report' and task then
    task.message = value.message or task.message
  elseif value.kind == 'end' and index then
    table.remove(running, index)
  end
  table.insert(M.history, { kind = value.kind, title = value.title, message = value.message })
  if #M.history > 200 then
    table.remove(M.history, 1)
  end
  vim.cmd.redrawstatus()
end

--- The statusline text: empty when K2 is idle.
function M.statusline()
  local task = running[#running]
  if not task then
    return ''
  end
  if task.message and task.message ~= '' then
    return task.title .. ' · ' .. task.message
  end
  return task.title
end

function M.setup(group)
  vim.api.nvim_create_autocmd('LspProgress', {
    group = group,
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      local params = event.data.params
      if client and client.name == 'k2lsp' and params and type(params.value) == 'table' then
        M.update(params.token, params.value)
      end
    end,
  })
end

return M
