-- Judges a call entry already popped by BLPOP against this server's clock.
-- KEYS[1]: the list it came from.
-- ARGV[1]: the entry, "<deadline ms>:<payload>".
-- Returns {ms the entry has left, or -1 when it has expired; entries still in the list}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local e = ARGV[1]
local waiting = redis.call('LLEN', KEYS[1])

local sep = string.find(e, ':', 1, true)
local deadline = sep and tonumber(string.sub(e, 1, sep - 1))
if deadline and deadline > now then return {deadline - now, waiting} end
return {-1, waiting}
