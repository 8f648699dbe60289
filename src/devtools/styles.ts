// The panel's stylesheet, inside its shadow root: nothing here reaches the page, and `all: initial` on
// the host stops the page's inherited styles (font, color, line-height...) from reaching the panel.

export const STYLES = `
:host { all: initial !important; }
.root { position: fixed; z-index: 2147483000; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; }
.root[data-position$="right"] { right: 12px; } .root[data-position$="left"] { left: 12px; }
.root[data-position^="bottom"] { bottom: 12px; } .root[data-position^="top"] { top: 12px; }
.root[data-position^="top"] { display: flex; flex-direction: column-reverse; align-items: flex-end; }
.root[data-position$="left"] { align-items: flex-start; }
button, select, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; border: 1px solid #b9c0cf; background: #f4f6fa; border-radius: 6px; padding: 2px 8px; }
button:hover { background: #e7ebf3; }
:focus-visible { outline: 2px solid #2463eb; outline-offset: 1px; }
.toggle { display: block; margin-left: auto; background: #1d2330; color: #fff; border-color: #1d2330; border-radius: 16px; padding: 6px 12px; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.toggle:hover { background: #323b50; }
.root[data-position$="left"] .toggle { margin-left: 0; }
.toggle .count { opacity: .75; margin-left: 4px; }
.toggle .count[data-overridden="true"] { color: #ffcf5c; opacity: 1; }
.panel { box-sizing: border-box; width: min(560px, calc(100vw - 24px)); max-height: min(70vh, 640px); overflow: auto; margin: 8px 0; background: #fff;
  border: 1px solid #c9cfdb; border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.22); padding: 10px 12px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
h2 { font-size: 14px; margin: 0 auto 0 0; }
.status { font-size: 12px; border-radius: 10px; padding: 1px 8px; background: #e5f6ea; color: #12622b; }
.status[data-state="stale"], .status[data-state="loading"] { background: #fff4d6; color: #7a5400; }
.status[data-state="error"] { background: #fde3e3; color: #9b1c1c; }
.revision { font: 12px ui-monospace, Menlo, Consolas, monospace; color: #4b5565; }
.error { margin: 6px 0 0; color: #9b1c1c; font-size: 12px; }
.tools { display: flex; gap: 8px; margin: 8px 0; }
.tools input { flex: 1; min-width: 0; padding: 3px 6px; border: 1px solid #b9c0cf; border-radius: 6px; }
details.context { margin: 0 0 8px; }
details.context summary { cursor: pointer; }
.local { margin-left: 6px; font-size: 11px; background: #ffe8b3; color: #6b4500; border-radius: 8px; padding: 0 6px; }
textarea { box-sizing: border-box; width: 100%; min-height: 80px; font: 12px ui-monospace, Menlo, Consolas, monospace; margin: 6px 0 4px;
  border: 1px solid #b9c0cf; border-radius: 6px; padding: 4px 6px; }
.context[data-local="true"] textarea { border-color: #d99a00; background: #fffaf0; }
.context-error { color: #9b1c1c; font-size: 12px; margin: 2px 0 0; }
ul { list-style: none; margin: 0; padding: 0; }
li.row { border-top: 1px solid #e3e7ef; padding: 4px 0; }
li.row[data-overridden="true"] { background: #fff8e6; box-shadow: inset 3px 0 0 #e0a100; }
.line { display: flex; align-items: center; gap: 6px; }
.expand { flex: 1; min-width: 0; display: flex; align-items: baseline; gap: 8px; text-align: left; border: 0; background: none; padding: 3px 4px; }
.expand::before { content: "\\25B8"; color: #6b7385; }
.expand[aria-expanded="true"]::before { content: "\\25BE"; }
.key { font-weight: 600; overflow-wrap: anywhere; }
.value { font-family: ui-monospace, Menlo, Consolas, monospace; color: #0b5cad; overflow-wrap: anywhere; }
.variant { color: #4b5565; }
.reason { margin-left: auto; font-size: 11px; letter-spacing: .02em; background: #eef1f6; border-radius: 8px; padding: 0 6px; white-space: nowrap; }
.badge { font-size: 11px; background: #e0a100; color: #fff; border-radius: 8px; padding: 0 6px; }
select { max-width: 140px; border: 1px solid #b9c0cf; border-radius: 6px; padding: 1px 2px; background: #fff; }
.explain { margin: 4px 0 6px 22px; font-size: 12px; color: #2b3242; }
.explain[hidden] { display: none; }
.explain p { margin: 2px 0; }
.explain ol, .explain ul.requires { margin: 2px 0; padding-left: 18px; list-style: revert; }
.explain li { margin: 2px 0; }
.explain code { font: 12px ui-monospace, Menlo, Consolas, monospace; background: #f1f3f7; border-radius: 3px; padding: 0 3px; }
.outcome { font-weight: 600; }
.outcome[data-outcome="served"] { color: #12622b; } .outcome[data-outcome="no-match"], .outcome[data-outcome="outside"], .outcome[data-outcome="no-unit"] { color: #9b1c1c; }
.outcome[data-outcome="not-reached"] { color: #6b7385; font-weight: 400; }
.muted { color: #6b7385; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`
