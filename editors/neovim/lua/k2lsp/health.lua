-- :checkhealth k2lsp — the binary, its version, whether a key is set, and `k2lsp doctor`'s verdict.
local config = require('k2lsp.config')

local M = {}

local health = vim.health

--- Runs the k2lsp binary with `arguments` in the server's environment; returns the vim.system result.
local function run(binary, arguments, timeout_ms)
  local command = { binary }
  vim.list_extend(command, arguments)
  local ok, process = pcall(vim.system, command, { text = true, env = config.options.cmd_env })
  if not ok then
    return { code = -1, stdout = '', stderr = tostring(process) }
  end
  local result = process:wait(timeout_ms)
  if result.signal and result.signal ~= 0 and result.code ~= 0 then
    result.stderr = (result.stderr or '') .. ('(stopped after %d s)'):format(timeout_ms / 1000)
  end
  return result
end

local function first_line(text)
  return (vim.split(vim.trim(text or ''), '\n', { plain = true })[1]) or ''
end

function M.check()
  health.start('k2lsp')
  if vim.fn.has('nvim-0.10') == 0 then
    health.error('Neovim 0.10 or newer is needed (tested with 0.11 and 0.12).')
    return
  end
  health.info(
    vim.lsp.inline_completion and 'Ghost text: Neovim inline completion (0.12+).'
      or 'Ghost text: the plugin\'s extmarks (Neovim before 0.12).'
  )

  local binary = config.command()[1]
  local path = vim.fn.exepath(binary)
  if path == '' then
    health.error(('`%s` was not found.'):format(binary), {
      'Build it with `swift build -c release` and put .build/release/k2lsp on PATH,',
      'or pass its full path: require("k2lsp").setup({ binary = "/path/to/k2lsp" }).',
    })
    return
  end
  health.ok('Binary: ' .. path)

  local version = run(path, { '--version' }, 10000)
  if version.code == 0 then
    health.ok('Version: ' .. first_line(version.stdout))
  else
    health.error('`k2lsp --version` failed: ' .. first_line(version.stderr))
  end

  -- What k2lsp itself resolves: the key's variable may be renamed in configuration (api_key_env).
  local resolved = run(path, { 'config', '--json' }, 10000)
  local ok_json, settings = pcall(vim.json.decode, resolved.stdout or '')
  if not ok_json or type(settings) ~= 'table' then
    health.warn('`k2lsp config --json` failed: ' .. first_line(resolved.stderr))
  else
    local values = {}
    for _, entry in ipairs(settings.values or {}) do
      values[entry.key] = entry
    end
    local key = values['providers.instruct.api_key']
    if key and key.value == 'missing' then
      health.error(('No API key: %s is not set.'):format(key.source or 'the key variable'), {
        'Export K2_API_KEY in the environment Neovim starts in (or set cmd_env),',
        'or point K2_LOCAL_BASE_URL at a local OpenAI-compatible server.',
      })
    elseif key then
      health.ok(('API key: %s (%s)'):format(key.value, key.source or ''))
    end
    for _, problem in ipairs(settings.problems or {}) do
      health.warn('Configuration: ' .. problem.message)
    end
  end

  local doctor = run(path, { 'doctor', '--json' }, 60000)
  local ok_doctor, verdict = pcall(vim.json.decode, doctor.stdout or '')
  if not ok_doctor or type(verdict) ~= 'table' then
    health.error('`k2lsp doctor` failed: ' .. first_line(doctor.stderr), { 'Run :K2Doctor to see its full report.' })
    return
  end
  for _, check in ipairs(verdict.checks or {}) do
    local label = ('%s (%s at %s)'):format(check.label or 'K2', check.model or '?', check.baseURL or '?')
    if check.ok then
      health.ok(('Doctor: %s answered in %s ms, tool calling: %s'):format(label, check.totalMilliseconds or '?', check.toolCalling or '?'))
    else
      health.error('Doctor: ' .. label .. ' failed', check.problems)
    end
  end
end

return M
