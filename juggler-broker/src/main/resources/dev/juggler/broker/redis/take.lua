-- Pops the first live call of one URI without blocking; expired calls are discarded.
-- KEYS[1]: the URI's calls list.
-- ARGV[1]: the most expired calls to discard in this run (keeps the script short).
-- Returns {discarded} when the list is empty, {discarded, -1} when the discard limit was reached
-- (call again), or {discarded, remaining ms, payload} for a live call.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local discarded = 0

while discarded < limit do
  local e = redis.call('LPOP', KEYS[1])
  if not e then return {discarded} end
  local sep = string.find(e, ':', 1, true)
  local deadline = sep and tonumber(string.sub(e, 1, sep - 1))
  if deadline and deadline > now then
    return {discarded, deadline - now, string.sub(e, sep + 1)}
  end
  discarded = discarded + 1
end
return {discarded, -1}
