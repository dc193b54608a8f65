/**
 * The brokers on Redis: {@link dev.juggler.broker.redis.RedisBroker}. This is the reference for how
 * Juggler lays out its data in Redis.
 *
 * <h2>Keys</h2>
 *
 * <table>
 *   <caption>Redis keys and channels</caption>
 *   <tr><th>Name</th><th>Type</th><th>Holds</th></tr>
 *   <tr><td>{@code juggler:calls:{<uri>}}</td><td>list</td>
 *       <td>calls waiting for a callee of {@code uri}, oldest first</td></tr>
 *   <tr><td>{@code juggler:results:{<nodeId>}}</td><td>list</td>
 *       <td>results waiting for server node {@code nodeId} to deliver them, oldest first</td></tr>
 *   <tr><td>{@code juggler:resmoved:{<nodeId>}}</td><td>list</td>
 *       <td>the result the node's results loop waited for, moved there by {@code BLMOVE} for the
 *           {@code results.lua} sent behind it to deliver first; empty between round trips</td></tr>
 *   <tr><td>{@code juggler:rescount:{<nodeId>}}</td><td>hash</td>
 *       <td>connection UUID &rarr; number of its results in the node's results list, for the
 *           results capacity; a field is removed when it reaches zero or its connection
 *           closes</td></tr>
 *   <tr><td>{@code juggler:ch:<channel>}</td><td>pub-sub channel or pattern</td>
 *       <td>client channel (or pattern) {@code channel}; the prefix keeps clients from reaching
 *           other channels and is stripped before events reach them</td></tr>
 *   <tr><td>{@code juggler:node:{<nodeId>}}</td><td>pub-sub channel</td>
 *       <td>nothing is published on it; the node's pub-sub connection subscribes to it so that it
 *           stays in subscribed mode with no client subscription</td></tr>
 *   <tr><td>{@code juggler:callees}</td><td>sorted set</td>
 *       <td>live callees: member {@code <uri>\n<calleeId>} for each URI a callee process serves,
 *           scored by when that mark expires (ms on this server's clock); renewed by the callee's
 *           heartbeats, removed by its leave, dropped once expired; the key expires after its
 *           latest mark</td></tr>
 * </table>
 *
 * <p>{@code nodeId} is a random UUID per broker instance. Every script touches keys of one hash
 * slot, declared in {@code KEYS}: a URI's calls list alone, a node's results list with its count
 * hash (same hash tag), or the callee index alone; so the layout suits Redis Cluster. Why liveness
 * is one sorted set (one command to read every live URI, independent callees, expiry on the Redis
 * clock) is explained in {@code internal.Liveness}.
 *
 * <h2>Redis Cluster</h2>
 *
 * <p>With a {@link dev.juggler.broker.redis.RedisTarget.Cluster} target the broker uses the Jedis
 * cluster client's slot map and a connection pool per node, and runs every command on the node
 * owning its key's slot, following MOVED and ASK but never sending a command again after a broken
 * connection (it may have run). The results loop connects to the node owning its node's results
 * list, and reconnects (with a fresh slot map) when that slot moves. The pub-sub connection goes to
 * any node, a random seed first: every node forwards each PUBLISH to all others, and pattern
 * subscriptions work on any node. A broker publishes all its events through the node owning {@code
 * juggler:node:{<nodeId>}}, so that they reach each subscriber in publish order, as on one server
 * (events published through different nodes travel over different links and may overtake each
 * other). When the pub-sub connection's node dies, the loop reconnects to another one and
 * subscribes again to every channel and pattern.
 *
 * <p>A callee taking calls for several URIs blocks with one BLPOP on all their lists on one server.
 * On a cluster BLPOP may only wait on lists of one slot, so the idle threads of a callee spread
 * over the slots of their URIs ({@code internal.SlotCoverage}): a thread first takes without
 * blocking from the slots no other thread is blocked on, then claims one of those and blocks on it
 * for 50 ms at a time ({@code CallQueue.SLICE_MS}); when every slot has a thread blocked on it, the
 * others wait inside the process, holding no connection, until one of those threads gets a call or
 * ends its slice, and one of them takes its place. So while a callee has at least as many idle
 * threads as its URIs have slots, a call to any of them is taken at once, as on one server. With
 * fewer, a call to a slot nobody is blocked on is taken by the next thread that comes back from a
 * call or ends a slice: Redis checks blocking timeouts at its {@code hz} (10 by default), so within
 * about 100 ms. URIs sharing a hash tag share a slot and are waited on together.
 *
 * <h2>List entries</h2>
 *
 * <p>Each list entry is {@code <deadline>:<payload>}, where {@code deadline} is an absolute time in
 * milliseconds on the clock of the Redis server holding the list. It is computed inside a script
 * from Redis {@code TIME} plus the time-to-live, and only scripts on that same server compare it
 * with {@code TIME}; clocks of different machines are never compared, and only durations
 * (milliseconds left) travel between processes. Payloads:
 *
 * <ul>
 *   <li>call: {@code <callUuid> <connUuid> <nodeId> <resultCapacity>\n<uri>\n<args>}, where {@code
 *       nodeId} is the caller's node, to which the result goes, and {@code resultCapacity} that
 *       node's limit of waiting results per connection (0: none), which the callee's result script
 *       enforces;
 *   <li>result: {@code <callUuid> <connUuid>\n<uri>\n<args>};
 *   <li>event (PUBLISH message, no deadline): {@code <pubUuid>\n<args>}.
 * </ul>
 *
 * <p>UUIDs are in canonical form; {@code args} is the raw JSON text, byte for byte, and may hold
 * newlines; URIs and channels may not (the server validates them, the broker checks again).
 *
 * <h2>Scripts</h2>
 *
 * <p>Lua scripts in this package's resources, run by SHA-1 ({@code EVALSHA}) and loaded on a {@code
 * NOSCRIPT} answer. A script sent in one round trip with other commands goes with its body ({@code
 * EVAL}) the first time on each connection, and on every connection again after any {@code
 * NOSCRIPT}: its {@code NOSCRIPT} could only be answered after the commands behind it, a blocking
 * one included, so a result stored ahead of a take would wait for as long as the take blocks (after
 * a {@code SCRIPT FLUSH} under connected clients, one such wait, not one per connection).
 *
 * <ul>
 *   <li>{@code call.lua}: does nothing when run at or after its act-by (see below); when the calls
 *       list is at capacity, drops expired calls from its head, then refuses (429) if it is still
 *       full; else appends the call and extends the list's expiry to at least the call's
 *       time-to-live, so that abandoned queues vanish. Returns its status with its {@code TIME}.
 *   <li>{@code publish.lua}: {@code PUBLISH}es an event unless run at or after its act-by; its one
 *       key is the node's private channel name, never touched, which routes it to the server of
 *       that slot. Returns the receivers (or -1) with its {@code TIME}.
 *   <li>{@code take.lua}: pops a URI's calls without blocking, discarding expired ones, and returns
 *       the first live one with its milliseconds left. When all of a callee's URIs are empty it
 *       blocks in {@code BLPOP} on their lists, with {@code TIME} in the same round trip (it runs
 *       once BLPOP has popped) to judge the popped entry; a callee thread that found them empty or
 *       popped a live call starts its next take in {@code BLPOP} (which returns at once while calls
 *       wait), until it pops an expired one. A take may bring several calls: {@code LPOP} with a
 *       count, behind {@code BLPOP} (on the first list in turn) or on its own, judged by the same
 *       {@code TIME}. A callee stores its results and takes its next calls in one round trip: a
 *       {@code result.lua} per result, {@code BLPOP}, {@code LPOP} and {@code TIME} pipelined on
 *       one connection, where the lists are on one server (on a cluster: the results for one node
 *       in one round trip, the take in another). The callee keeps a local deadline per call, {@code
 *       System.nanoTime()} plus what is left.
 *   <li>{@code result.lua}: counts the result against the calling connection's capacity (429 past
 *       it), appends it to the caller node's results list with a deadline of {@code TIME} plus the
 *       call's remaining milliseconds, and extends the list's and hash's expiry. A result whose
 *       call has no time left is dropped before reaching Redis.
 *   <li>{@code results.lua}: pops up to 64 of a node's results, decrements each one's connection
 *       count and returns the live ones. After a short batch the next one waits: the node sends
 *       {@code BLMOVE} of the results list's head to its moved-results list (blocking up to one
 *       second) and {@code results.lua} behind it, in one round trip; the script takes the moved
 *       entry first. So a node that is not flooded pays one round trip per result, not two.
 *   <li>{@code heartbeat.lua}: drops expired marks from the callee index, marks a callee's URIs
 *       until {@code TIME} plus its time-to-live, and extends the index's expiry.
 *   <li>{@code live.lua}: the distinct URIs of the index's unexpired marks (read-only); a callee's
 *       leave is a plain {@code ZREM} of its own members.
 * </ul>
 *
 * <h2>Act-by: nothing carried out after the node gave up</h2>
 *
 * <p>A node answers a CALL or PUB it sent to Redis with NACK 504 when no answer came within the
 * timeout; the command may still be in a socket buffer, or in a server that is stalled, and run
 * later. So {@code call.lua} and {@code publish.lua} take an <em>act-by</em>, a time in
 * milliseconds on the clock of the server that runs them, and do nothing when {@code TIME} has
 * reached it. The node computes it from a sample of that server's clock taken on the same
 * connection: {@code TIME} read by Redis at {@code R}, the reply in at local {@code L} ({@link
 * java.lang.System#nanoTime()}); as Redis read its clock before {@code L}, {@code R - L} is a lower
 * bound of the offset between the two clocks, and {@code act-by = R + (D - L)}, for a local instant
 * {@code D}, is reached on the server no later than {@code D} is here. {@code D} is the command's
 * deadline less a quarter of the timeout, for the answer's way back. Every script that takes an
 * act-by returns its {@code TIME}, which renews the sample; a sample older than 10 s is read again
 * ({@code TIME}) before the command. Samples are per connection, so each belongs to the server that
 * connection goes to: on a cluster each master's clock is only compared with itself. This holds as
 * long as the server's clock runs at the node's rate and is not set back between two samples by
 * more than the quarter of the timeout; what is left is a command carried out in time whose answer
 * takes longer than that quarter to come back, or is lost: it took effect before the NACK, never
 * after it.
 *
 * <h2>Connections</h2>
 *
 * <p>Per broker instance: up to {@code poolSize} pooled connections named {@code juggler} in {@code
 * CLIENT LIST} (on a cluster, up to {@code poolSize} per node), one {@code juggler-results}
 * (blocked in BLMOVE on the node's results list, started by the first results registration) and one
 * {@code juggler-pubsub} (started by the first subscription). So at most {@code poolSize + 2}
 * connections on one server, and {@code nodes × poolSize + 2} on a cluster, whatever the number of
 * clients, subscriptions and registrations; the cluster client also opens a short-lived connection
 * to a seed node when it first reads the slot map. After a command to a server failed on its
 * connection, a short-lived thread probes that server with {@code PING} on a pooled connection
 * every 200 ms until it answers; meanwhile commands to it are refused unsent (NACK 503). When it
 * answers, the results and pub-sub loops waiting to reconnect do so at once. Requires Redis 6.2 or
 * later ({@code LPOP} with a count, {@code BLMOVE}, fractional timeouts of blocking commands).
 *
 * <h2>Delivery</h2>
 *
 * <p>Calls and results are delivered at most once. Events are Redis pub-sub messages: each node
 * subscribes its one pub-sub connection once per channel or pattern that any of its clients use
 * (reference-counted), and fans events out to its subscribers in the order Redis delivers them.
 * Clients that are offline, or whose node is reconnecting to Redis, miss events. From the moment
 * its pub-sub connection breaks until Redis has confirmed all its subscriptions again, a node
 * refuses its own PUBs (503), so that an event it ACKs reaches its own connected subscribers.
 */
package dev.juggler.broker.redis;
