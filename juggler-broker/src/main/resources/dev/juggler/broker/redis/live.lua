-- The URIs that at least one live callee serves.
-- KEYS[1]: the callee index (sorted set: member '<uri>\n<calleeId>', score its expiry in ms).
-- Returns each URI with an unexpired mark once, in no particular order. Read-only.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local marks = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%.0f', now), '+inf')
local seen = {}
local uris = {}
for _, mark in ipairs(marks) do
  local sep = string.find(mark, '\n', 1, true)
  local uri = sep and string.sub(mark, 1, sep - 1) or mark
  if not seen[uri] then
    seen[uri] = true
    uris[#uris + 1] = uri
  end
end
return uris
