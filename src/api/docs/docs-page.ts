/**
 * A self-contained API reference page at `/docs` (no CDN: the page and its script are served by
 * the service; the script reads `/openapi.json` and renders the operations and schemas).
 */
import { Router, type Request, type Response } from 'express';

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kap-fhir API</title>
<link rel="stylesheet" href="/docs/docs.css">
</head>
<body>
<header><h1>kap-fhir API</h1><p id="summary">Loading <a href="/openapi.json">/openapi.json</a>…</p></header>
<main id="content"></main>
<script src="/docs/docs.js"></script>
</body>
</html>`;

const CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
header{background:#1d3557;color:#fff;padding:1rem 2rem}header a{color:#cde}
main{padding:1rem 2rem;max-width:70rem}
h2{border-bottom:2px solid #1d3557;padding-bottom:.2rem}
.op{background:#fff;border:1px solid #d5dbe3;border-radius:6px;margin:.6rem 0;padding:.5rem .8rem}
.op summary{cursor:pointer;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.get{color:#2a7}.post{color:#27c}.put{color:#c80}.delete{color:#c33}
pre{background:#f0f2f5;padding:.6rem;overflow:auto;max-height:30rem;font-size:.85rem}
.lock{color:#a60;font-size:.8rem}`;

const JS = `(async function () {
  const res = await fetch('/openapi.json');
  const doc = await res.json();
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  };
  document.getElementById('summary').textContent = (doc.info.description || '') + ' Version ' + doc.info.version + '.';
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  const main = document.getElementById('content');
  for (const [tag, ops] of byTag) {
    main.append(el('h2', {}, tag));
    for (const { path, method, op } of ops) {
      const body = el('div', {});
      if (op.requestBody) body.append(el('h4', {}, 'Request body'), el('pre', {}, JSON.stringify(op.requestBody.content, null, 2)));
      if (op.parameters) body.append(el('h4', {}, 'Parameters'), el('pre', {}, JSON.stringify(op.parameters, null, 2)));
      body.append(el('h4', {}, 'Responses'), el('pre', {}, JSON.stringify(op.responses, null, 2)));
      const summary = el('summary', {}, el('span', { class: 'm ' + method }, method), ' ', path, ' — ', op.summary || '');
      if (op.security) summary.append(' ', el('span', { class: 'lock' }, '[auth]'));
      main.append(el('details', { class: 'op', 'data-path': path, 'data-method': method }, summary, body));
    }
  }
  main.append(el('h2', {}, 'Schemas'));
  for (const [name, schema] of Object.entries((doc.components && doc.components.schemas) || {})) {
    main.append(el('details', { class: 'op', id: 'schema-' + name }, el('summary', {}, name), el('pre', {}, JSON.stringify(schema, null, 2))));
  }
})().catch(function () {
  document.getElementById('summary').textContent = 'Could not load /openapi.json';
});`;

/** The docs router: `/docs`, `/docs/docs.js`, `/docs/docs.css`, and `/openapi.json`. */
export function docsRouter(document: () => Record<string, unknown>): Router {
  const router = Router();
  let cached: string | undefined;
  router.get('/openapi.json', (_req: Request, res: Response) => {
    cached = cached ?? JSON.stringify(document());
    res.type('application/json').send(cached);
  });
  router.get('/docs', (_req: Request, res: Response) => {
    res.type('html').send(HTML);
  });
  router.get('/docs/docs.js', (_req: Request, res: Response) => {
    res.type('application/javascript').send(JS);
  });
  router.get('/docs/docs.css', (_req: Request, res: Response) => {
    res.type('text/css').send(CSS);
  });
  return router;
}
