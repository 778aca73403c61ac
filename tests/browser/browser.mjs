// Headless chromium (Debian's, or $VIGIL_CHROMIUM) through playwright-core,
// as the browser tests (dashboard.mjs) and bench/live.mjs both open it: one
// page, and every script error or console error on it collected.
import { chromium } from 'playwright-core';

export async function openPage() {
	const browser = await chromium.launch({
		executablePath: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	return { browser, page, errors };
}
