-- R2: the newest 20 articles of a theme, over the themes of the corpus.
local themes = {"digital-economy", "artificial-intelligence", "energy", "trade",
  "public-finance", "health", "transport", "agriculture", "labour", "climate-change",
  "housing", "technological-innovation", "finance", "defence", "education"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", "/v1/articles?theme=" .. themes[math.random(#themes)] .. "&limit=20")
end
