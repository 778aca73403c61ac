/*
 * vigil dashboard: plain JavaScript, served by vigil-web with everything
 * else it needs (no network beyond vigil-web).
 *
 * State comes from the websocket /api/v1/events: a snapshot, then "checks"
 * messages (the rows the engine wrote, numbered: a row is never replaced
 * by an older one) and group events. Every view redraws from that model;
 * the check page also reads the API for what the stream does not carry
 * (history, notifications, perfdata, downtimes). Plugin output is text:
 * every string goes into the page through textContent, never as HTML.
 */
'use strict';

const TOKEN_KEY = 'vigil-token';
const SEVERITY = { CRITICAL: 4, DOWN: 4, UNKNOWN: 3, UNREACHABLE: 3, WARNING: 2, PENDING: 0, OK: 0, UP: 0 };
const STATE_ORDER = ['CRITICAL', 'DOWN', 'UNKNOWN', 'UNREACHABLE', 'WARNING', 'PENDING', 'OK', 'UP'];
const ROWS_SHOWN = 1000;

const model = {
	checks: new Map(),	/* "host\tservice" -> row */
	groups: new Map(),	/* name -> group */
	live: 0,		/* the newest checks message applied */
	truncated: false,
	connected: false,
	snapshotAt: 0,
};
let token = sessionStorage.getItem(TOKEN_KEY) || '';
let ws = null;
let backoff = 500;
let view = null;		/* the view drawn: {name, host, service} */
let redrawQueued = false;
const changedAt = new Map();	/* key -> when its row last changed: flashed */
const FLASH_MS = 2000;

/* ---- small DOM helpers: text only ---------------------------------------- */

function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === 'class')
			e.className = v;
		else if (k.startsWith('on'))
			e.addEventListener(k.slice(2), v);
		else if (k === 'dataset')
			Object.assign(e.dataset, v);
		else
			e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const k of kids.flat()) {
		if (k === null || k === undefined || k === false)
			continue;
		e.append(k instanceof Node ? k : document.createTextNode(String(k)));
	}
	return e;
}

function stateBadge(s) {
	return el('span', { class: 'state s-' + (SEVERITY[s] !== undefined ? s : 'PENDING') }, s || 'PENDING');
}

function key(host, service) {
	return host + '\t' + (service || '');
}

function checkName(r) {
	return r.service ? r.host + '/' + r.service : r.host;
}

function checkHref(r) {
	return '#/check/' + encodeURIComponent(r.host) + (r.service ? '/' + encodeURIComponent(r.service) : '');
}

function apiPath(r) {
	return '/api/v1/checks/' + encodeURIComponent(r.host) + (r.service ? '/' + encodeURIComponent(r.service) : '');
}

function fmtTime(t) {
	if (!t)
		return '-';
	const d = new Date(t);
	return d.toLocaleString(undefined, { hour12: false });
}

function fmtAge(t) {
	if (!t)
		return '-';
	let s = Math.max(0, Math.round((Date.now() - Date.parse(t)) / 1000));
	const parts = [];
	for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60]])
		if (s >= n) {
			parts.push(Math.floor(s / n) + u);
			s %= n;
		}
	if (parts.length < 2)
		parts.push(s + 's');
	return parts.slice(0, 2).join(' ');
}

function isProblem(r) {
	return SEVERITY[r.state] > 0;
}

function handled(r) {
	return r.acknowledged || r.in_downtime;
}

/* ---- the API --------------------------------------------------------------- */

async function api(method, path, body) {
	const opts = { method, headers: {} };
	if (token)
		opts.headers.Authorization = 'Bearer ' + token;
	if (body !== undefined) {
		opts.headers['Content-Type'] = 'application/json';
		opts.body = JSON.stringify(body);
	}
	const res = await fetch(path, opts);
	let j = null;
	try {
		j = await res.json();
	} catch (e) {
		j = null;
	}
	if (res.status === 401) {
		showLogin('The token was refused: ' + (j && j.detail ? j.detail : 'unauthorized'));
		throw new Error('unauthorized');
	}
	if (!res.ok) {
		const err = new Error(j && j.detail ? j.detail : j && j.error ? j.error : 'HTTP ' + res.status);
		err.status = res.status;
		throw err;
	}
	return j;
}

/* ---- the stream ---------------------------------------------------------- */

function setConn(state, text) {
	const c = document.getElementById('conn');
	c.dataset.state = state;
	c.textContent = text;
	document.getElementById('banner-conn').hidden = state !== 'lost';
}

function connect() {
	const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/events';
	ws = new WebSocket(url, 'vigil-events');
	ws.onopen = () => {
		ws.send(JSON.stringify({ token: token || undefined, types: ['checks', 'group'] }));
	};
	ws.onmessage = (m) => {
		let msg;
		try {
			msg = JSON.parse(m.data);
		} catch (e) {
			return;
		}
		onMessage(msg);
	};
	ws.onclose = (ev) => {
		ws = null;
		model.connected = false;
		if (ev.code === 4401) {
			showLogin('The token was refused by the live stream.');
			return;
		}
		setConn('lost', 'reconnecting');
		/* 4001: too slow, start again at once from a snapshot */
		const wait = ev.code === 4001 ? 0 : backoff;
		backoff = Math.min(backoff * 2, 5000);
		setTimeout(connect, wait);
	};
}

function onMessage(msg) {
	switch (msg.type) {
	case 'snapshot':
		model.checks.clear();
		for (const r of msg.checks)
			model.checks.set(key(r.host, r.service), r);
		model.groups.clear();
		for (const g of msg.groups)
			model.groups.set(g.name, g);
		model.live = msg.live;
		model.truncated = msg.truncated;
		model.connected = true;
		model.snapshotAt = Date.now();
		backoff = 500;
		setConn('live', 'live');
		document.body.dataset.synced = String(model.snapshotAt);
		changedAt.clear();
		draw(true);
		break;
	case 'checks':
		if (msg.live <= model.live)
			return;		/* the snapshot holds it */
		model.live = msg.live;
		for (const r of msg.checks) {
			const k = key(r.host, r.service);
			const row = Object.assign({}, model.checks.get(k) || {}, r);
			if ('output' in r) {	/* a new result: these are the old one's */
				delete row.long_output;
				delete row.perfdata;
			}
			row._live = msg.live;
			model.checks.set(k, row);
			changedAt.set(k, Date.now());
		}
		queueDraw();
		if (view && view.name === 'check')
			checkLive(msg.checks);
		break;
	case 'group': {
		const g = model.groups.get(msg.name) || { name: msg.name, parents: [] };
		g.title = msg.title;
		g.worst_state = msg.worst_state;
		g.counts = msg.counts;
		model.groups.set(msg.name, g);
		queueDraw();
		break;
	}
	case 'error':
		showError(msg.error + ': ' + msg.detail);
		break;
	default:
		break;
	}
}

function queueDraw() {
	if (redrawQueued)
		return;
	redrawQueued = true;
	requestAnimationFrame(() => {
		redrawQueued = false;
		draw(false);
	});
}

/* ---- health: is an engine leading? ----------------------------------------- */

async function pollHealth() {
	try {
		const res = await fetch('/api/v1/health');
		const j = await res.json();
		document.getElementById('banner-engine').hidden = !!(j.engine && j.engine.leading);
	} catch (e) {
		/* vigil-web away: the connection banner says so */
	}
	setTimeout(pollHealth, 5000);
}

function showError(text) {
	const b = document.getElementById('banner-error');
	b.textContent = text;
	b.hidden = !text;
}

/* ---- routing ---------------------------------------------------------------- */

function route() {
	const h = location.hash.replace(/^#/, '');
	const m = h.match(/^\/check\/([^/]+)(?:\/(.+))?$/);
	detail = null;
	if (m)
		view = { name: 'check', host: decodeURIComponent(m[1]), service: m[2] ? decodeURIComponent(m[2]) : null };
	else
		view = { name: 'overview' };
	draw(true);
	if (view.name === 'check')
		checkLoad();
}

function draw(full) {
	if (!token && !anonymous) {
		showLogin('');
		return;
	}
	if (!view)
		return;
	if (view.name === 'overview')
		drawOverview(full);
	else
		drawCheckHead(full);
}

/* Marks e as changed for FLASH_MS after its row changed (a redraw in
 * between carries on where the mark was). */
function flash(e, k) {
	const t = changedAt.get(k);
	const age = t ? Date.now() - t : FLASH_MS;
	if (age >= FLASH_MS)
		return;
	e.classList.add('flash');
	e.dataset.changed = '1';
	e.style.animationDelay = -age + 'ms';
}

/* ---- the overview ------------------------------------------------------------ */

function problemOrder(a, b) {
	return (handled(a) - handled(b)) || (SEVERITY[b.state] - SEVERITY[a.state]) ||
		((a.last_state_change || '').localeCompare(b.last_state_change || '')) ||
		checkName(a).localeCompare(checkName(b));
}

function checkRow(r, cols) {
	const k = key(r.host, r.service);
	const tr = el('tr', {
		class: 'check',
		dataset: { check: checkName(r), state: r.state },
		onclick: () => { location.hash = checkHref(r); },
	});
	flash(tr, k);
	for (const c of cols) {
		switch (c) {
		case 'host': tr.append(el('td', {}, el('a', { href: checkHref(r) }, r.host))); break;
		case 'service': tr.append(el('td', {}, r.service || '(host)')); break;
		case 'state': tr.append(el('td', {}, stateBadge(r.state),
			r.acknowledged ? el('span', { class: 'tag' }, 'ack') : null,
			r.in_downtime ? el('span', { class: 'tag' }, 'downtime') : null,
			r.flapping ? el('span', { class: 'tag' }, 'flapping') : null,
			r.state_type === 'SOFT' ? el('span', { class: 'tag' }, 'soft') : null)); break;
		case 'since': tr.append(el('td', { title: fmtTime(r.last_state_change) }, fmtAge(r.last_state_change))); break;
		case 'attempt': tr.append(el('td', {}, r.attempt + '/' + r.max_attempts)); break;
		case 'last': tr.append(el('td', { class: 'last-check', title: fmtTime(r.last_check) }, fmtTime(r.last_check))); break;
		case 'output': tr.append(el('td', { class: 'output' }, r.output || '')); break;
		}
	}
	return tr;
}

function table(id, cols, rows, empty) {
	const names = { host: 'Host', service: 'Service', state: 'State', since: 'For', attempt: 'Attempt', last: 'Last check', output: 'Output' };
	return el('table', { id },
		el('thead', {}, el('tr', {}, cols.map((c) => el('th', {}, names[c])))),
		el('tbody', {}, rows.length ? rows.map((r) => checkRow(r, cols)) :
			el('tr', {}, el('td', { colspan: cols.length, class: 'muted' }, empty))));
}

let filterText = '';

function drawOverview() {
	const main = document.getElementById('main');
	const all = [...model.checks.values()];
	const counts = {};
	for (const r of all)
		counts[r.state] = (counts[r.state] || 0) + 1;
	const problems = all.filter(isProblem).sort(problemOrder);
	const unhandled = problems.filter((r) => !handled(r));
	const focus = document.activeElement && document.activeElement.id === 'filter';
	const f = filterText.toLowerCase();
	const shown = all.filter((r) => !f || checkName(r).toLowerCase().includes(f) ||
		(r.output || '').toLowerCase().includes(f))
		.sort((a, b) => checkName(a).localeCompare(checkName(b)));
	const filter = el('input', { id: 'filter', type: 'search', placeholder: 'filter by name or output', value: filterText,
		oninput: (e) => { filterText = e.target.value; draw(true); } });

	main.replaceChildren(
		el('h1', {}, 'Overview'),
		el('section', { class: 'card' },
			el('div', { class: 'counts', id: 'counts' }, STATE_ORDER.filter((s) => counts[s]).map((s) =>
				el('div', { class: 'tile s-' + s, dataset: { state: s } }, el('b', {}, counts[s]), s))),
			model.truncated ? el('p', { class: 'muted' }, 'Only the first 10,000 checks are shown live.') : null),
		el('section', { class: 'card' },
			el('h2', {}, 'Problems ', el('span', { class: 'muted' },
				unhandled.length + ' unhandled, ' + (problems.length - unhandled.length) + ' handled')),
			table('problems', ['host', 'service', 'state', 'since', 'attempt', 'output'], problems, 'No problems.')),
		el('section', { class: 'card' }, el('h2', {}, 'Groups'), groupTree()),
		el('section', { class: 'card' },
			el('h2', {}, 'All checks ', el('span', { class: 'muted' }, shown.length > ROWS_SHOWN ?
				'(the first ' + ROWS_SHOWN + ' of ' + shown.length + ')' : '(' + shown.length + ')')),
			filter,
			table('checks', ['host', 'service', 'state', 'last', 'output'], shown.slice(0, ROWS_SHOWN), 'No checks.')));
	if (focus) {
		filter.focus();
		filter.setSelectionRange(filter.value.length, filter.value.length);
	}
}

const openGroups = new Set();

function groupTree() {
	const children = new Map();
	const roots = [];
	for (const g of model.groups.values()) {
		if (!g.parents || g.parents.length === 0)
			roots.push(g.name);
		for (const p of g.parents || []) {
			if (!children.has(p))
				children.set(p, []);
			children.get(p).push(g.name);
		}
	}
	const node = (name, path) => {
		const g = model.groups.get(name);
		if (!g)
			return null;
		const id = path + '/' + name;
		const c = g.counts || {};
		const parts = ['critical', 'warning', 'unknown', 'down', 'unreachable', 'ok', 'up', 'pending']
			.filter((k) => c[k]).map((k) => c[k] + ' ' + k);
		const d = el('details', { class: 'group', open: openGroups.has(id), dataset: { group: name } },
			el('summary', {}, stateBadge(g.worst_state), ' ', g.title || name,
				g.title && g.title !== name ? el('span', { class: 'muted' }, ' (' + name + ')') : null,
				el('span', { class: 'gcounts' }, parts.join(', ') || 'empty')),
			(children.get(name) || []).sort().map((k) => node(k, id)));
		d.addEventListener('toggle', () => { if (d.open) openGroups.add(id); else openGroups.delete(id); });
		return d;
	};
	if (roots.length === 0)
		return el('p', { class: 'muted' }, 'No groups.');
	return el('div', { class: 'tree', id: 'groups' }, roots.sort().map((n) => node(n, '')));
}

/* ---- the check page ------------------------------------------------------------ */

let detail = null;		/* the API's full view of the check shown */
let reloadTimer = null;

function currentRow() {
	return model.checks.get(key(view.host, view.service)) || null;
}

function drawCheckHead(full) {
	const main = document.getElementById('main');
	const r = Object.assign({}, detail || {}, currentRow() || {});
	if (!r.host) {
		main.replaceChildren(el('p', { class: 'muted' }, model.connected ? 'No such check: ' +
			view.host + (view.service ? '/' + view.service : '') : 'Loading…'));
		return;
	}
	let page = document.getElementById('check-page');
	if (full || !page) {
		page = el('div', { id: 'check-page' },
			el('p', {}, el('a', { href: '#/' }, '← Overview')),
			el('h1', {}, checkName(r)),
			el('section', { class: 'card', id: 'check-head' }),
			el('section', { class: 'card' }, el('h2', {}, 'Actions'), actions(r)),
			el('section', { class: 'card', id: 'check-locations', hidden: true }),
			el('section', { class: 'card', id: 'check-handling' }),
			el('section', { class: 'card' }, el('h2', {}, 'Performance data'), chartControls(), el('div', { id: 'chart' })),
			el('section', { class: 'card', id: 'check-history' }, el('h2', {}, 'State history')),
			el('section', { class: 'card', id: 'check-notifications' }, el('h2', {}, 'Notifications')));
		main.replaceChildren(page);
	}
	const head = document.getElementById('check-head');
	const k = key(view.host, view.service);
	const st = el('div', { id: 'check-state', dataset: { state: r.state, live: String(r._live || 0) } },
			stateBadge(r.state), ' ', el('span', { class: 'muted' }, (r.state_type || '') + ' ' +
				(r.attempt || '') + '/' + (r.max_attempts || '')),
			r.flapping ? el('span', { class: 'tag' }, 'flapping') : null,
			r.acknowledged ? el('span', { class: 'tag' }, 'acknowledged') : null,
			r.in_downtime ? el('span', { class: 'tag' }, 'in downtime') : null);
	flash(st, k);
	head.replaceChildren(...[st,
		el('pre', { id: 'check-output' }, r.output || ''),
		r.long_output ? el('pre', { id: 'check-long-output', class: 'muted' }, r.long_output) : null,
		el('dl', { class: 'facts' },
			el('dt', {}, 'Last check'), el('dd', { id: 'check-last' }, fmtTime(r.last_check)),
			el('dt', {}, 'Next check'), el('dd', {}, fmtTime(r.next_check)),
			el('dt', {}, 'State since'), el('dd', {}, fmtTime(r.last_state_change) + ' (' + fmtAge(r.last_state_change) + ')'),
			el('dt', {}, 'Latency / duration'), el('dd', {}, (r.latency_ms ?? '-') + ' ms / ' + (r.duration_ms ?? '-') + ' ms'),
			r.perfdata ? el('dt', {}, 'Perfdata') : null, r.perfdata ? el('dd', {}, el('code', {}, r.perfdata)) : null,
			r.pool ? el('dt', {}, 'Pool') : null, r.pool ? el('dd', {}, r.pool) : null)].filter(Boolean));
	if (detail)
		drawDetail();
}

function drawDetail() {
	const loc = document.getElementById('check-locations');
	if (!loc)
		return;
	if (detail.locations && detail.locations.length) {
		loc.hidden = false;
		loc.replaceChildren(el('h2', {}, 'Locations'), el('table', {},
			el('thead', {}, el('tr', {}, ['Pool', 'State', 'Last check', 'Worker', 'Output'].map((h) => el('th', {}, h)))),
			el('tbody', {}, detail.locations.map((l) => el('tr', {}, el('td', {}, l.pool), el('td', {}, stateBadge(l.state)),
				el('td', {}, fmtTime(l.last_check)), el('td', {}, l.worker || '-'), el('td', { class: 'output' }, l.output || ''))))));
	}
	const h = document.getElementById('check-handling');
	const kids = [el('h2', {}, 'Acknowledgement and downtimes')];
	if (detail.ack)
		kids.push(el('p', { id: 'ack-info' }, 'Acknowledged by ', el('b', {}, detail.ack.author), ' at ' +
			fmtTime(detail.ack.time) + ': ', detail.ack.comment));
	else
		kids.push(el('p', { class: 'muted' }, 'Not acknowledged.'));
	const dts = detail.downtimes || [];
	if (dts.length)
		kids.push(el('table', { id: 'downtimes' },
			el('thead', {}, el('tr', {}, ['Start', 'End', 'Author', 'Comment', ''].map((x) => el('th', {}, x)))),
			el('tbody', {}, dts.map((d) => el('tr', { dataset: { downtime: d.id } },
				el('td', {}, fmtTime(d.start)), el('td', {}, fmtTime(d.end)), el('td', {}, d.author), el('td', {}, d.comment),
				el('td', {}, el('button', { type: 'button', class: 'cancel-downtime', onclick: (e) =>
					command(e.target, 'DELETE', '/api/v1/downtimes/' + encodeURIComponent(d.id)) }, 'Cancel downtime')))))));
	else
		kids.push(el('p', { class: 'muted' }, 'No downtime.'));
	h.replaceChildren(...kids);
	const n = document.getElementById('check-notifications');
	const ns = detail.notifications || [];
	n.replaceChildren(el('h2', {}, 'Notifications'), ns.length ? el('table', {},
		el('thead', {}, el('tr', {}, ['Time', 'Type', 'State', 'Contacts', 'Output'].map((x) => el('th', {}, x)))),
		el('tbody', {}, ns.map((x) => el('tr', {}, el('td', {}, fmtTime(x.time)), el('td', {}, x.type),
			el('td', {}, x.state || ''), el('td', {}, (x.contacts || []).join(', ')), el('td', { class: 'output' }, x.output || '')))))
		: el('p', { class: 'muted' }, 'None sent.'));
}

/* The full view, the history and the chart, read from the API. */
async function checkLoad() {
	const v = view;
	const base = apiPath(v);
	try {
		const [d, hist] = await Promise.all([api('GET', base), api('GET', base + '/history?limit=50')]);
		if (view !== v)
			return;
		detail = d;
		const row = currentRow();
		if (row && row.long_output === undefined) {
			row.long_output = d.long_output;
			row.perfdata = d.perfdata;
		}
		drawCheckHead(false);
		const hs = document.getElementById('check-history');
		hs.replaceChildren(el('h2', {}, 'State history'), hist.history.length ? el('table', { id: 'history' },
			el('thead', {}, el('tr', {}, ['Time', 'State', 'Type', 'Attempt', 'Output'].map((x) => el('th', {}, x)))),
			el('tbody', {}, hist.history.map((x) => el('tr', {}, el('td', {}, fmtTime(x.time)), el('td', {}, stateBadge(x.state)),
				el('td', {}, x.state_type), el('td', {}, x.attempt), el('td', { class: 'output' }, x.output || '')))))
			: el('p', { class: 'muted' }, 'No state changes yet.'));
		loadChart();
	} catch (e) {
		if (e.status === 404)
			document.getElementById('main').replaceChildren(el('p', { class: 'muted' }, 'No such check: ' + checkName(v)));
		else if (e.message !== 'unauthorized')
			showError('Reading ' + checkName(v) + ' failed: ' + e.message);
	}
}

/* A row of this check came: drawn at once, the rest read again soon. */
function checkLive(rows) {
	if (!rows.some((r) => r.host === view.host && (r.service || null) === view.service))
		return;
	drawCheckHead(false);
	clearTimeout(reloadTimer);
	reloadTimer = setTimeout(checkLoad, 300);
}

function actions(r) {
	const msg = el('div', { class: 'msg', id: 'action-msg' });
	const base = apiPath(r);
	const isHost = !r.service;
	const ack = el('form', { id: 'ack-form', onsubmit: (e) => {
		e.preventDefault();
		const f = e.target;
		command(f.querySelector('button'), 'POST', base + '/ack', { comment: f.comment.value, sticky: f.sticky.checked });
	} }, el('input', { name: 'comment', placeholder: 'comment', required: true }),
	el('label', {}, el('input', { type: 'checkbox', name: 'sticky' }), ' sticky'),
	el('button', { type: 'submit', id: 'ack' }, 'Acknowledge'));
	const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
	const dt = el('form', { id: 'downtime-form', onsubmit: (e) => {
		e.preventDefault();
		const f = e.target;
		const body = { comment: f.comment.value, duration: f.duration.value };
		if (f.start.value)
			body.start = new Date(f.start.value).toISOString().replace(/\.\d+Z$/, 'Z');
		if (isHost && f.services.checked)
			body.services = true;
		command(f.querySelector('button'), 'POST', base + '/downtime', body);
	} }, el('input', { type: 'datetime-local', name: 'start', value: now, title: 'start' }),
	el('input', { name: 'duration', value: '2h', size: 5, title: 'duration: 30m, 2h, 1d', required: true }),
	el('input', { name: 'comment', placeholder: 'comment', required: true }),
	isHost ? el('label', {}, el('input', { type: 'checkbox', name: 'services', checked: true }), ' with services') : null,
	el('button', { type: 'submit', id: 'downtime' }, 'Schedule downtime'));
	return el('div', {}, el('div', { class: 'actions' },
		el('button', { type: 'button', id: 'recheck', onclick: (e) => command(e.target, 'POST', base + '/recheck') }, 'Check now'),
		ack, dt,
		el('button', { type: 'button', id: 'unack', onclick: (e) => command(e.target, 'POST', base + '/unack') }, 'Remove acknowledgement')),
	msg);
}

async function command(btn, method, path, body) {
	const msg = document.getElementById('action-msg');
	btn.disabled = true;
	msg.className = 'msg';
	msg.textContent = '…';
	try {
		const j = await api(method, path, method === 'POST' ? (body || {}) : undefined);
		msg.textContent = j && j.message ? j.message : 'done';
		clearTimeout(reloadTimer);
		reloadTimer = setTimeout(checkLoad, 300);
	} catch (e) {
		msg.className = 'msg err';
		msg.textContent = e.message;
	} finally {
		btn.disabled = false;
	}
}

/* ---- the perfdata chart: the API's buckets drawn as SVG ------------------------ */

const SVG = 'http://www.w3.org/2000/svg';
let chartRange = 86400;
let chartLabel = '';

function chartControls() {
	const ranges = [['1 hour', 3600], ['6 hours', 21600], ['24 hours', 86400], ['7 days', 604800], ['30 days', 2592000]];
	return el('div', { class: 'actions' },
		el('select', { id: 'chart-range', onchange: (e) => { chartRange = Number(e.target.value); loadChart(); } },
			ranges.map(([t, s]) => el('option', { value: s, selected: s === chartRange }, t))),
		el('select', { id: 'chart-label', onchange: (e) => { chartLabel = e.target.value; loadChart(); } }));
}

async function loadChart() {
	const v = view;
	const until = new Date();
	const since = new Date(until.getTime() - chartRange * 1000);
	const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');
	let j;
	try {
		j = await api('GET', apiPath(v) + '/perfdata?since=' + iso(since) + '&until=' + iso(until));
	} catch (e) {
		return;
	}
	if (view !== v)
		return;
	const sel = document.getElementById('chart-label');
	const labels = j.series.map((s) => s.label);
	if (!labels.includes(chartLabel))
		chartLabel = labels[0] || '';
	sel.replaceChildren(...labels.map((l) => el('option', { value: l, selected: l === chartLabel }, l)));
	const s = j.series.find((x) => x.label === chartLabel);
	document.getElementById('chart').replaceChildren(s && s.points.length ? drawChart(s, since, until) :
		el('p', { class: 'muted' }, 'No performance data in this range.'));
}

function svg(tag, attrs) {
	const e = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs))
		e.setAttribute(k, String(v));
	return e;
}

function drawChart(s, since, until) {
	const W = 800, H = 220, L = 50, B = 20;
	const t0 = since.getTime(), t1 = until.getTime();
	let lo = Infinity, hi = -Infinity;
	for (const p of s.points) {
		lo = Math.min(lo, p.min);
		hi = Math.max(hi, p.max);
	}
	if (lo === hi) {
		lo -= 1;
		hi += 1;
	}
	const x = (t) => L + (W - L - 5) * (Date.parse(t) - t0) / (t1 - t0);
	const y = (v) => 5 + (H - B - 10) * (1 - (v - lo) / (hi - lo));
	const root = svg('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img' });
	root.append(svg('line', { class: 'axis', x1: L, y1: H - B, x2: W, y2: H - B }));
	const band = s.points.map((p) => x(p.time) + ',' + y(p.max)).concat(
		s.points.slice().reverse().map((p) => x(p.time) + ',' + y(p.min)));
	root.append(svg('polygon', { class: 'band', points: band.join(' ') }));
	root.append(svg('polyline', { class: 'avg', points: s.points.map((p) => x(p.time) + ',' + y(p.avg)).join(' ') }));
	if (s.points.length <= 100)	/* few buckets: each one seen */
		for (const p of s.points)
			root.append(svg('circle', { class: 'pt', cx: x(p.time), cy: y(p.avg), r: 2.5 }));
	/* enough digits to tell the two ends apart */
	const digits = Math.min(15, Math.max(4, 3 + Math.ceil(Math.log10(Math.max(Math.abs(hi), Math.abs(lo)) / (hi - lo)))));
	for (const [v, yy] of [[hi, y(hi) + 8], [lo, y(lo)]]) {
		const t = svg('text', { x: 2, y: yy });
		t.textContent = (+v.toPrecision(digits)) + (s.uom || '');
		root.append(t);
	}
	for (const [t, anchor] of [[since, 'start'], [until, 'end']]) {
		const e = svg('text', { x: anchor === 'start' ? L : W - 2, y: H - 5, 'text-anchor': anchor });
		e.textContent = fmtTime(t.toISOString());
		root.append(e);
	}
	return root;
}

/* ---- the token ------------------------------------------------------------------ */

let anonymous = false;

function showLogin(why) {
	if (ws) {
		ws.onclose = null;
		ws.close();
		ws = null;
	}
	setConn('connecting', 'signed out');
	const input = el('input', { type: 'password', id: 'token', placeholder: 'API token', autocomplete: 'off' });
	document.getElementById('main').replaceChildren(el('section', { class: 'card login' },
		el('h1', {}, 'Sign in'),
		el('p', {}, 'Paste an API token (vigil-web\'s api_token_file names who it is). It is kept in this tab only.'),
		why ? el('p', { class: 'msg err' }, why) : null,
		el('form', { onsubmit: (e) => {
			e.preventDefault();
			token = input.value.trim();
			sessionStorage.setItem(TOKEN_KEY, token);
			start();
		} }, input, el('button', { type: 'submit' }, 'Sign in'))));
}

function start() {
	document.getElementById('logout').hidden = !token;
	view = null;
	setConn('connecting', 'connecting');
	connect();
	route();
}

function init() {
	/* a token handed over in the address (the demo prints one): kept in
	 * this tab, taken out of the address bar and its history */
	const m = location.hash.match(/(?:^#|&)token=([^&]+)/);
	if (m) {
		token = decodeURIComponent(m[1]);
		sessionStorage.setItem(TOKEN_KEY, token);
		history.replaceState(null, '', location.pathname + '#/');
	}
	document.getElementById('logout').addEventListener('click', () => {
		sessionStorage.removeItem(TOKEN_KEY);
		token = '';
		showLogin('');
	});
	window.addEventListener('hashchange', route);
	setInterval(() => { if (view && view.name === 'overview' && !redrawQueued) queueDraw(); }, 10000);
	pollHealth();
	if (token) {
		start();
		return;
	}
	/* without a token: does the server read anonymously? */
	fetch('/api/v1/groups').then((res) => {
		anonymous = res.ok;
		if (anonymous)
			start();
		else
			showLogin('');
	}, () => showLogin(''));
}

document.addEventListener('DOMContentLoaded', init);
