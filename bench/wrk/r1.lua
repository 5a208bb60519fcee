-- R1: one article by id, cycling at random over every id of the corpus.
local n = tonumber(os.getenv("BENCH_ARTICLES") or "20000")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", "/v1/articles/" .. math.random(1, n))
end
