// Shared by the browser scripts (dashboard.mjs, smoke.mjs): the environment test_browser.py
// sets, TAP output, the API, and the steps every script takes (sign in, fill a job form).
//
// Environment: AUTOSCHED_URL (http://127.0.0.1:PORT), AUTOSCHED_WEB (/automation),
// AUTOSCHED_API, AUTOSCHED_KEY, AUTOSCHED_USER, AUTOSCHED_PASSWORD, AUTOSCHED_SHOTS (folder
// for screenshots), AUTOSCHED_DOCS (a folder: a few screenshots for the README, when set).
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";
import { copyFileSync } from "node:fs";
import { join } from "node:path";

export const env = process.env;
export const ORIGIN = env.AUTOSCHED_URL;
export const BASE = ORIGIN + env.AUTOSCHED_WEB;
export const API = ORIGIN + env.AUTOSCHED_API;
export const USER = env.AUTOSCHED_USER;
export const PASSWORD = env.AUTOSCHED_PASSWORD;
export const SHOTS = env.AUTOSCHED_SHOTS;

let failures = 0;
export function failed() {
	return failures;
}
export function ok(cond, name, detail) {
	if (cond) {
		console.log("ok - " + name);
	} else {
		failures++;
		console.log("not ok - " + name);
		if (detail !== undefined)
			for (const l of String(detail).split("\n").slice(0, 30))
				console.log("#   " + l);
	}
	return cond;
}
export function eq(got, want, name) {
	return ok(got === want, name, "want: " + JSON.stringify(want) + "\ngot:  " +
	    JSON.stringify(got));
}
// One named step: an exception fails it instead of stopping the run.
export async function step(name, fn) {
	try {
		await fn();
	} catch (e) {
		ok(false, name + " (threw)", e && e.stack ? e.stack : e);
	}
}

export const lines = createInterface({ input: process.stdin });
const replies = lines[Symbol.asyncIterator]();
export async function ask(what) {
	console.log(what);
	const r = await replies.next();
	return r.value;
}

export async function api(method, path, body) {
	const r = await fetch(API + path, {
		method,
		headers: { "X-API-Key": env.AUTOSCHED_KEY, "Content-Type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	return { status: r.status, json: text ? JSON.parse(text) : null };
}

export async function shot(page, name, docs) {
	const file = join(SHOTS, name + ".png");
	await page.screenshot({ path: file, fullPage: true });
	if (docs && env.AUTOSCHED_DOCS)
		copyFileSync(file, join(env.AUTOSCHED_DOCS, name + ".png"));
}

// Every console error, failed request and CSP violation of a page, for the checks.
export function watch(page) {
	const seen = { errors: [], dialogs: [] };
	page.on("console", (m) => { if (m.type() === "error") seen.errors.push(m.text()); });
	page.on("pageerror", (e) => seen.errors.push(String(e)));
	page.on("dialog", async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
	return seen;
}

export async function signIn(page) {
	await page.goto(BASE + "/login");
	await page.fill("#user", USER);
	await page.fill("#password", PASSWORD);
	await Promise.all([page.waitForURL(BASE + "/"), page.click("button[type=submit]")]);
}

// Fills the job form (new or edit) with what `job` names; checkboxes are set exactly.
export async function fillJob(page, job) {
	if (job.name !== undefined) await page.fill("#name", job.name);
	if (job.description !== undefined) await page.fill("#description", job.description);
	if (job.bot) await page.selectOption("#bot_type", job.bot);
	await page.check(`input[name=schedule_type][value=${job.type}]`);
	if (job.time) await page.fill(`#${job.type}_time`, job.time);
	if (job.days) {
		for (const d of ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) {
			const box = page.locator(`input[name=days][value=${d}]`);
			if (job.days.includes(d)) await box.check(); else await box.uncheck();
		}
	}
	if (job.hours !== undefined) await page.fill("#hours", String(job.hours));
	if (job.minutes !== undefined) await page.fill("#minutes", String(job.minutes));
	if (job.cron !== undefined) await page.fill("#cron_expression", job.cron);
	if (job.tz) await page.fill("#timezone", job.tz);
}

export async function submitForm(page) {
	await Promise.all([page.waitForLoadState("load"),
	    page.click(".job-form button.btn-primary")]);
	await page.waitForLoadState("load");
}

export function jobIdOf(url) {
	const m = /\/jobs\/([0-9a-f-]{36})/.exec(url);
	return m ? m[1] : null;
}

// Debian's Chromium, never a downloaded one; no background traffic off the machine.
export async function launch() {
	return chromium.launch({
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		    "--disable-background-networking", "--no-first-run", "--disable-extensions"],
	});
}
