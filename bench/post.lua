-- wrk script: POST /products with a small valid product (the write path: INSERT, then invalidation).
-- Prints one machine-readable RESULT line (see result.lua).
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  written = 0
end

-- Writes need an API key: the compose stack's development key unless BENCH_API_KEY names another.
local key = os.getenv("BENCH_API_KEY") or "products-dev-key-not-secret"

function request()
  written = written + 1
  local body = string.format('{"name":"bench product %d-%d","price":19.99,"stock":%d}',
    thread_index, written, written % 100)
  return wrk.format("POST", "/products", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end

dofile(os.getenv("BENCH_DIR") .. "/result.lua")
