// bench/live.mjs — click to browser, for bench/live: headless Chromium (Debian's
// /usr/bin/chromium, driven by the playwright-core of tests/browser) clicks
// Check now on the dashboard's page of one check, and times, in the page
// (performance.now()), from the click to the new result on the page.
//
// Usage: node bench/live.mjs --url URL --token TOKEN --check HOST/SERVICE [--rounds N]
//
// The page is opened as a person would: URL/#token=TOKEN, then the check's
// page URL/#/check/HOST/SERVICE, once the stream is live. Each round, in
// the page: a MutationObserver on #main, the time, a click on #recheck;
// the round ends when #check-state carries a data-live other than before
// the click (the number of the last "checks" row applied for this check:
// the result came over the websocket and the head was drawn again) and the
// button is enabled again (the POST was answered). The check must be run
// by nothing but the clicks (bench/live gives it a 1 h interval). Three
// rounds first warm the page up and are not counted; 400 ms between rounds
// let the page's own reload of the check (300 ms after a new row) finish.
//
// Prints one line of key=value figures on stdout: rounds, and the click
// to new row p50_ms, p90_ms, p99_ms, max_ms; post_p50_ms and post_p99_ms
// are the click to the POST's answer (the engine applied the recheck).
// Exits 1 with the reason on stderr when a round sees no new row in 10 s,
// the page reports an error, or the page does not come up in 30 s.
import { openPage } from '../tests/browser/browser.mjs';

const args = process.argv.slice(2);
const opt = { rounds: '200' };
for (let i = 0; i < args.length; i += 2) {
	if (!args[i].startsWith('--') || args[i + 1] === undefined)
		usage();
	opt[args[i].slice(2)] = args[i + 1];
}
const ROUNDS = Number(opt.rounds);
const WARMUP = 3;
const GAP_MS = 400;
const T = 30000;
if (!opt.url || !opt.token || !opt.check || !(ROUNDS >= 1))
	usage();

function usage() {
	console.error('usage: node bench/live.mjs --url URL --token TOKEN --check HOST/SERVICE ' +
		'[--rounds N]');
	process.exit(2);
}

function pct(sorted, p) {
	const i = Math.ceil(p * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, i))];
}

// One round in the page: resolves {row, post} in ms after the click.
function round() {
	return new Promise((resolve, reject) => {
		const main = document.getElementById('main');
		const btn = document.getElementById('recheck');
		const before = document.getElementById('check-state').dataset.live;
		if (btn.disabled) {
			reject(new Error('Check now is disabled'));
			return;
		}
		let t0 = 0, row = 0, post = 0;
		const obs = new MutationObserver(() => {
			const now = performance.now();
			const st = document.getElementById('check-state');
			if (!row && st && st.dataset.live !== before)
				row = now;
			if (!post && !btn.disabled)
				post = now;
			if (row && post) {
				obs.disconnect();
				clearTimeout(timer);
				resolve({ row: row - t0, post: post - t0 });
			}
		});
		const timer = setTimeout(() => {
			obs.disconnect();
			reject(new Error('no new row in 10 s (data-live stayed ' + before + ')'));
		}, 10000);
		obs.observe(main, { childList: true, subtree: true, attributes: true });
		t0 = performance.now();
		btn.click();		// the handler disables it at once
	});
}

async function main() {
	const { browser, page, errors } = await openPage();
	let rc = 0;
	try {
		await page.goto(opt.url + '/#token=' + encodeURIComponent(opt.token));
		await page.waitForSelector('#conn[data-state="live"]', { timeout: T });
		await page.goto(opt.url + '/#/check/' + opt.check);
		await page.waitForSelector('#check-state', { timeout: T });
		await page.waitForSelector('#recheck', { timeout: T });
		const row = [], post = [];
		for (let i = 0; i < WARMUP + ROUNDS; i++) {
			const r = await page.evaluate(round);
			if (i >= WARMUP) {
				row.push(r.row);
				post.push(r.post);
			}
			if (errors.length)
				throw new Error('page errors: ' + errors.join(' | '));
			await page.waitForTimeout(GAP_MS);
		}
		row.sort((a, b) => a - b);
		post.sort((a, b) => a - b);
		const f = (v) => v.toFixed(1);
		console.log(`rounds=${ROUNDS} p50_ms=${f(pct(row, 0.5))} p90_ms=${f(pct(row, 0.9))} ` +
			`p99_ms=${f(pct(row, 0.99))} max_ms=${f(row[row.length - 1])} ` +
			`post_p50_ms=${f(pct(post, 0.5))} post_p99_ms=${f(pct(post, 0.99))}`);
	} catch (e) {
		console.error('bench/live.mjs: ' + e.message);
		rc = 1;
	}
	await browser.close();
	process.exit(rc);
}

main().catch((e) => {
	console.error('bench/live.mjs: ' + e.stack);
	process.exit(1);
});
