-- wrk script: GET /products?limit=LIMIT&after=ID, pages starting at random ids in FIRST..FIRST+COUNT-1
-- (the list path: one database read per request, never cached).
--   wrk ... -s list.lua -- FIRST COUNT LIMIT
-- Prints one machine-readable RESULT line (see result.lua).
function init(args)
  first, count, limit = tonumber(args[1]), tonumber(args[2]), tonumber(args[3] or "20")
end

function request()
  return wrk.format("GET", "/products?limit=" .. limit .. "&after=" .. (first + math.random(0, count - 1)))
end

dofile(os.getenv("BENCH_DIR") .. "/result.lua")
