// Shows the book's citations and figure references in JupyterLab as the website shows them.
//
// jupyterlab-myst reads no bibliography: it renders each citation as its key inside a warning marker,
// and each figure reference to a code cell's figure as its label inside another. This plugin hides
// those markers and puts the website's text beside them: citations from references.json (written by
// tools/lab_references.py with sphinxcontrib-bibtex), figure numbers by counting the figures of the
// open notebook. The markers stay in the DOM, hidden, because React owns them and re-renders the cell
// when a glued number arrives; a marker it replaces takes its stale text with it.

const CITATION_MARKER = 'Citation Not Found';
const FIGURE_MARKER = 'Cross Reference Not Found';
const REPLACEMENT_CLASS = 'regbook-reference';
const CITATION_ROLES = { parenthetical: 'p', narrative: 't' };

function markerText(node, message) {
  return node.classList.contains('text-yellow-600') && node.title === message
    ? node.textContent.trim()
    : null;
}

// "p:key1,key2" for a citation group whose every key jupyterlab-myst could not find, else null.
function citationSource(group) {
  const role = Object.keys(CITATION_ROLES).find(kind => group.classList.contains(kind));
  const keys = Array.from(group.children, child => markerText(child, CITATION_MARKER));
  if (!role || keys.length === 0 || keys.includes(null)) {
    return null;
  }
  return `${CITATION_ROLES[role]}:${keys.join(',')}`;
}

// The website's number of each figure of the notebook: its chapter's number, then its rank.
function figureNumbers(panel, references) {
  const path = panel.context.path;
  const notebook = Object.keys(references.chapters).find(
    known => path === known || path.endsWith(`/${known}`)
  );
  const numbers = new Map();
  if (notebook === undefined) {
    return numbers;
  }
  const chapter = references.chapters[notebook];
  const cells = panel.content.model.cells;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells.get(index);
    const name = cell.type === 'code' ? cell.getMetadata('mystnb')?.figure?.name : undefined;
    if (name && !numbers.has(name)) {
      const rank = numbers.size + 1;
      numbers.set(name, chapter ? `${chapter}.${rank}` : `${rank}`);
    }
  }
  return numbers;
}

function replace(marker, source, html) {
  const next = marker.nextElementSibling;
  if (next && next.classList.contains(REPLACEMENT_CLASS) && next.dataset.source === source) {
    return;
  }
  const replacement = document.createElement('span');
  replacement.className = REPLACEMENT_CLASS;
  replacement.dataset.source = source;
  replacement.innerHTML = html;
  marker.after(replacement);
  marker.hidden = true;
  marker.dataset.regbookReplaced = source;
}

function escapeHtml(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

function update(panel, references) {
  const root = panel.content.node;
  for (const group of root.querySelectorAll('.jp-MarkdownCell .cite-group')) {
    const source = citationSource(group);
    const html = source && references.citations[source];
    if (html) {
      replace(group, source, html);
    }
  }
  const numbers = figureNumbers(panel, references);
  for (const marker of root.querySelectorAll('.jp-MarkdownCell .text-yellow-600')) {
    const label = markerText(marker, FIGURE_MARKER);
    if (label && numbers.has(label)) {
      const text = references.figure_format.replace('%s', numbers.get(label));
      replace(marker, `figure:${label}`, escapeHtml(text));
    }
  }
  // React reuses or drops the markers on a re-render: drop what no longer sits after its marker.
  for (const replacement of root.querySelectorAll(`.${REPLACEMENT_CLASS}`)) {
    const marker = replacement.previousElementSibling;
    if (!marker || marker.dataset.regbookReplaced !== replacement.dataset.source) {
      replacement.remove();
    }
  }
  for (const marker of root.querySelectorAll('[data-regbook-replaced]')) {
    const next = marker.nextElementSibling;
    if (!next || next.dataset.source !== marker.dataset.regbookReplaced) {
      marker.hidden = false;
      delete marker.dataset.regbookReplaced;
    }
  }
}

function isNotebookPanel(widget) {
  return Boolean(widget.context && widget.content && widget.content.model && widget.content.node);
}

async function start(app) {
  const url = `${app.serviceManager.serverSettings.baseUrl}lab/extensions/regbook-references/references.json`;
  // no-cache: `make lab` rewrites the file at each start, under the same name.
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) {
    console.warn(`regbook-references: no ${url} (${response.status}); run python tools/lab_references.py`);
    return;
  }
  const references = await response.json();
  let scheduled = false;
  const run = () => {
    scheduled = false;
    for (const widget of app.shell.widgets('main')) {
      if (isNotebookPanel(widget)) {
        update(widget, references);
      }
    }
  };
  new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(run);
    }
  }).observe(app.shell.node, { childList: true, subtree: true });
  run();
}

// Not awaited: JupyterLab waits for every plugin's activation before it shows the page.
function activate(app) {
  start(app).catch(error => console.warn('regbook-references:', error));
}

module.exports = {
  id: 'regbook-references:plugin',
  description: "Shows the book's citations and figure references as the website shows them.",
  autoStart: true,
  activate
};
