-- Marks URIs as served by one callee until TIME + time-to-live.
-- KEYS[1]: the callee index (sorted set: member '<uri>\n<calleeId>', score its expiry in ms).
-- ARGV[1]: time-to-live in ms (> 0), ARGV[2..]: the members to mark.
-- Returns the number of members marked.
-- Expiry comes from this server's clock, and only scripts on this server compare it with TIME.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local key = KEYS[1]

-- Marks of callees that died without leaving are dropped here, so that reads stay read-only.
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now))
local expiry = string.format('%.0f', now + ttl)
for i = 2, #ARGV do
  redis.call('ZADD', key, expiry, ARGV[i])
end
-- The index vanishes once its latest mark has expired, as an abandoned calls list does.
if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
return #ARGV - 1
