-- R3: full-text search over varied words, each request a query the server
-- has not answered before (two words, and a start date drawn at random).
local words = {"budget", "deficit", "debt", "tax", "revenue", "fiscal", "grid", "renewable",
  "electricity", "gas", "power", "tariffs", "exports", "imports", "trade", "agreement",
  "hospitals", "health", "vaccination", "insurance", "railway", "ports", "transport",
  "motorway", "farmers", "harvest", "food", "prices", "irrigation", "wage", "unemployment",
  "unions", "labour", "market", "carbon", "emissions", "climate", "heatwave", "housing",
  "rents", "mortgage", "construction", "innovation", "research", "patents", "startups",
  "interest", "inflation", "banks", "bond", "defence", "forces", "procurement", "schools",
  "universities", "teachers", "training", "digital", "platforms", "commerce", "data",
  "intelligence", "learning", "models", "plan", "review", "targets", "spending", "sector",
  "government", "officials", "analysts", "priority", "reform", "regions", "support"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local q = words[math.random(#words)] .. "+" .. words[math.random(#words)]
  local from = string.format("2015-%02d-%02d", math.random(1, 12), math.random(1, 28))
  return wrk.format("GET", "/v1/search?q=" .. q .. "&from=" .. from .. "&limit=20")
end
