-- R4: article counts per theme.
request = function()
  return wrk.format("GET", "/v1/facets?field=theme&limit=20")
end
