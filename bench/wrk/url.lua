-- One fixed target, from BENCH_TARGET.
local target = os.getenv("BENCH_TARGET")
request = function()
  return wrk.format("GET", target)
end
