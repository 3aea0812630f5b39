-- SPDX-License-Identifier: GPL-2.0-or-later
-- wrk script: GET /api/v1/search for each line of bench/query/queries.txt
-- in turn (the same queries motesok-bench-floor runs), URL-encoded.
local path = os.getenv("MOTESOK_QUERIES") or "bench/query/queries.txt"
local paths = {}
for line in io.lines(path) do
  if #line > 0 then
    local q = line:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)
    paths[#paths + 1] = "/api/v1/search?q=" .. q
  end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
