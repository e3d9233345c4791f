-- wrk script: GET /products/{id}.
--   wrk ... -s get.lua -- hot  FIRST COUNT   reads ids drawn at random from FIRST..FIRST+COUNT-1
--                                            (all cached after a warm-up: the hit path)
--   wrk ... -s get.lua -- once FIRST COUNT THREADS [OFFSET]  every request reads an id nobody read before,
--                                            so every read is a cache miss; with COUNT above 0 the
--                                            ids wrap around after FIRST+COUNT-1 (a second pass
--                                            reads each id again: a hit), OFFSET ids after FIRST
-- Prints one machine-readable RESULT line (see result.lua).
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, first, count = args[1], tonumber(args[2]), tonumber(args[3])
  stride = tonumber(args[4] or "1") -- the number of wrk threads
  offset = tonumber(args[5] or "0")
  served = 0
end

function request()
  local id
  if mode == "hot" then
    id = first + math.random(0, count - 1)
  else
    -- Threads interleave their ids so that no two requests of the run share one.
    id = offset + served * stride + thread_index
    if count > 0 then id = id % count end
    id = first + id
    served = served + 1
  end
  return wrk.format("GET", "/products/" .. id)
end

dofile(os.getenv("BENCH_DIR") .. "/result.lua")
