-- A mix of reads and authenticated writes for the soak test.  One request in
-- eight creates an article with a slug unique to its thread; every answer is
-- tallied by status, and the slug of every acknowledged create is kept, so
-- that the driver can check afterwards that each one is stored.
local key = os.getenv("SOAK_KEY")
local out = os.getenv("SOAK_OUT")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local reads = {
  "/v1/articles?limit=20",
  "/v1/articles?theme=trade&limit=5",
  "/v1/search?q=harbour",
  "/v1/search?q=budget+OR+tariffs",
  "/v1/facets?field=theme",
  "/v1/timeline?interval=month",
  "/v1/themes",
  "/v1/officials?limit=10",
  "/v1/quotes?limit=10",
  "/v1/articles/1",
  "/v1/articles/2?include=quotes",
  "/v1/organizations",
  "/healthz",
}
local n, pending = 0, {}
statuses, created = {}, ""

function init(args)
  math.randomseed(tid * 7919 + os.time())
end

function request()
  n = n + 1
  if n % 8 == 0 then
    local slug = string.format("soak-%d-%d", tid, n)
    local body = string.format(
      '{"slug":"%s","title":"Soak article %s","published":"2025-03-%02d",' ..
      '"source":"Soak Wire","body":"The harbour board met on %s. ' ..
      '\\u201cWe will widen the quay,\\u201d said Mara Quell, director of the ' ..
      'Port Office.\\n\\nTariffs and the budget were discussed."}',
      slug, slug, n % 28 + 1, slug)
    return wrk.format("POST", "/v1/articles",
      {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", reads[math.random(#reads)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local slug = body:match('"slug":%s*"(soak%-[0-9]+%-[0-9]+)"')
    created = created .. (slug or "?") .. "\n"
  end
end

function done(summary, latency, requests)
  local f = assert(io.open(out, "w"))
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, count in pairs(s) do
      f:write(string.format("status %d %d\n", status, count))
    end
    for slug in thread:get("created"):gmatch("[^\n]+") do
      f:write("created " .. slug .. "\n")
    end
  end
  local e = summary.errors
  f:write(string.format("errors %d %d %d %d %d\n", e.connect, e.read, e.write, e.status, e.timeout))
  f:write(string.format("requests %d\n", summary.requests))
  f:close()
end
