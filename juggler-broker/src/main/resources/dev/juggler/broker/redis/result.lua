-- Stores a result for the caller's node.
-- KEYS[1]: the node's results list, KEYS[2]: the node's pending-results hash (count per connection).
-- ARGV[1]: results capacity per connection (0: no limit), ARGV[2]: time-to-live in ms (> 0),
-- ARGV[3]: the calling connection's UUID, ARGV[4]: the result payload.
-- Returns 1 when stored, 0 when the connection's results are at capacity (nothing stored).
local cap = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])

local pending = redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if cap > 0 and pending > cap then
  -- pending > cap >= 1, so the count stays positive and the field is kept.
  redis.call('HINCRBY', KEYS[2], ARGV[3], -1)
  return 0
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('RPUSH', KEYS[1], string.format('%.0f', now + ttl) .. ':' .. ARGV[4])
-- A node that went away leaves nothing behind once its newest result has expired.
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
return 1
