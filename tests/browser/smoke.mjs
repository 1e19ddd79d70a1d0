// autosched dashboard smoke test: the core flows in Chromium, short enough to run against
// every hosting (lighttpd, Apache with mod_fcgid, Apache with plain CGI, nginx with
// spawn-fcgi). test_browser.py --smoke SERVER starts the whole stack, schedd and an rq worker
// already running. Checks that the web server serves the static files the pages need, under
// the Content-Security-Policy, and passes sign-in, forms, redirects and cookies through.
// TAP lines for test_browser.py to count; helpers in common.mjs.
import { BASE, api, env, eq, failed, fillJob, jobIdOf, launch, lines, ok,
    shot, signIn, step, submitForm, watch } from "./common.mjs";

const server = env.AUTOSCHED_SERVER;
const browser = await launch();
try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	const seen = watch(page);
	const statics = [];
	page.on("response", (r) => {
		if (r.url().includes("/static/"))
			statics.push([r.url(), r.status(), r.headers()["content-type"] || ""]);
	});

	await step("signed out", async () => {
		await page.goto(BASE + "/");
		ok(page.url().startsWith(BASE + "/login?next="),
		    `${server}: signed out, the list leads to sign-in`, page.url());
	});

	await step("sign in", async () => {
		await signIn(page);
		ok(page.url() === BASE + "/", `${server}: signing in leads to the job list`,
		    page.url());
		const c = (await ctx.cookies()).find((k) => k.name === "autosched_session");
		ok(c && c.httpOnly && c.sameSite === "Strict" && c.path === env.AUTOSCHED_WEB,
		    `${server}: the session cookie comes through whole`, JSON.stringify(c));
		ok(statics.some(([u, s, t]) => /app\.css$/.test(u) && s === 200 && /text\/css/.test(t)),
		    `${server}: the stylesheet is served as text/css`, JSON.stringify(statics));
		ok(statics.some(([u, s, t]) => /app\.js$/.test(u) && s === 200 &&
		    /javascript/.test(t)), `${server}: the script is served as JavaScript`,
		    JSON.stringify(statics));
		ok(statics.some(([u, s, t]) => /favicon\.svg$/.test(u) && s === 200 &&
		    /image\/svg\+xml/.test(t)), `${server}: the icon is served as SVG`,
		    JSON.stringify(statics));
		const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".top"))
		    .backgroundColor);
		ok(bg !== "rgba(0, 0, 0, 0)", `${server}: the stylesheet applies`, bg);
	});

	let daily = null, manual = null;
	await step("create", async () => {
		await page.goto(BASE + "/jobs/new");
		await fillJob(page, { name: "Smoke daily", bot: "birthday", type: "daily",
		    time: "07:45" });
		const live = await page.waitForFunction(() => /At 07:45/.test(
		    document.querySelector("#preview").textContent), null, { timeout: 10000 })
		    .then(() => true, () => false);
		ok(live, `${server}: the live preview answers (script and preview.json)`,
		    await page.locator("#preview").innerText());
		await submitForm(page);
		daily = jobIdOf(page.url());
		ok(daily !== null, `${server}: create a daily job`, page.url());
		await page.goto(BASE + "/jobs/new");
		await fillJob(page, { name: "Smoke by hand", bot: "visitor", type: "manual" });
		await submitForm(page);
		manual = jobIdOf(page.url());
		ok(manual !== null, `${server}: create a manual job`, page.url());
		await page.goto(BASE + "/jobs/new");
		await fillJob(page, { name: "", type: "cron", cron: "0 25 * * *" });
		await submitForm(page);
		ok(await page.locator("#cron_expression-error").isVisible() &&
		    await page.inputValue("#cron_expression") === "0 25 * * *",
		    `${server}: a bad form shows its errors and keeps the input`);
	});

	await step("toggle", async () => {
		await page.goto(BASE + "/");
		await page.evaluate(() => { window.__marker = "same page"; });
		await page.locator(`#job-${daily} [role=switch]`).click();
		await page.waitForFunction((id) => document.querySelector(`#job-${id} [role=switch]`)
		    .getAttribute("aria-checked") === "false", daily);
		eq(await page.evaluate(() => window.__marker), "same page",
		    `${server}: toggle without a reload`);
		eq((await api("GET", "/jobs/" + daily)).json.enabled, false,
		    `${server}: the job is stored disabled`);
	});

	await step("run now", async () => {
		await page.goto(BASE + `/jobs/${manual}`);
		await page.click('button:has-text("Run now")');
		await page.waitForSelector("tr[data-run-status=success]", { timeout: 60000 });
		eq(await page.locator("tr[data-run-status=success] [data-counter=profiles_visited]")
		    .first().innerText(), "50", `${server}: run now reaches success with its counters`);
		await shot(page, `smoke-${server}`);
	});

	await step("csrf", async () => {
		const r = await page.request.post(BASE + `/jobs/${daily}/delete`, { form: {},
		    maxRedirects: 0 });
		eq(r.status(), 403, `${server}: a POST without the CSRF token is refused`);
	});

	await step("delete", async () => {
		await page.goto(BASE + `/jobs/${daily}/delete`);
		await Promise.all([page.waitForURL(/done=deleted/),
		    page.click('button:has-text("Delete the job")')]);
		eq((await api("GET", "/jobs/" + daily)).status, 404,
		    `${server}: delete after confirmation`);
	});

	await step("sign out", async () => {
		await Promise.all([page.waitForURL(/\/login/), page.click(".top button")]);
		await page.goto(BASE + "/");
		ok(page.url().startsWith(BASE + "/login"), `${server}: signed out again`, page.url());
	});
	eq(seen.errors.filter((e) => !/status of 4\d\d/.test(e)).length, 0,
	    `${server}: no script error or CSP violation`, seen.errors.join("\n"));
	await ctx.close();
} finally {
	await browser.close();
	lines.close();
}
process.exit(failed() ? 1 : 0);
