-- Pops a batch of results for this node without blocking.
-- KEYS[1]: the node's results list, KEYS[2]: the node's pending-results hash, KEYS[3]: the node's
-- moved-results list, where the BLMOVE sent just before this script leaves the entry it waited for
-- (and an interrupted round trip may have left one).
-- ARGV[1]: the most entries to pop from the results list.
-- Every entry taken, moved ones first, decrements its connection's count; expired ones are
-- discarded.
-- Returns {popped from the results list, taken from the moved list, payload of each live entry...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entries = redis.call('LRANGE', KEYS[3], 0, -1)
local moved = #entries
if moved > 0 then redis.call('DEL', KEYS[3]) end
local batch = redis.call('LPOP', KEYS[1], tonumber(ARGV[1])) or {}
for _, e in ipairs(batch) do entries[#entries + 1] = e end

local out = {#batch, moved}
for _, e in ipairs(entries) do
  local conn = string.match(e, '^%d+:%S+ (%S+)')
  if conn and redis.call('HINCRBY', KEYS[2], conn, -1) <= 0 then
    redis.call('HDEL', KEYS[2], conn)
  end
  local sep = string.find(e, ':', 1, true)
  local deadline = sep and tonumber(string.sub(e, 1, sep - 1))
  if deadline and deadline > now then out[#out + 1] = string.sub(e, sep + 1) end
end
return out
