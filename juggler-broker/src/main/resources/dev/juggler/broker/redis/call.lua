-- Queues a call.
-- KEYS[1]: the URI's calls list.
-- ARGV[1]: capacity (0: no limit), ARGV[2]: time-to-live in ms (> 0), ARGV[3]: the call payload,
-- ARGV[4]: act-by, ms on this server's clock: from then on the caller has given up waiting.
-- Returns {status, TIME seconds, TIME microseconds}; status 1 when queued, 0 when the list is at
-- capacity, -1 when run at or after act-by (nothing stored in both cases).
-- The deadline comes from this server's clock so that only it ever judges expiry.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function reply(status) return {status, tonumber(t[1]), tonumber(t[2])} end
-- A script that reached Redis late (a stalled server, a slow network) must not act: its caller
-- has answered NACK 504 already.
if now >= tonumber(ARGV[4]) then return reply(-1) end
local cap = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local key = KEYS[1]

if cap > 0 and redis.call('LLEN', key) >= cap then
  -- Expired calls count until a callee pops them; drop those at the head before refusing.
  while true do
    local e = redis.call('LINDEX', key, 0)
    if not e then break end
    local sep = string.find(e, ':', 1, true)
    local deadline = sep and tonumber(string.sub(e, 1, sep - 1))
    if deadline and deadline > now then break end
    redis.call('LPOP', key)
  end
  if redis.call('LLEN', key) >= cap then return reply(0) end
end

redis.call('RPUSH', key, string.format('%.0f', now + ttl) .. ':' .. ARGV[3])
-- A queue nobody takes from vanishes once its newest call has expired.
if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
return reply(1)
