/**
 * The pages' one stylesheet: mobile first (a 360 px phone is the design
 * width), system fonts (no downloads), text at least 4.5:1 against its
 * background, and a focus ring that is always visible.
 */
export const STYLES = `
:root { --ink: #1b1b1b; --muted: #4a4a4a; --paper: #ffffff; --wash: #f4f1ee; --red: #a4161a; --red-dark: #7a0f12;
  --ok: #1e6b34; --bad: #a4161a; --line: #d6d0ca; --focus: #1546c9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  color: var(--ink); background: var(--wash); }
a { color: var(--red-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }
.top { display: flex; align-items: center; gap: .5rem; padding: .5rem 1rem; background: var(--red); color: #fff; }
.top .brand { font-weight: 700; margin-right: auto; }
.top a, .top button { display: inline-flex; align-items: center; color: #fff; background: transparent; border: 1px solid rgba(255,255,255,.7); border-radius: 6px;
  padding: .35rem .6rem; font: inherit; font-size: .9rem; text-decoration: none; min-height: 36px; cursor: pointer; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: .5rem 1rem; background: var(--paper);
  border-bottom: 1px solid var(--line); }
nav a { display: inline-block; padding: .4rem .7rem; border-radius: 999px; text-decoration: none; color: var(--ink); }
nav a[aria-current="page"] { background: var(--red); color: #fff; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; margin: 0 0 1rem; }
.note { color: var(--muted); font-size: .9rem; margin: .25rem 0; overflow-wrap: anywhere; }
.evidence { margin: .5rem 0; }
.evidence img { display: block; max-width: 100%; height: auto; border-radius: 6px; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: .5rem; margin: 0; }
.figures div { min-width: 0; }
.figures dt { color: var(--muted); font-size: .85rem; }
.figures dd { margin: 0; font-size: 1.15rem; font-weight: 700; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.figures dd.big { font-size: 1.6rem; color: var(--red-dark); }
dl.pairs { display: grid; grid-template-columns: auto 1fr; gap: .25rem .75rem; margin: .75rem 0 0; }
dl.pairs dt { color: var(--muted); }
dl.pairs dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input, select, textarea { width: 100%; font: inherit; padding: .55rem .6rem; border: 1px solid #767676; border-radius: 6px;
  background: var(--paper); color: var(--ink); min-height: 44px; }
textarea { min-height: 8rem; }
.hint { display: block; color: var(--muted); font-size: .85rem; font-weight: 400; }
button, .button { display: inline-block; font: inherit; font-weight: 600; min-height: 44px; padding: .55rem 1.1rem; margin-top: 1rem;
  border-radius: 6px; border: 1px solid var(--red); background: var(--red); color: #fff; cursor: pointer; text-decoration: none; }
button.secondary { background: var(--paper); color: var(--red-dark); }
button:disabled { opacity: .6; cursor: progress; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.row button { margin-top: .5rem; }
.qr { display: flex; justify-content: center; }
.qr img { width: min(72vw, 260px); height: auto; background: #fff; padding: 8px; border: 1px solid var(--line); image-rendering: pixelated; }
.code { font: 700 1.5rem/1.2 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; letter-spacing: .08em; text-align: center; margin: .75rem 0 .25rem; }
.center { text-align: center; }
.list { list-style: none; margin: 0; padding: 0; }
.list > li { border-bottom: 1px solid var(--line); padding: .6rem 0; }
.list > li:last-child { border-bottom: 0; }
.list .line { display: flex; justify-content: space-between; gap: .5rem; }
.list .line > * { min-width: 0; overflow-wrap: anywhere; }
/* A long word (an id in a memo, a reference) wraps rather than widening a phone's page. */
main p, main li { overflow-wrap: anywhere; }
.postings { padding-left: 1rem; }
.nowrap { white-space: nowrap; }
.amount { font-variant-numeric: tabular-nums; font-weight: 700; white-space: nowrap; }
.plus { color: var(--ok); }
.minus { color: var(--bad); }
.badge { display: inline-block; font-size: .8rem; padding: .05rem .45rem; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; align-self: flex-start; }
.message { padding: .6rem .8rem; border-radius: 6px; margin: 0 0 1rem; }
.message:empty { display: none; }
.message.ok { background: #e6f2e9; color: var(--ok); border: 1px solid var(--ok); }
.message.error { background: #fbeaea; color: var(--bad); border: 1px solid var(--bad); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .35rem .25rem; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; }
.top button { margin-top: 0; }
.chart { margin: 0; }
.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: .75rem; font-size: .85rem; margin: .5rem 0 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
.s-issued { background: #1e6b34; } .s-redeemed { background: #a4161a; } .s-expired { background: #6b6b6b; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
video { width: 100%; border-radius: 6px; background: #000; }
meter { width: 100%; height: 1.25rem; }
[hidden] { display: none !important; }
label.check { display: flex; align-items: center; gap: .5rem; font-weight: 400; margin: .5rem 0; }
label.check input { width: auto; min-height: 0; min-width: 1.25rem; height: 1.25rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .75rem 0 0; padding: .25rem .75rem; }
legend { font-weight: 600; padding: 0 .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.tree > li.depth-1 { padding-left: 1rem; } .tree > li.depth-2 { padding-left: 2rem; } .tree > li.depth-3 { padding-left: 3rem; }
.tree > li.depth-4, .tree > li.depth-5 { padding-left: 4rem; }
.sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .75rem; max-width: 60rem; margin: 0 auto 1rem; }
.sheet > button { grid-column: 1 / -1; justify-self: start; }
.sign-in-card { background: var(--paper); border: 1px dashed var(--muted); border-radius: 8px; padding: .75rem; text-align: center; break-inside: avoid; }
.sign-in-card h2 { font-size: 1rem; margin: 0 0 .25rem; }
.sign-in-card .card-name { font-weight: 700; margin: 0 0 .25rem; }
.sign-in-card img { width: 10rem; height: 10rem; }
.sign-in-card .code { font-size: 1.05rem; letter-spacing: .04em; overflow-wrap: anywhere; }
.certificate-sheet { background: var(--paper); border: 1px solid var(--muted); border-radius: 8px; padding: 1.25rem; max-width: 44rem; margin: 1rem auto; }
.certificate-sheet h2 { text-align: center; font-size: 1.5rem; letter-spacing: .2em; margin: .5rem 0 1rem; }
.certificate-sheet .register { text-align: right; color: var(--muted); margin: 0; }
.certificate-sheet .statement { text-indent: 2em; line-height: 1.9; }
.certificate-sheet table { width: 100%; border-collapse: collapse; margin: .75rem 0; }
.certificate-sheet th, .certificate-sheet td { border: 1px solid var(--muted); padding: .35rem .5rem; text-align: left; }
.certificate-sheet .num { text-align: right; font-variant-numeric: tabular-nums; }
.certificate-sheet .sign-off { text-align: right; margin: 1.5rem 0; }
.certificate-sheet .sign-off p { margin: .25rem 0; }
.certificate-sheet .check { display: grid; grid-template-columns: 8rem 1fr; gap: .75rem; align-items: center; border-top: 1px dashed var(--muted); padding-top: .75rem; }
.certificate-sheet .check .qr svg { width: 8rem; height: 8rem; display: block; }
.certificate-sheet .check .small { grid-column: 1 / -1; font-size: .8rem; color: var(--muted); margin: 0; }
.certificate-sheet .url { overflow-wrap: anywhere; font-size: .85rem; }
.certificate-sheet .verdict { border: 2px solid var(--red); color: var(--red); padding: .5rem; font-weight: 700; text-align: center; }
@page { size: A4; margin: 12mm; }
@media print {
  body { background: #fff; }
  .top, nav, footer, .skip, .message, .no-print, main > h1 { display: none !important; }
  main { max-width: none; padding: 0; }
  .sheet { display: grid !important; grid-template-columns: repeat(3, 1fr); gap: 6mm; }
  .sign-in-card { min-height: 80mm; border-color: #000; }
  .certificate-sheet { border: none; max-width: none; margin: 0; padding: 8mm 10mm; font-size: 12pt; }
  .certificate-sheet h2 { font-size: 20pt; margin-top: 10mm; }
  .certificate-sheet th, .certificate-sheet td { border-color: #000; }
  .certificate-sheet .check .qr svg { width: 32mm; height: 32mm; }
}
footer { max-width: 40rem; margin: 0 auto; padding: 0 1rem 2rem; color: var(--muted); font-size: .85rem; }
`;
