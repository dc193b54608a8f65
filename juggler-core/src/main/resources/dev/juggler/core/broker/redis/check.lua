-- Judges an entry already popped by BLPOP against this server's clock.
-- KEYS[1]: the list it came from (declared so that the script runs on that list's server).
-- KEYS[2]: for a result entry only, the node's pending-results hash, whose count for the entry's
--          connection is decremented.
-- ARGV[1]: the entry, "<deadline ms>:<payload>".
-- Returns the ms the entry has left, or -1 when it has expired.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local e = ARGV[1]

if KEYS[2] then
  local conn = string.match(e, '^%d+:%S+ (%S+)')
  if conn and redis.call('HINCRBY', KEYS[2], conn, -1) <= 0 then
    redis.call('HDEL', KEYS[2], conn)
  end
end

local sep = string.find(e, ':', 1, true)
local deadline = sep and tonumber(string.sub(e, 1, sep - 1))
if deadline and deadline > now then return deadline - now end
return -1
