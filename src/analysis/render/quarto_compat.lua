-- The Quarto features the report uses, for plain pandoc (the fallback renderer).
--   * .content-visible / .content-hidden with when-format / unless-format
--   * cross-reference divs #fig-… and #tbl-… (last paragraph = caption), numbered per kind
--   * @fig-… / @tbl-… / @sec-… references → "Figur 1", "Tabell 2", "avsnitt 3.1"
--   * .callout-note / -tip / -important / -warning / -caution with an optional title
--   * fig-alt on images
--   * HTML: Swedish quotation marks; table captions outside the table's scroll box
-- Quarto itself does all of this natively; this filter keeps the two renderers' output alike.

local is_html = FORMAT:match("html") ~= nil
local format_names = is_html and { html = true, html5 = true } or { typst = true, pdf = true }

local prefix = { fig = "Figur", tbl = "Tabell", sec = "Avsnitt" }  -- as Quarto with lang: sv
local callout_titles = {
  note = "Observera", tip = "Tips", important = "Viktigt", warning = "Varning", caution = "Varning",
}
local numbers = {}      -- id → "1" / "2.3"
local counters = { fig = 0, tbl = 0 }

local function kind_of(id)
  return id and id:match("^(%a+)%-")
end

local function visible(div)
  local when, unless = div.attributes["when-format"], div.attributes["unless-format"]
  if div.classes:includes("content-visible") then
    if when then return format_names[when] == true end
    if unless then return format_names[unless] ~= true end
  elseif div.classes:includes("content-hidden") then
    if when then return format_names[when] ~= true end
    if unless then return format_names[unless] == true end
  end
  return nil
end

local function raw_block(html, typst)
  if is_html then return pandoc.RawBlock("html", html) end
  return pandoc.RawBlock("typst", typst)
end

local function callout(div)
  local kind = nil
  for _, class in ipairs(div.classes) do
    kind = kind or class:match("^callout%-(%a+)$")
  end
  if not kind then return nil end
  local title = div.attributes["title"] or callout_titles[kind] or "Observera"
  local blocks = pandoc.List({ pandoc.Para({ pandoc.Strong(pandoc.Str(title)) }) })
  blocks:extend(div.content)
  if is_html then
    return pandoc.Div(blocks, pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }))
  end
  local out = pandoc.List({ raw_block("", "#block(breakable: false, width: 100%, inset: 10pt, radius: 3pt, stroke: (left: 3pt + rgb(\"#0072B2\")), fill: rgb(\"#EEF4FA\"))[") })
  out:extend(blocks)
  out:insert(raw_block("", "]"))
  return out
end

local function caption_of(div)
  local last = div.content[#div.content]
  if last and last.t == "Para" then
    local body = pandoc.List(div.content)
    body:remove(#body)
    return body, last.content
  end
  error("cross-reference div #" .. div.identifier .. " has no caption (its last block must be a paragraph)")
end

local function numbered(id, inlines)
  local label = pandoc.List({ pandoc.Str(prefix[kind_of(id)] .. "\u{a0}" .. numbers[id] .. ":"), pandoc.Space() })
  label:extend(inlines)
  return label
end

local function crossref_div(div)
  local kind = kind_of(div.identifier)
  if kind ~= "fig" and kind ~= "tbl" then return nil end
  local body, caption = caption_of(div)
  if kind == "tbl" then
    for i, block in ipairs(body) do
      if block.t == "Table" then
        if is_html then
          -- The caption above and outside the box that scrolls a wide table sideways (a caption
          -- inside it would be cut on a phone); the table is labelled by it.
          local caption_id = div.identifier .. "-caption"
          block.attributes["aria-labelledby"] = caption_id
          -- attributes as a list of pairs: a Lua table's order would differ between runs
          body[i] = pandoc.Div({ block }, pandoc.Attr("", { "table-scroll" },
            { { "tabindex", "0" }, { "role", "region" }, { "aria-labelledby", caption_id } }))
          body:insert(i, pandoc.Div({ pandoc.Plain(numbered(div.identifier, caption)) },
            pandoc.Attr(caption_id, { "table-caption" })))
          return pandoc.Div(body, pandoc.Attr(div.identifier, { "table-figure" }))
        end
        block.caption = pandoc.Caption({ pandoc.Plain(numbered(div.identifier, caption)) })
        block.identifier = div.identifier
        body[i] = block
        return body
      end
    end
    error("table div #" .. div.identifier .. " holds no table")
  end
  return pandoc.Figure(body, { pandoc.Plain(numbered(div.identifier, caption)) }, pandoc.Attr(div.identifier))
end

local function image_alt(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["fig-alt"] = nil
    img.attributes["alt"] = alt
    if not is_html then img.caption = {} end
  end
  return img
end

-- Swedish quotation marks in the HTML (”…” and ’…’); Typst sets them itself from the language.
local function swedish_quotes(quoted)
  if not is_html then return nil end
  local mark = quoted.quotetype == "DoubleQuote" and "\u{201D}" or "\u{2019}"
  local out = pandoc.List({ pandoc.Str(mark) })
  out:extend(quoted.content)
  out:insert(pandoc.Str(mark))
  return out
end

local function reference(cite)
  local out = pandoc.List()
  for i, citation in ipairs(cite.citations) do
    local kind = kind_of(citation.id)
    if not prefix[kind] then return nil end
    local number = numbers[citation.id]
    if not number then error("unresolved cross-reference @" .. citation.id) end
    local text = prefix[kind] .. "\u{a0}" .. number
    if is_html then
      out:insert(pandoc.Link(text, "#" .. citation.id))
    else
      out:insert(pandoc.RawInline("typst", "#link(<" .. citation.id .. ">)[" .. text .. "]"))
    end
    if i < #cite.citations then out:insert(pandoc.Str(", ")) end
  end
  return out
end

-- HTML: every other table in a box that scrolls it sideways on a narrow screen.
-- A table without a header row (a key–value list) gets its first column as row headers, so that
-- every table has header cells.
local function row_headers(tbl)
  if #tbl.head.rows > 0 then return tbl end
  for _, body in ipairs(tbl.bodies) do
    if body.row_head_columns == 0 then body.row_head_columns = 1 end
  end
  return tbl
end

local function scroll_box(tbl)
  tbl = row_headers(tbl)
  if not is_html then return tbl end
  if tbl.attributes["aria-labelledby"] then return tbl end  -- numbered tables have their box already
  local caption = pandoc.utils.stringify(tbl.caption.long or {})
  return pandoc.Div({ tbl }, pandoc.Attr("", { "table-scroll" },
    { { "tabindex", "0" }, { "role", "region" }, { "aria-label", caption ~= "" and caption or prefix.tbl } }))
end

function Pandoc(doc)
  -- 1. drop content meant for the other format
  doc = doc:walk({ Div = function(div)
    local keep = visible(div)
    if keep == nil then return nil end
    if keep then return div.content end
    return {}
  end })
  -- 2. number figures, tables and (when number-sections is on) sections, in document order
  local section = {}
  local number_sections = doc.meta["number-sections"] == true
  for _, block in ipairs(doc.blocks) do
    if block.t == "Header" and number_sections and not block.classes:includes("unnumbered") then
      section[block.level] = (section[block.level] or 0) + 1
      for level = block.level + 1, 6 do section[level] = nil end
      local parts = {}
      for level = 1, block.level do parts[#parts + 1] = tostring(section[level] or 0) end
      if block.identifier ~= "" then numbers[block.identifier] = table.concat(parts, ".") end
    end
  end
  doc:walk({ Div = function(div)
    local kind = kind_of(div.identifier)
    if kind == "fig" or kind == "tbl" then
      counters[kind] = counters[kind] + 1
      numbers[div.identifier] = tostring(counters[kind])
    end
  end })
  -- 3. build figures, tables and callouts; resolve references
  doc = doc:walk({
    Div = function(div) return crossref_div(div) or callout(div) end,
    Image = image_alt,
    Cite = reference,
    Quoted = swedish_quotes,
  })
  return doc:walk({ Table = scroll_box })
end
