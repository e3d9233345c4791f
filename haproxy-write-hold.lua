-- Loaded by haproxy.cfg (lua-load): holds a new connection to the write port until the backend
-- can take it, looking every 50 ms, for at most hold_ms (see "frontend write" there).
--
-- HAProxy's own rules decide a held connection again only when its client sends more or the
-- inspect-delay ends. A PostgreSQL client sends its first packet and waits for the answer, so a
-- connection that arrived just before a new leader came UP waited out the whole delay (2 s, most
-- of the distance to ttl + 5 s after a leader's host was lost), and one refused at the end of it
-- made HikariCP double its pause before the next attempt (up to 5 s). Looked at every 50 ms, a
-- held connection goes through as soon as the leader is UP, so the hold can be long enough that a
-- pool's attempt spans a failover instead of failing again and again.
local PACE_MS = 50

local function now_ms()
    local now = core.now()
    return now.sec * 1000 + now.usec // 1000
end

-- backend: the backend that must have a server UP; hold_ms: the longest hold; settle_ms: how long
-- after HAProxy's start no server counts (each has had its first check by then, see haproxy.cfg).
core.register_action("hold_until_up", { "tcp-req" }, function(txn, backend, hold_ms, settle_ms)
    local started = tonumber(txn:get_var("proc.started_ms"))
    local until_ms = now_ms() + tonumber(hold_ms)
    while now_ms() < until_ms do
        if now_ms() - started >= tonumber(settle_ms) and txn.f:nbsrv(backend) >= 1 then
            return
        end
        core.msleep(PACE_MS)
    end
end, 3)
