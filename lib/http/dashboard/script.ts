// The dashboard's script (plain browser JavaScript, shipped as a string): live table through SSE, graph, log tail, actions with the token.
import { GRAPH_JS } from './script-graph.js';

const TABLE_JS = String.raw`
'use strict';
const $ = (sel) => document.querySelector(sel);
const rows = new Map();
const dirty = new Set();
let flushTimer = null;
let token = null;

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function duration(ms) {
  if (ms === null || ms === undefined) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm' + (s % 60) + 's';
  if (s < 86400) return Math.floor(s / 3600) + 'h' + Math.floor((s % 3600) / 60) + 'm';
  return Math.floor(s / 86400) + 'd' + Math.floor((s % 86400) / 3600) + 'h';
}

const exitText = (e) => (e ? (e.signal ? e.signal : 'exit ' + e.code) : '');
const yesNo = (v) => (v === null || v === undefined ? '' : v ? 'yes' : 'no');

function stateClass(r) {
  if (/fail|dead|crash|permanent/.test(r.state) || r.health === 'unhealthy') return 's-failed';
  if (/start|stop|wait|throttl|spawn/.test(r.state)) return 's-wait';
  return r.up ? 's-up' : 's-down';
}

function newRow(name) {
  const tr = el('tr', { 'data-service': name });
  const nameCell = el('td', { class: 'name' });
  const open = el('button', { type: 'button', title: 'show the log' }, name);
  open.addEventListener('click', () => showLogs(name));
  nameCell.append(open);
  tr.append(nameCell);
  for (const c of ['type wide', 'state', 'ready', 'health', 'pid', 'uptime wide', 'restarts wide', 'exit wide']) tr.append(el('td', { class: c }));
  const actions = el('td', { class: 'actions' });
  for (const a of ['up', 'down', 'restart']) {
    const b = el('button', { type: 'button', 'data-action': a }, a);
    b.addEventListener('click', () => act(name, a));
    actions.append(b);
  }
  tr.append(actions);
  return tr;
}

function cell(tr, cls, text) {
  const td = tr.querySelector('td.' + cls.split(' ')[0]);
  if (td.textContent !== text) td.textContent = text;
}

function update(r) {
  let entry = rows.get(r.name);
  if (!entry) {
    entry = { tr: newRow(r.name) };
    rows.set(r.name, entry);
    $('#services tbody').append(entry.tr);
  }
  entry.row = r;
  entry.at = Date.now();
  const tr = entry.tr;
  cell(tr, 'type', r.type);
  cell(tr, 'state', r.state);
  tr.querySelector('td.state').className = 'state ' + stateClass(r);
  cell(tr, 'ready', yesNo(r.ready));
  cell(tr, 'health', r.health === undefined || r.health === null ? '' : String(r.health));
  tr.querySelector('td.health').className = 'health' + (r.health === 'unhealthy' ? ' s-failed' : r.health === 'healthy' ? ' s-up' : r.health === 'starting' ? ' s-wait' : '');
  if (r.health !== undefined && r.health !== null) document.body.classList.add('health');
  cell(tr, 'pid', r.pid === null ? '' : String(r.pid));
  cell(tr, 'restarts', String(r.restarts));
  cell(tr, 'exit', exitText(r.lastExit));
  tr.dataset.state = r.state;
  tr.dataset.up = String(r.up);
  tick(entry);
  graphState(r.name, r.up, stateClass(r));
}

function tick(entry) {
  const r = entry.row;
  cell(entry.tr, 'uptime', r.sinceMs === null ? '' : (r.up ? '' : 'down ') + duration(r.sinceMs + Date.now() - entry.at));
}

function snapshot(s) {
  const seen = new Set(s.services.map((r) => r.name));
  for (const [name, entry] of rows) if (!seen.has(name)) { entry.tr.remove(); rows.delete(name); }
  for (const r of s.services) update(r);
  const tbody = $('#services tbody');
  for (const r of s.services) tbody.append(rows.get(r.name).tr);
  $('#daemon').textContent = 'pid ' + s.daemon.pid + ' · ' + s.services.length + ' services · ' + (s.daemon.busy ? 'busy: ' + s.daemon.busy : 'idle');
  applyFilter();
}

function markDirty(names) {
  for (const n of names) if (n) dirty.add(n);
  if (flushTimer === null && dirty.size > 0) flushTimer = setTimeout(flush, 150);
}

async function flush() {
  flushTimer = null;
  const names = [...dirty];
  dirty.clear();
  const all = names.length > 100;
  const url = '/api/v1/services' + (all ? '' : '?names=' + names.map(encodeURIComponent).join(','));
  try {
    const res = await fetch(url);
    if (!res.ok) return;
    const body = await res.json();
    if (all) snapshot(body);
    else for (const r of body.services) update(r);
    $('#daemon').textContent = 'pid ' + body.daemon.pid + ' · ' + rows.size + ' services · ' + (body.daemon.busy ? 'busy: ' + body.daemon.busy : 'idle');
  } catch (e) {
    markDirty(names);
  }
}

function eventLine(ev) {
  const list = $('#events');
  const who = ev.service || ev.name || '';
  list.prepend(el('li', {}, new Date().toLocaleTimeString() + ' ' + ev.type + (who ? ' ' + who : '') + (ev.pid ? ' pid ' + ev.pid : '')));
  while (list.children.length > 200) list.lastChild.remove();
}

function connect() {
  const es = new EventSource('/api/v1/events');
  const conn = $('#conn');
  es.addEventListener('open', () => { conn.textContent = 'live'; conn.className = 'conn up'; });
  es.addEventListener('error', () => { conn.textContent = 'reconnecting'; conn.className = 'conn down'; });
  es.addEventListener('snapshot', (m) => snapshot(JSON.parse(m.data)));
  es.addEventListener('event', (m) => {
    const ev = JSON.parse(m.data).event;
    eventLine(ev);
    markDirty([ev.service, ev.name].concat(ev.up || [], ev.down || []));
  });
}

function applyFilter() {
  const f = $('#filter').value.trim().toLowerCase();
  for (const [name, entry] of rows) entry.tr.hidden = f !== '' && !name.toLowerCase().includes(f);
}

let logSource = null;
function showLogs(name) {
  if (logSource) logSource.close();
  const pre = $('#logs');
  pre.textContent = '';
  $('#logs-name').textContent = name;
  $('#logs-section').hidden = false;
  logSource = new EventSource('/api/v1/services/' + encodeURIComponent(name) + '/logs?follow=1&lines=200');
  logSource.addEventListener('log', (m) => {
    const l = JSON.parse(m.data);
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(document.createTextNode((l.stream === 'stderr' ? '! ' : '') + l.line + '\n'));
    while (pre.childNodes.length > 1000) pre.firstChild.remove();
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  });
}

function say(text, bad) {
  const m = $('#message');
  m.textContent = text;
  m.className = bad ? 'bad' : '';
  m.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { m.hidden = true; }, 6000);
}

function askToken() {
  const d = $('#token-dialog');
  const input = $('#token-input');
  input.value = '';
  return new Promise((resolve) => {
    const done = (value) => { d.close(); ok.removeEventListener('click', onOk); cancel.removeEventListener('click', onCancel); input.removeEventListener('keydown', onKey); resolve(value); };
    const ok = $('#token-ok');
    const cancel = $('#token-cancel');
    const onOk = () => done(input.value.trim() || null);
    const onCancel = () => done(null);
    const onKey = (e) => { if (e.key === 'Enter') onOk(); };
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    input.addEventListener('keydown', onKey);
    d.showModal();
    input.focus();
  });
}

async function act(name, action) {
  if (token === null) token = await askToken();
  if (token === null) return;
  say(action + ' ' + name + ' ...');
  const res = await fetch('/api/v1/services/' + encodeURIComponent(name) + '/' + action, { method: 'POST', headers: { authorization: 'Bearer ' + token } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) token = null;
  if (!res.ok) return say(action + ' ' + name + ': ' + (body.message || res.status) + (body.hint ? ' (' + body.hint + ')' : ''), true);
  say(action + ' ' + name + ': ' + (body.exitCode === 0 ? 'done' : 'failed (exit code ' + body.exitCode + ')' + (body.notes && body.notes.length ? ': ' + body.notes.join('; ') : '')), body.exitCode !== 0);
}

document.addEventListener('DOMContentLoaded', () => {
  $('#filter').addEventListener('input', applyFilter);
  $('#logs-close').addEventListener('click', () => { if (logSource) logSource.close(); logSource = null; $('#logs-section').hidden = true; });
  setInterval(() => { for (const entry of rows.values()) tick(entry); }, 1000);
  connect();
  drawGraph();
});
`;

/** The whole script: the table and actions, then the graph. */
export const DASHBOARD_JS = `(() => {${TABLE_JS}${GRAPH_JS}})();\n`;
