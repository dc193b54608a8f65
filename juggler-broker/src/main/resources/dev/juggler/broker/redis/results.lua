-- Pops a batch of results for this node without blocking.
-- KEYS[1]: the node's results list, KEYS[2]: the node's pending-results hash.
-- ARGV[1]: the most entries to pop.
-- ARGV[2] (optional): an entry BLPOP has already popped, judged first, ahead of the batch.
-- Every popped entry decrements its connection's count; expired ones are discarded.
-- Returns {popped from the list, payload of each live entry...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entries = redis.call('LPOP', KEYS[1], tonumber(ARGV[1])) or {}
if ARGV[2] then table.insert(entries, 1, ARGV[2]) end

local out = {#entries - (ARGV[2] and 1 or 0)}
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
