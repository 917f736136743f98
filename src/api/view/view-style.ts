/**
 * The web view's one stylesheet (inline, no external asset) and the page's Content-Security-Policy: nothing may be
 * loaded but this exact stylesheet (by its SHA-256) and the charts as `data:` images; no script, no form, no frame,
 * no base. A phone reads it in one column; tables scroll sideways inside their box; print drops the navigation.
 */
import { createHash } from 'node:crypto';

/** The stylesheet. */
export const VIEW_CSS = `
:root{color-scheme:light;--ink:#1b2430;--muted:#5b6675;--line:#d6dbe1;--bg:#f6f7f9;--card:#fff;--urgent:#a4161a;--attention:#8a5a00;--info:#1d4e89;--given:#1f6f43;--held:#8a5a00}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#1d2b3a;color:#fff;padding:.75rem 1rem}
header.top p{margin:0;font-size:.85rem;opacity:.85}
header.top h1{margin:.1rem 0 0;font-size:1.35rem}
main{max-width:60rem;margin:0 auto;padding:.75rem}
section{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:.2rem 0 .6rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
.muted{color:var(--muted);font-size:.9rem}
.notice{border-left:4px solid var(--info);padding:.4rem .75rem;background:#eef3f9;margin:0 0 1rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
mark{background:#fde2e1;color:var(--urgent);font-weight:600;padding:0 .15rem}
.status{display:inline-block;border-radius:1rem;padding:0 .5rem;font-size:.85rem;font-weight:600;border:1px solid}
.status-given{color:var(--given)}.status-held,.status-partial,.status-refused{color:var(--held)}
.sev{font-weight:700;text-transform:uppercase;font-size:.8rem}
.sev-urgent{color:var(--urgent)}.sev-attention{color:var(--attention)}.sev-information{color:var(--info)}
ul.signals{list-style:none;padding:0;margin:0}
ul.signals li{border-left:4px solid var(--line);padding:.3rem .6rem;margin:.4rem 0}
ul.signals li.urgent{border-color:var(--urgent)}ul.signals li.attention{border-color:var(--attention)}ul.signals li.information{border-color:var(--info)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .9rem;margin:.3rem 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
figure{margin:.5rem 0}
figure img{display:block;width:100%;height:auto;max-width:44rem;border:1px solid var(--line);border-radius:.3rem;background:#fff}
figcaption{font-size:.88rem;color:var(--muted);margin-top:.3rem}
table.timeline th[scope=row],table.timeline td.num{white-space:nowrap}
nav.sessions ol{margin:0;padding-left:1.2rem}
a{color:#1d4e89}
@media (max-width:36rem){main{padding:.4rem}section{padding:.6rem}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.3rem}th,td{padding:.3rem}}
@media print{body{background:#fff}nav.sessions{display:none}section{border:0;break-inside:avoid}}
`;

/** `'sha256-…'` of the stylesheet, as the policy names it. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(VIEW_CSS, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy. */
export const VIEW_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
