// kg graph page: draws the embedded graph with vis-network; all data is shown with textContent.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const typeStyle = new Map(data.types.map((t) => [t.type, t]));
  const relationColor = new Map(data.relations.map((r) => [r.relation, r.color]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const hiddenTypes = new Set();

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

  // -- the network ---------------------------------------------------------------------------
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id,
    label: n.label,
    x: n.x,
    y: n.y,
    value: n.size,
    shape: typeStyle.get(n.type).shape,
    color: typeStyle.get(n.type).color,
    title: tooltip(n),
  })));
  const edges = new vis.DataSet(data.edges.map((e, index) => ({
    id: index,
    from: e.from,
    to: e.to,
    value: e.weight,
    color: { color: relationColor.get(e.relation), opacity: 0.75 },
  })));
  const visibleNodes = new vis.DataView(nodes, {
    filter: (n) => !hiddenTypes.has(nodeById.get(n.id).type),
  });
  const large = !data.physics;
  const network = new vis.Network(document.getElementById("network"), { nodes: visibleNodes, edges: edges }, {
    layout: { improvedLayout: false },
    physics: {
      enabled: data.physics,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 110, avoidOverlap: 0.6 },
      stabilization: { iterations: 200, fit: true },
    },
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { min: 8, max: 40, label: { enabled: true, min: 8, max: 80, drawThreshold: 7, maxVisible: 18 } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      smooth: false,
      scaling: { min: 1, max: 6 },
      selectionWidth: 2,
    },
    interaction: { hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large },
  });

  // -- legend and filters --------------------------------------------------------------------
  document.getElementById("heading").textContent = data.heading;
  document.getElementById("note").textContent = data.note;
  const filters = document.getElementById("type-filters");
  for (const t of data.types) {
    const label = element("label");
    const box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.type = t.type;
    box.addEventListener("change", () => setTypeVisible(t.type, box.checked));
    const glyph = element("span", t.glyph, "glyph");
    glyph.style.color = t.color;
    label.append(box, glyph, element("span", `${t.type} (${t.count})`));
    filters.appendChild(label);
  }
  const relations = document.getElementById("relations");
  for (const r of data.relations) {
    const item = element("li");
    const line = element("span", null, "line");
    line.style.background = r.color;
    item.append(line, element("span", r.relation));
    relations.appendChild(item);
  }

  function setTypeVisible(type, visible) {
    if (visible) hiddenTypes.delete(type);
    else hiddenTypes.add(type);
    const box = filters.querySelector(`input[data-type="${CSS.escape(type)}"]`);
    if (box) box.checked = visible;
    visibleNodes.refresh();
  }

  // -- physics -------------------------------------------------------------------------------
  const physicsButton = document.getElementById("physics");
  let physicsOn = data.physics;
  function showPhysics() {
    physicsButton.textContent = physicsOn ? "Physics: on" : "Physics: off";
    physicsButton.setAttribute("aria-pressed", String(physicsOn));
  }
  physicsButton.addEventListener("click", () => {
    physicsOn = !physicsOn;
    network.setOptions({ physics: { enabled: physicsOn } });
    showPhysics();
  });
  showPhysics();

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

  function focusNode(id) {
    const node = nodeById.get(id);
    if (!node) return false;
    if (hiddenTypes.has(node.type)) setTypeVisible(node.type, true);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetails(id);
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

  // -- details panel -------------------------------------------------------------------------
  const panel = document.getElementById("details");
  const body = document.getElementById("details-body");
  document.getElementById("close-details").addEventListener("click", () => { panel.hidden = true; });

  function typeBadge(type) {
    const badge = element("span", type, "type-badge");
    badge.style.background = typeStyle.has(type) ? typeStyle.get(type).color : "#888";
    return badge;
  }

  function evidenceBlock(evidence) {
    const quote = element("blockquote");
    quote.append(document.createTextNode(evidence.before), element("mark", evidence.mention),
      document.createTextNode(evidence.after), element("span", `(${evidence.field})`, "field"));
    return quote;
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
        const name = nodeById.has(link.id) ? element("button", link.name, "link-button") : element("span", link.name);
        if (nodeById.has(link.id)) name.addEventListener("click", () => focusNode(link.id));
        entry.append(typeBadge(link.type), document.createTextNode(" "), name, element("span", link.relation, "relation"));
        link.evidence.forEach((e) => entry.appendChild(evidenceBlock(e)));
        body.appendChild(entry);
      }
    }
    if (d.papers.length) {
      body.appendChild(element("h3", `Papers (${d.papers.length + d.morePapers})`));
      for (const paper of d.papers) {
        const entry = element("div", null, "paper");
        const title = element("div");
        title.appendChild(paper.url ? externalLink(paper.url, paper.title) : element("strong", paper.title));
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

  // Resolves once the drawing stands still: at once without physics, else after stabilising.
  const ready = new Promise((resolve) => {
    if (!data.physics) resolve();
    else network.once("stabilizationIterationsDone", () => { network.fit(); resolve(); });
  });

  window.kg = {
    network, nodes, edges, visibleNodes, findNode, focusNode, setTypeVisible, ready,
    drawnNodeCount: () => network.body.nodeIndices.length,
  };
})();
