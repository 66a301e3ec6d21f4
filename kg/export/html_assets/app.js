// kg graph page: draws the embedded graph with vis-network; all data is shown with textContent.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const typeStyle = new Map(data.types.map((t) => [t.type, t]));
  const familyColor = new Map(data.families.map((f) => [f.family, f.color]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const rank = new Map(data.nodes.map((n, index) => [n.id, index]));  // label priority
  const shownGroups = new Set(data.groups.filter((g) => g.shown).map((g) => g.group));
  const revealed = new Set();  // nodes drawn on demand (search, panel, #focus=)
  const neighbours = new Map(data.nodes.map((n) => [n.id, new Set()]));
  for (const e of data.edges) {
    neighbours.get(e.from).add(e.to);
    neighbours.get(e.to).add(e.from);
  }
  // Labels: drawn by the page in screen pixels (a bounded size at every zoom), most important
  // node first; a label that would overlap one already drawn is left out.
  const LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  const LABEL_MIN_PX = 11;
  const LABEL_MAX_PX = 15;
  const LABEL_TRIES = 3000;
  const maxSize = Math.max(1, ...data.nodes.map((n) => n.size));

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function externalLink(url, text) {
    const href = safeUrl(url);
    if (!href) return element("span", text);
    const link = element("a", text);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function tooltip(node) {
    const box = element("div");
    box.appendChild(element("strong", node.name));
    box.appendChild(element("div", node.type));
    return box;
  }

  function isVisible(id) {
    return shownGroups.has(nodeById.get(id).group) || revealed.has(id);
  }

  // -- the network ---------------------------------------------------------------------------
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id,
    x: n.x,
    y: n.y,
    size: n.size,
    shape: typeStyle.get(n.type).shape,
    color: typeStyle.get(n.type).color,
    title: tooltip(n),
  })));
  const edges = new vis.DataSet(data.edges.map((e, index) => ({
    id: index,
    from: e.from,
    to: e.to,
    width: Math.min(1 + Math.log2(e.weight), 6),
    color: { color: familyColor.get(e.family), opacity: 0.6 },
  })));
  const visibleNodes = new vis.DataView(nodes, { filter: (n) => isVisible(n.id) });
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: visibleNodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false },
    physics: { enabled: false },
    nodes: { borderWidth: 1, font: { size: 0 } },
    edges: { smooth: false, selectionWidth: 2, hoverWidth: 0.5 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.edges.length > 4000 },
  });

  let labelBoxes = [];
  network.on("afterDrawing", (ctx) => {
    const ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
    const width = container.clientWidth;
    const height = container.clientHeight;
    const selected = new Set(network.getSelectedNodes());
    const ids = network.body.nodeIndices.slice().sort((a, b) =>
      (selected.has(b) - selected.has(a)) || (rank.get(a) - rank.get(b)));
    const placed = [];
    const cell = 80;
    const grid = new Map();
    const overlaps = (box) => {
      for (let gx = Math.floor(box.left / cell); gx <= Math.floor(box.right / cell); gx++) {
        for (let gy = Math.floor(box.top / cell); gy <= Math.floor(box.bottom / cell); gy++) {
          for (const other of grid.get(`${gx},${gy}`) || []) {
            if (box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom) return true;
          }
        }
      }
      return false;
    };
    const remember = (box) => {
      for (let gx = Math.floor(box.left / cell); gx <= Math.floor(box.right / cell); gx++) {
        for (let gy = Math.floor(box.top / cell); gy <= Math.floor(box.bottom / cell); gy++) {
          const key = `${gx},${gy}`;
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(box);
        }
      }
      placed.push(box);
    };
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "middle";
    const scale = network.getScale();
    let tries = 0;
    for (const id of ids) {
      if (tries++ > LABEL_TRIES) break;
      const body = network.body.nodes[id];
      const n = nodeById.get(id);
      const at = network.canvasToDOM({ x: body.x, y: body.y });
      if (at.x < 0 || at.y < 0 || at.x > width || at.y > height) continue;
      const px = Math.round(LABEL_MIN_PX + (LABEL_MAX_PX - LABEL_MIN_PX) * Math.sqrt(n.size / maxSize));
      ctx.font = `${selected.has(id) ? "bold " : ""}${px}px ${LABEL_FONT}`;
      const textWidth = ctx.measureText(n.label).width;
      const radius = Math.max(body.options.size * scale, 3);
      const h = px + 4;
      const w = textWidth + 6;
      const candidates = [
        [at.x - w / 2, at.y + radius + 1],        // below
        [at.x - w / 2, at.y - radius - 1 - h],    // above
        [at.x + radius + 2, at.y - h / 2],        // right
        [at.x - radius - 2 - w, at.y - h / 2],    // left
      ];
      for (const [left, top] of candidates) {
        const box = { left, top, right: left + w, bottom: top + h };
        if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height || overlaps(box)) continue;
        remember(Object.assign(box, { id, text: n.label }));
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.fillStyle = "#1a1a1a";
        ctx.strokeText(n.label, left + 3, top + h / 2);
        ctx.fillText(n.label, left + 3, top + h / 2);
        break;
      }
    }
    ctx.restore();
    labelBoxes = placed;
  });

  // -- legend and filters --------------------------------------------------------------------
  document.getElementById("heading").textContent = data.heading;
  document.getElementById("note").textContent = data.note;
  const groupBoxes = document.getElementById("groups");
  const groupCounts = new Map();
  for (const g of data.groups) {
    const label = element("label");
    const box = element("input");
    box.type = "checkbox";
    box.checked = g.shown;
    box.dataset.group = g.group;
    box.addEventListener("change", () => setGroupShown(g.group, box.checked));
    const glyph = element("span", typeStyle.get(g.type).glyph, "glyph");
    glyph.style.color = g.group === g.type ? typeStyle.get(g.type).color : "#999";
    const count = element("span", null, "count");
    groupCounts.set(g.group, count);
    label.append(box, glyph, element("span", g.group), " ", count);
    groupBoxes.appendChild(label);
  }
  const familyCounts = new Map();
  const families = document.getElementById("families");
  for (const f of data.families) {
    const item = element("li");
    const line = element("span", null, "line");
    line.style.background = f.color;
    const count = element("span", null, "count");
    familyCounts.set(f.family, count);
    item.append(line, element("span", f.family), " ", count);
    families.appendChild(item);
  }

  function updateCounts() {
    const drawn = new Map();
    for (const n of data.nodes) if (isVisible(n.id)) drawn.set(n.group, (drawn.get(n.group) || 0) + 1);
    for (const g of data.groups) groupCounts.get(g.group).textContent = `${drawn.get(g.group) || 0}/${g.total}`;
    const links = new Map();
    for (const e of data.edges) if (isVisible(e.from) && isVisible(e.to)) links.set(e.family, (links.get(e.family) || 0) + 1);
    for (const f of data.families) familyCounts.get(f.family).textContent = `${links.get(f.family) || 0}/${f.total}`;
  }

  function refresh() {
    visibleNodes.refresh();
    updateCounts();
  }

  function setGroupShown(group, shown) {
    if (shown) shownGroups.add(group);
    else shownGroups.delete(group);
    const box = groupBoxes.querySelector(`input[data-group="${CSS.escape(group)}"]`);
    if (box) box.checked = shown;
    refresh();
  }

  // -- search --------------------------------------------------------------------------------
  const names = document.getElementById("search-names");
  const searchable = data.nodes.map((n) => ({ id: n.id, keys: [n.name, ...n.aliases].map((k) => k.toLowerCase()) }));
  for (const n of data.nodes) {
    const option = element("option");
    option.value = n.name;
    names.appendChild(option);
  }

  function findNode(query) {
    const wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    const tests = [(k) => k === wanted, (k) => k.startsWith(wanted), (k) => k.includes(wanted)];
    for (const test of tests) {
      const hit = searchable.find((s) => s.keys.some(test));
      if (hit) return hit.id;
    }
    return null;
  }

  // Draws ``id`` (with its neighbours when it was not drawn), opens its panel and centres
  // it in the canvas as it stands with the panel open.
  function focusNode(id) {
    const node = nodeById.get(id);
    if (!node) return false;
    if (!isVisible(id)) {
      revealed.add(id);
      for (const other of neighbours.get(id)) revealed.add(other);
      refresh();
    }
    showDetails(id);
    network.setSize("100%", "100%");  // the panel narrowed the canvas: measure it now
    network.selectNodes([id]);
    network.moveTo({ position: network.getPosition(id), scale: Math.max(network.getScale(), 0.6), animation: false });
    return true;
  }

  const status = document.getElementById("search-status");
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = document.getElementById("search").value;
    const id = findNode(query);
    if (id && focusNode(id)) status.textContent = `Found: ${nodeById.get(id).name}`;
    else status.textContent = `No node matches "${query}"`;
  });
  document.getElementById("fit").addEventListener("click", () => network.fit({ animation: false }));

  // -- details panel -------------------------------------------------------------------------
  const panel = document.getElementById("details");
  const body = document.getElementById("details-body");
  document.getElementById("close-details").addEventListener("click", () => {
    panel.hidden = true;
    network.setSize("100%", "100%");
  });

  function typeBadge(type) {
    const badge = element("span", type, "type-badge");
    badge.style.background = typeStyle.has(type) ? typeStyle.get(type).color : "#888";
    return badge;
  }

  function evidenceBlock(evidence) {
    const quote = element("blockquote");
    for (const [text, marked] of evidence.parts) quote.append(marked ? element("mark", text) : document.createTextNode(text));
    quote.append(element("span", `(${evidence.field})`, "field"));
    return quote;
  }

  function nodeLink(id, name) {
    if (!nodeById.has(id)) return element("span", name);
    const button = element("button", name, "link-button");
    button.addEventListener("click", () => focusNode(id));
    return button;
  }

  function showDetails(id) {
    const d = data.details[id];
    if (!d) return;
    body.replaceChildren();
    body.appendChild(element("h2", d.name));
    body.appendChild(typeBadge(d.type));
    if (d.aliases.length) body.appendChild(element("p", `Also called: ${d.aliases.join("; ")}`));
    if (d.facts.length) {
      const list = element("dl");
      for (const [label, value] of d.facts) list.append(element("dt", label), element("dd", value));
      body.appendChild(list);
    }
    if (d.url) body.appendChild(element("p")).appendChild(externalLink(d.url, d.url));
    if (d.links.length) {
      body.appendChild(element("h3", d.type === "Paper" ? "Mentions" : "Links"));
      for (const link of d.links) {
        const entry = element("div", null, "paper");
        entry.append(typeBadge(link.type), document.createTextNode(" "), nodeLink(link.id, link.name),
          element("span", link.papers ? `${link.relation}, ${link.papers} papers` : link.relation, "relation"));
        link.evidence.forEach((e) => entry.appendChild(evidenceBlock(e)));
        body.appendChild(entry);
      }
    }
    if (d.papers.length) {
      body.appendChild(element("h3", `Papers (${d.papers.length + d.morePapers})`));
      for (const paper of d.papers) {
        const entry = element("div", null, "paper");
        const title = element("div");
        title.appendChild(nodeLink(paper.id, paper.title));
        if (paper.url) title.append(" ", externalLink(paper.url, "\u2197"));
        title.appendChild(element("span", paper.relations.join(", "), "relation"));
        entry.appendChild(title);
        for (const url of paper.code) {
          const code = element("div", "Code: ");
          code.appendChild(externalLink(url, url));
          entry.appendChild(code);
        }
        paper.evidence.forEach((e) => entry.appendChild(evidenceBlock(e)));
        body.appendChild(entry);
      }
      if (d.morePapers) body.appendChild(element("p", `and ${d.morePapers} more papers`));
    }
    panel.hidden = false;
  }

  network.on("click", (params) => {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });

  // -- opening -------------------------------------------------------------------------------
  function focusFromHash() {
    const match = /^#focus=(.+)$/.exec(window.location.hash);
    if (!match) return false;
    let id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (error) {
      return false;
    }
    const found = focusNode(id);
    status.textContent = found ? `Focused: ${nodeById.get(id).name}` : `Not in this page: ${id}`;
    return found;
  }
  window.addEventListener("hashchange", focusFromHash);
  updateCounts();
  network.fit({ animation: false });
  focusFromHash();
  const ready = Promise.resolve();

  window.kg = {
    network, nodes, edges, visibleNodes, findNode, focusNode, setGroupShown, ready,
    drawnNodeCount: () => network.body.nodeIndices.length,
    labelBoxes: () => {
      const frame = container.getBoundingClientRect();
      return labelBoxes.map((b) => ({ id: b.id, text: b.text, left: b.left + frame.left, top: b.top + frame.top,
        right: b.right + frame.left, bottom: b.bottom + frame.top }));
    },
  };
})();
