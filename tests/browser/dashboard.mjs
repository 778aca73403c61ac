// dashboard.mjs — one scenario of vigil's dashboard in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core), for tests/it_browser.
//
// Usage: node dashboard.mjs --url URL --token TOKEN --shots DIR SCENARIO
//
// The scenario runs against a vigil-web (and engine, worker) that
// it_browser started; it reads and writes through the page and the API.
// Lines "step: …" say how far it got (it_browser waits for some of them);
// it exits 0 when every expectation held, else 1 with the reason on stderr.
import { openPage } from './browser.mjs';

const args = process.argv.slice(2);
const opt = {};
for (let i = 0; i < args.length; i++) {
	if (args[i].startsWith('--'))
		opt[args[i].slice(2)] = args[++i];
	else
		opt.scenario = args[i];
}
const URL_ = opt.url;
const TOKEN = opt.token;
const T = 30000;	// every wait; a loaded 2-core machine is slow, never this slow

function step(s) {
	console.log('step: ' + s);
}

function check(cond, what) {
	if (!cond)
		throw new Error(what);
}

async function api(method, path, body) {
	const res = await fetch(URL_ + path, {
		method,
		headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const j = await res.json();
	check(res.ok, method + ' ' + path + ': ' + res.status + ' ' + JSON.stringify(j));
	return j;
}

const row = (name) => `#checks tr[data-check="${name}"]`;

async function openOverview(page) {
	await page.goto(URL_ + '/#token=' + TOKEN);
	await page.waitForSelector('#conn[data-state="live"]', { timeout: T });
	await page.waitForSelector('#checks', { timeout: T });
	// the token left the address
	check(!page.url().includes(TOKEN), 'the token stayed in the address: ' + page.url());
}

const scenarios = {
	// The overview lists every check of the configuration; screenshot.
	async overview(page) {
		await openOverview(page);
		for (const name of ['web-01/disk', 'web-01/backup', 'web-01/evil', 'db-01/clock'])
			await page.waitForSelector(row(name), { timeout: T });
		await page.waitForSelector('#groups details[data-group="production"]', { timeout: T });
		await page.click('#groups details[data-group="production"] > summary');
		await page.waitForSelector('#groups details[data-group="web"]', { state: 'visible', timeout: T });
		// the always-warning check is a problem
		await page.waitForSelector('#problems tr[data-check="web-01/disk"][data-state="WARNING"]', { timeout: T });
		await page.screenshot({ path: opt.shots + '/overview.png', fullPage: true });
		step('overview shown');
	},

	// A passive result turns its row CRITICAL with no reload of the page.
	async passive(page) {
		await openOverview(page);
		await page.waitForSelector(row('web-01/backup'), { timeout: T });
		await page.evaluate(() => { window.__notReloaded = true; });
		await api('POST', '/api/v1/checks/web-01/backup/result', { state: 'CRITICAL', output: 'backup failed: disk full' });
		await page.waitForSelector(row('web-01/backup') + '[data-state="CRITICAL"]', { timeout: T });
		await page.waitForSelector('#problems tr[data-check="web-01/backup"]', { timeout: T });
		check(await page.evaluate(() => window.__notReloaded === true), 'the page was reloaded');
		const out = await page.textContent(row('web-01/backup') + ' td.output');
		check(out.includes('backup failed: disk full'), 'output: ' + out);
		step('row turned CRITICAL live');
	},

	// Acknowledge on the check page: the row moves to the handled problems,
	// and the API names the token's owner as the author.
	async ack(page) {
		await openOverview(page);
		await api('POST', '/api/v1/checks/web-01/backup/result', { state: 'CRITICAL', output: 'backup failed again' });
		// the row with this result in it: it was CRITICAL already, and its
		// live update, arriving after the click, would redraw the list
		// under the mouse (the click then lands on another row)
		await page.waitForSelector('#problems tr[data-check="web-01/backup"][data-state="CRITICAL"]' +
			':has-text("backup failed again")', { timeout: T });
		await page.click('#problems tr[data-check="web-01/backup"] a');
		await page.waitForSelector('#check-state[data-state="CRITICAL"]', { timeout: T });
		check(decodeURIComponent(await page.evaluate(() => location.hash)).includes('web-01/backup'),
			'the check page is web-01/backup\'s');
		await page.fill('#ack-form input[name="comment"]', 'looking at the disk');
		await page.check('#ack-form input[name="sticky"]');
		await page.click('#ack');
		await page.waitForSelector('#action-msg:has-text("acknowledged")', { timeout: T });
		await page.waitForSelector('#ack-info:has-text("looking at the disk")', { timeout: T });
		await page.waitForSelector('#check-page', { timeout: T });
		await page.screenshot({ path: opt.shots + '/check.png', fullPage: true });
		const j = await api('GET', '/api/v1/checks/web-01/backup');
		check(j.acknowledged === true && j.ack && j.ack.author === 'ops', 'API: ' + JSON.stringify(j.ack));
		await page.click('a[href="#/"]');
		await page.waitForSelector('#problems tr[data-check="web-01/backup"] .tag:has-text("ack")', { timeout: T });
		// handled: after every unhandled problem
		const order = await page.$$eval('#problems tr[data-check]', (trs) => trs.map((t) => t.dataset.check));
		check(order[order.length - 1] === 'web-01/backup', 'problems order: ' + order.join(', '));
		step('acknowledged');
	},

	// Check now: the last-check time changes without a reload.
	async recheck(page) {
		await openOverview(page);
		await page.goto(URL_ + '/#/check/db-01/clock');
		await page.waitForSelector('#check-last', { timeout: T });
		await page.waitForFunction(() => document.querySelector('#check-last').textContent !== '-', null, { timeout: T });
		const before = await page.textContent('#check-last');
		const out = await page.textContent('#check-output');
		await page.waitForTimeout(1100);	// times are to the second
		await page.click('#recheck');
		await page.waitForSelector('#action-msg:has-text("runs now")', { timeout: T });
		await page.waitForFunction((b) => document.querySelector('#check-last').textContent !== b, before, { timeout: T });
		const after = await page.textContent('#check-output');
		check(after !== out, 'the output stayed ' + out);
		// two results with perfdata: the chart has a line
		await page.waitForSelector('#chart svg.chart circle.pt', { timeout: T });
		await page.screenshot({ path: opt.shots + '/check-perfdata.png', fullPage: true });
		step('rechecked');
	},

	// Downtime from the check page, then Cancel downtime.
	async downtime(page) {
		await openOverview(page);
		await page.goto(URL_ + '/#/check/web-01/disk');
		await page.waitForSelector('#downtime-form', { timeout: T });
		await page.fill('#downtime-form input[name="duration"]', '30m');
		await page.fill('#downtime-form input[name="comment"]', 'disk swap');
		await page.click('#downtime');
		await page.waitForSelector('#action-msg:has-text("scheduled")', { timeout: T });
		await page.waitForSelector('#downtimes tr[data-downtime] td:has-text("disk swap")', { timeout: T });
		await page.waitForSelector('#check-state .tag:has-text("in downtime")', { timeout: T });
		const j = await api('GET', '/api/v1/downtimes?host=web-01');
		check(j.downtimes.length === 1 && j.downtimes[0].author === 'ops', 'API: ' + JSON.stringify(j));
		await page.click('#downtimes .cancel-downtime');
		await page.waitForSelector('#downtimes', { state: 'detached', timeout: T });
		await page.waitForFunction(() => !document.querySelector('#check-state').textContent.includes('in downtime'), null, { timeout: T });
		const k = await api('GET', '/api/v1/downtimes?host=web-01');
		check(k.downtimes.length === 0, 'still open: ' + JSON.stringify(k));
		step('downtime scheduled and cancelled');
	},

	// vigil-web stops: the banner; while it is away the state changes;
	// it comes back: the banner goes and the page shows the new state.
	async restart(page) {
		await openOverview(page);
		await page.waitForSelector(row('web-01/backup'), { timeout: T });
		step('ready');		// it_browser stops vigil-web now
		await page.waitForSelector('#banner-conn', { state: 'visible', timeout: T });
		step('banner shown');	// it_browser changes the state, starts vigil-web
		await page.waitForSelector('#banner-conn', { state: 'hidden', timeout: 2 * T });
		await page.waitForSelector(row('web-01/backup') + '[data-state="WARNING"]', { timeout: T });
		const out = await page.textContent(row('web-01/backup') + ' td.output');
		check(out.includes('changed while vigil-web was away'), 'output: ' + out);
		step('resynced');
	},

	// The engine stops: the banner says no engine leads; it starts again:
	// the banner goes.
	async noengine(page) {
		await openOverview(page);
		check(await page.isHidden('#banner-engine'), 'the engine banner shows with an engine');
		step('ready');		// it_browser stops the engine now
		await page.waitForSelector('#banner-engine', { state: 'visible', timeout: T });
		step('banner shown');	// it_browser starts the engine again
		await page.waitForSelector('#banner-engine', { state: 'hidden', timeout: 2 * T });
		step('banner gone');
	},

	// Plugin output with markup is text: shown as typed, nothing runs.
	async hostile(page) {
		const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> <b>bold</b>';
		await openOverview(page);
		await api('POST', '/api/v1/checks/web-01/evil/result', { state: 'WARNING', output: evil });
		await page.waitForSelector(row('web-01/evil') + '[data-state="WARNING"]', { timeout: T });
		const cell = await page.textContent(row('web-01/evil') + ' td.output');
		check(cell.includes('<script>window.__pwned = 1</script>') && cell.includes('<img src=x onerror='),
			'the output was not shown as text: ' + cell);
		check(await page.$$eval('#checks td.output img, #checks td.output script, #checks td.output b', (x) => x.length) === 0,
			'markup from the output became elements');
		await page.goto(URL_ + '/#/check/web-01/evil');
		await page.waitForSelector('#check-output:has-text("<script>")', { timeout: T });
		await page.waitForTimeout(500);
		check(await page.evaluate(() => window.__pwned === undefined), 'the output ran');
		const res = await fetch(URL_ + '/');
		const csp = res.headers.get('content-security-policy') || '';
		check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), 'CSP: ' + csp);
		step('output stayed text');
	},
};

async function main() {
	const fn = scenarios[opt.scenario];
	if (!fn) {
		console.error('no such scenario: ' + opt.scenario);
		process.exit(2);
	}
	const { browser, page, errors } = await openPage();
	let rc = 0;
	try {
		await fn(page);
		// a CSP violation or a script error is a failure too (the
		// connection errors while vigil-web is away are expected)
		const bad = errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(e));
		check(bad.length === 0, 'page errors: ' + bad.join(' | '));
	} catch (e) {
		console.error('FAIL ' + opt.scenario + ': ' + e.message);
		try {
			await page.screenshot({ path: opt.shots + '/failed-' + opt.scenario + '.png', fullPage: true });
		} catch (e2) { /* the page is gone */ }
		rc = 1;
	}
	await browser.close();
	process.exit(rc);
}

main().catch((e) => {
	console.error('FAIL ' + opt.scenario + ': ' + e.stack);
	process.exit(1);
});
