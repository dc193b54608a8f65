-- Publishes an event, unless it is too late.
-- KEYS[1]: the publishing node's private channel name; never read or written, it only routes the
-- script to the server of that slot (on a cluster, so that one node's events keep their order).
-- ARGV[1]: act-by, ms on this server's clock: from then on the publisher has given up waiting.
-- ARGV[2]: the Redis channel, ARGV[3]: the event payload.
-- Returns {receivers, or -1 when run at or after act-by (nothing published), TIME seconds,
-- TIME microseconds}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now >= tonumber(ARGV[1]) then return {-1, tonumber(t[1]), tonumber(t[2])} end
return {redis.call('PUBLISH', ARGV[2], ARGV[3]), tonumber(t[1]), tonumber(t[2])}
