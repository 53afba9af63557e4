// The dashboard's page and style sheet, shipped as strings (no CDN, no build step): a services table, the graph, a log tail.

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rc</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>rc</h1>
  <span id="daemon"></span>
  <span id="conn" class="conn down">connecting</span>
</header>
<main>
  <section id="services-section">
    <div class="bar"><h2>Services</h2><input id="filter" type="search" placeholder="filter" aria-label="filter services"></div>
    <div class="scroll">
      <table id="services">
        <thead><tr>
          <th>service</th><th class="wide">type</th><th>state</th><th>ready</th><th>health</th>
          <th>pid</th><th class="wide">uptime</th><th class="wide">restarts</th><th class="wide">last exit</th><th>actions</th>
        </tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
  <section id="logs-section" hidden>
    <div class="bar"><h2>Log: <span id="logs-name"></span></h2><button id="logs-close" type="button">close</button></div>
    <pre id="logs"></pre>
  </section>
  <section id="graph-section">
    <div class="bar"><h2>Dependencies</h2></div>
    <div class="scroll" id="graph"></div>
  </section>
  <section id="events-section">
    <div class="bar"><h2>Events</h2></div>
    <ol id="events"></ol>
  </section>
</main>
<div id="message" role="status" hidden></div>
<dialog id="token-dialog">
  <p>Changing a service needs the token of <code>rc boot --http-token-file</code>.</p>
  <input id="token-input" type="password" autocomplete="off" aria-label="token">
  <div class="buttons"><button id="token-cancel" type="button">cancel</button><button id="token-ok" type="button">ok</button></div>
</dialog>
</body>
</html>
`;

export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --wait: #9a6700; --mute: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; }
header { display: flex; gap: 1em; align-items: baseline; padding: .5em 1em; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
h1 { margin: 0; font-size: 1.3em; }
h2 { margin: 0; font-size: 1.05em; }
main { padding: 0 1em 2em; }
section { margin-top: 1em; }
.bar { display: flex; gap: 1em; align-items: center; justify-content: space-between; margin-bottom: .4em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid var(--line); white-space: nowrap; }
td.name button { all: unset; cursor: pointer; text-decoration: underline dotted; }
td.actions button { margin-right: .3em; min-width: 4.5em; padding: .35em .5em; }
.conn { font-size: .85em; padding: 0 .5em; border-radius: 1em; }
.conn.up { background: var(--ok); color: #fff; }
.conn.down { background: var(--bad); color: #fff; }
.s-up, .s-ready { color: var(--ok); }
.s-down { color: var(--mute); }
.s-failed, .s-dead { color: var(--bad); font-weight: bold; }
.s-starting, .s-stopping, .s-wait { color: var(--wait); }
#logs { max-height: 24em; overflow: auto; padding: .5em; border: 1px solid var(--line); font-size: 12px; white-space: pre-wrap; }
#events { max-height: 16em; overflow: auto; font: 12px monospace; padding-left: 2.5em; }
#message { position: fixed; bottom: 1em; left: 1em; right: 1em; padding: .6em 1em; border-radius: .4em; background: #24292f; color: #fff; }
#message.bad { background: var(--bad); }
dialog .buttons { display: flex; gap: .5em; justify-content: flex-end; margin-top: .6em; }
dialog input { width: 100%; padding: .4em; }
svg text { font: 12px system-ui, sans-serif; fill: currentColor; }
svg .edge { fill: none; stroke: var(--mute); stroke-width: 1; opacity: .6; }
svg .node rect { fill: Canvas; stroke: var(--mute); stroke-width: 1.5; rx: 4; }
svg .node.up rect { stroke: var(--ok); }
svg .node.failed rect { stroke: var(--bad); stroke-width: 2.5; }
svg .node.moving rect { stroke: var(--wait); stroke-dasharray: 4 2; }
@media (max-width: 700px) {
  .wide { display: none; }
  main { padding: 0 .4em 2em; }
  table { font-size: 13px; }
  th, td { padding: .3em .2em; }
  td.actions button { min-width: 0; padding: .45em .3em; margin-right: .1em; font-size: 12px; }
  #services th:nth-child(5), #services td.health { display: none; }
  body.health #services th:nth-child(5), body.health #services td.health { display: table-cell; }
}
`;
