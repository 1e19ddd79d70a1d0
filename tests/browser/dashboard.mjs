// autosched dashboard tests: Debian's Chromium driven by playwright-core, against the real
// stack that test_browser.py started (lighttpd, both FastCGI programs, schedd, redis-server,
// an rq worker). Prints TAP lines ("ok - name" / "not ok - name") for test_browser.py to
// count; asks it to start schedd by printing "START SCHEDD" and reading a line back.
// The environment and the helpers are in common.mjs.
import { BASE, PASSWORD, USER, api, ask, env, eq, failed, fillJob, jobIdOf, launch,
    lines, ok, shot, signIn, step, submitForm, watch } from "./common.mjs";

const browser = await launch();

try {
	// ---- signed out: everything leads to sign-in ----
	const anon = await browser.newContext();
	const ap = await anon.newPage();
	await step("signed out", async () => {
		const some = "11111111-2222-4333-8444-555555555555";
		for (const path of ["/", "/jobs/new", `/jobs/${some}`, `/jobs/${some}/edit`,
		    `/jobs/${some}/delete`, "/?q=x&page=2"]) {
			const r = await ap.request.get(BASE + path, { maxRedirects: 0 });
			const loc = r.headers()["location"] || "";
			ok(r.status() === 303 && loc.startsWith(env.AUTOSCHED_WEB + "/login?next="),
			    `signed out: GET ${path} redirects to sign-in`, r.status() + " " + loc);
		}
		for (const path of ["/jobs", `/jobs/${some}/run`, `/jobs/${some}/toggle`,
		    `/jobs/${some}/delete`, "/logout"]) {
			const r = await ap.request.post(BASE + path, { form: { _csrf: "x" },
			    maxRedirects: 0 });
			eq(r.status(), 403, `signed out: POST ${path} is refused`);
		}
		await ap.goto(BASE + "/jobs/new");
		ok(ap.url().startsWith(BASE + "/login?next="), "signed out: the browser lands on " +
		    "the sign-in page", ap.url());
		await shot(ap, "login", true);
	});

	// ---- sign in ----
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	const seen = watch(page);
	await step("sign-in", async () => {
		await page.goto(BASE + "/login");
		await page.fill("#user", USER);
		await page.fill("#password", "wrong password");
		await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
		ok(await page.locator("#login-error").isVisible(), "a wrong password says so");
		eq(await page.inputValue("#user"), USER, "the user name is kept after a failure");
		await page.fill("#password", PASSWORD);
		await Promise.all([page.waitForURL(BASE + "/"), page.click("button[type=submit]")]);
		ok(page.url() === BASE + "/", "signing in leads to the job list", page.url());
		const cookies = await ctx.cookies();
		const c = cookies.find((k) => k.name === "autosched_session");
		ok(c && c.httpOnly && c.sameSite === "Strict" && c.path === env.AUTOSCHED_WEB,
		    "the session cookie is HttpOnly, SameSite=Strict, under the mount",
		    JSON.stringify(c));
	});

	// ---- before schedd: the banner; the empty state ----
	await step("banner and empty state", async () => {
		const banner = page.locator(".banner");
		ok(await banner.isVisible() && /never run/.test(await banner.innerText()),
		    "a banner says the scheduler never ran", await page.content());
		ok(await page.locator(".empty").isVisible(), "an empty list says how to start");
		await shot(page, "empty");
		const reply = await ask("START SCHEDD");
		eq(reply, "done", "schedd started");
		await page.reload();
		eq(await page.locator(".banner").count(), 0, "the banner goes once schedd beats");
	});

	// ---- CSRF ----
	await step("csrf", async () => {
		const before = (await api("GET", "/jobs")).json.length;
		const r = await page.request.post(BASE + "/jobs", { form: { name: "sneaky",
		    bot_type: "birthday", schedule_type: "manual" }, maxRedirects: 0 });
		eq(r.status(), 403, "a POST without the CSRF token is refused");
		const r2 = await page.request.post(BASE + "/jobs", { form: { _csrf: "forged",
		    name: "sneaky", bot_type: "birthday", schedule_type: "manual" }, maxRedirects: 0 });
		eq(r2.status(), 403, "a POST with a wrong CSRF token is refused");
		eq((await api("GET", "/jobs")).json.length, before, "and nothing was created");
	});

	// ---- create one job of each schedule type ----
	const ids = {};
	const kinds = [
		{ key: "daily", name: "Morning birthdays", bot: "birthday", type: "daily",
		  time: "09:30", words: /At 09:30/ },
		{ key: "weekly", name: "Weekday visits", bot: "visitor", type: "weekly",
		  days: ["mon", "wed", "fri"], time: "18:05", words: /18:05.*Monday/ },
		{ key: "interval", name: "Every 2h30", bot: "visitor", type: "interval", hours: 2,
		  minutes: 30, words: /2 hours and 30 minutes|150 minutes|2 h/ },
		{ key: "cron", name: "Cron weekdays", bot: "birthday", type: "cron",
		  cron: "15 7 * * 1-5", tz: "America/New_York", words: /07:15/ },
		{ key: "manual", name: "By hand", bot: "visitor", type: "manual",
		  words: /[Mm]anual|by hand/ },
	];
	for (const k of kinds) {
		await step("create " + k.key, async () => {
			await page.goto(BASE + "/jobs/new");
			await fillJob(page, k);
			if (k.key === "daily") {
				const followed = await page.waitForFunction(() => /At 09:30/.test(
				    document.querySelector("#preview").textContent), null,
				    { timeout: 10000 }).then(() => true, () => false);
				ok(followed, "the live preview follows the time of day as it is typed",
				    await page.locator("#preview").innerText());
				await shot(page, "job-form", true);
			}
			await submitForm(page);
			const id = jobIdOf(page.url());
			ok(id !== null, `create a ${k.key} job: lands on its page`, page.url());
			ids[k.key] = id;
			const flash = await page.locator("[data-flash]").innerText();
			ok(flash.includes("Created") && flash.includes(k.name),
			    `create a ${k.key} job: a flash says so`, flash);
			const sched = await page.locator(".settings dd").first().innerText();
			ok(k.words.test(sched), `create a ${k.key} job: the schedule in words`, sched);
			const stored = (await api("GET", "/jobs/" + id)).json;
			eq(stored.schedule_type, k.type, `create a ${k.key} job: stored type`);
			eq(stored.created_by, USER, `create a ${k.key} job: created_by is the user`);
			if (k.tz) eq(stored.timezone, k.tz, `create a ${k.key} job: its time zone`);
		});
	}
	await step("stored schedules", async () => {
		const d = (await api("GET", "/jobs/" + ids.daily)).json;
		eq(JSON.stringify(d.schedule_config), '{"hour":9,"minute":30}', "daily config stored");
		const w = (await api("GET", "/jobs/" + ids.weekly)).json;
		eq(w.schedule_config.day_of_week, "mon,wed,fri", "weekly days stored");
		const i = (await api("GET", "/jobs/" + ids.interval)).json;
		eq(i.schedule_config.hours * 60 + i.schedule_config.minutes, 150, "interval stored");
		const c = (await api("GET", "/jobs/" + ids.cron)).json;
		eq(c.schedule_config.cron_expression, "15 7 * * 1-5", "cron stored");
	});

	// ---- validation: errors beside fields, input kept ----
	await step("validation", async () => {
		await page.goto(BASE + "/jobs/new");
		await fillJob(page, { name: "   ", description: "keep me", type: "cron",
		    cron: "61 * * * *", tz: "Mars/Olympus" });
		await page.fill("#p-birthday-max_days_late", "999");
		const [resp] = await Promise.all([
			page.waitForResponse((r) => r.url() === BASE + "/jobs" &&
			    r.request().method() === "POST"),
			page.click(".job-form button.btn-primary")]);
		await page.waitForLoadState("load");
		eq(resp.status(), 422, "an invalid job is answered 422");
		ok(await page.locator("#errors").isVisible(), "an error summary heads the form");
		const cronErr = page.locator("#cron_expression-error");
		ok(await cronErr.isVisible() && /minute|61|range/i.test(await cronErr.innerText()),
		    "the cron error is beside the cron field", await cronErr.count());
		ok(await page.locator("#name-error").isVisible(), "the name error is beside the name");
		ok(await page.locator("#timezone-error").isVisible(), "the zone error is beside it");
		ok(/between 0 and 365/.test(await page.locator(".params[data-bot=birthday] " +
		    ".field-error").innerText()), "a bot parameter error is beside the parameter");
		eq(await page.inputValue("#cron_expression"), "61 * * * *", "the cron input is kept");
		eq(await page.inputValue("#description"), "keep me", "the description is kept");
		eq(await page.inputValue("#timezone"), "Mars/Olympus", "the zone input is kept");
		eq(await page.inputValue("#p-birthday-max_days_late"), "999", "the parameter is kept");
		ok(await page.isChecked("input[name=schedule_type][value=cron]"),
		    "the schedule type is kept");
		await shot(page, "job-form-errors");
	});

	// ---- live preview, DST flagged ----
	await step("live preview", async () => {
		await page.goto(BASE + "/jobs/new");
		ok(await page.locator("fieldset[data-sched=weekly]").isHidden(),
		    "only the chosen schedule's fields show");
		await page.check("input[name=schedule_type][value=cron]");
		ok(await page.locator("#cron_expression").isVisible(), "switching shows cron's field");
		await page.fill("#timezone", "Europe/Paris");
		await page.fill("#cron_expression", "30 2 * 3 0");
		await page.waitForFunction(() => /02:30/.test(document.querySelector("#preview")
		    .textContent) && document.querySelector("#preview .badge-dst"), null,
		    { timeout: 10000 });
		const text = await page.locator("#preview").innerText();
		ok(/moved by DST/.test(text), "the preview flags the run DST moves", text);
		ok(/Sun 28 Mar 2027/.test(text), "the preview lists the skipped Sunday", text);
		await page.fill("#cron_expression", "bogus");
		const said = await page.waitForFunction(() => /not complete/.test(
		    document.querySelector("#preview").textContent), null, { timeout: 10000 })
		    .then(() => true, () => false);
		ok(said, "the preview says when the expression is wrong",
		    await page.locator("#preview").innerText());
		await page.selectOption("#bot_type", "visitor");
		ok(await page.locator("fieldset[data-bot=visitor]").isVisible() &&
		    await page.locator("fieldset[data-bot=birthday]").isHidden(),
		    "only the chosen bot's parameters show");
	});

	// ---- edit ----
	await step("edit", async () => {
		await page.goto(BASE + `/jobs/${ids.daily}/edit`);
		eq(await page.inputValue("#daily_time"), "09:30", "the edit form shows the time");
		eq(await page.inputValue("#name"), "Morning birthdays", "the edit form shows the name");
		await page.fill("#daily_time", "10:45");
		await page.fill("#description", "Wish them well");
		await submitForm(page);
		ok((await page.locator("[data-flash]").innerText()).includes("Saved"), "saved");
		const j = (await api("GET", "/jobs/" + ids.daily)).json;
		eq(j.schedule_config.hour * 60 + j.schedule_config.minute, 645, "the new time is stored");
		eq(j.description, "Wish them well", "the description is stored");
		ok(/10:45/.test(await page.locator(".settings dd").first().innerText()),
		    "the job page shows the new schedule");
		await shot(page, "job");
	});

	// ---- guardrails: a window, jitter, the kill switch and a paused job (SPEC §9) ----
	await step("guardrails", async () => {
		await page.goto(BASE + "/jobs/new");
		await page.fill("#name", "Office hours visitor");
		await page.selectOption("#bot_type", "visitor");
		await page.check("input[name=schedule_type][value=daily]");
		await page.fill("#daily_time", "09:00");
		await page.fill("#timezone", "Europe/Paris");
		for (const d of ["mon", "tue", "wed", "thu", "fri"])
			await page.check(`input[name=w1_days][value=${d}]`);
		await page.fill("#w1_start", "09:00");
		await page.fill("#w1_end", "09:10");
		await page.fill("#jitter_minutes", "15");
		const seen = await page.waitForFunction(() => /jitter: between 09:00 and 09:09:59/
		    .test(document.querySelector("#preview").textContent), null, { timeout: 10000 })
		    .then(() => true, () => false);
		const text = await page.locator("#preview").innerText();
		ok(seen && /only within Monday through Friday 09:00-09:10/.test(text),
		    "the live preview shows the window and the jitter it bounds", text);
		await shot(page, "job-form-window");
		await submitForm(page);
		const id = jobIdOf(page.url());
		const j = (await api("GET", "/jobs/" + id)).json;
		eq(JSON.stringify([j.active_windows, j.jitter_seconds]), JSON.stringify([[{
		    days: "mon-fri", start: "09:00", end: "09:10" }], 900]),
		    "the window and jitter are saved");
		const runs = await page.locator(".runs").first().innerText();
		ok(/jitter: starts at \d\d:\d\d/.test(runs) || j.next_run_at === j.next_scheduled_for,
		    "the job page says when the drawn jitter starts it", runs);

		// pause every bot from the list, resume from the banner
		await page.goto(BASE + "/");
		await page.locator(".pause-box summary").click();
		await page.fill("#p-note", "the site warned us");
		await Promise.all([page.waitForLoadState("load"),
		    page.click(".pause-box button[type=submit]")]);
		const banner = page.locator(".banner-pause");
		ok(await banner.count() === 1 && /All bots are paused by \S+ since .*: the site warned us/
		    .test(await banner.innerText()), "a banner says everything is paused, by whom, why",
		    await banner.count() ? await banner.innerText() : "no banner");
		eq((await api("GET", "/pauses")).json.length, 1, "the pause is in force");
		await page.goto(BASE + `/jobs/${id}`);
		ok(await page.locator(".banner-pause").count() === 1, "the banner is on every page");
		await shot(page, "banner-paused");
		await Promise.all([page.waitForLoadState("load"),
		    page.click(".banner-pause button[type=submit]")]);
		eq(await page.locator(".banner-pause").count(), 0, "Resume in the banner ends it");
		eq((await api("GET", "/pauses")).json.length, 0, "no pause is left");

		// a paused job: badge, reason, Resume
		await api("PUT", "/jobs/" + id, { paused: true });
		await page.goto(BASE + "/");
		const row = page.locator(`tr[data-job="${id}"]`);
		ok(await row.locator(".badge-paused").count() === 1, "the list shows it paused");
		await page.goto(BASE + `/jobs/${id}`);
		ok(/Paused by hand/.test(await page.locator("[data-paused]").innerText()),
		    "the job page says why it is paused");
		await Promise.all([page.waitForLoadState("load"),
		    page.click("[data-paused] button:has-text('Resume')")]);
		const after = (await api("GET", "/jobs/" + id)).json;
		ok(!after.paused && after.next_run_at, "Resume on the job page restarts it",
		    JSON.stringify(after));
	});

	// ---- the list: toggle without reload ----
	await step("toggle", async () => {
		await page.goto(BASE + "/");
		await page.evaluate(() => { window.__marker = "same page"; });
		const sw = page.locator(`#job-${ids.weekly} [role=switch]`);
		eq(await sw.getAttribute("aria-checked"), "true", "the switch starts on");
		await sw.click();
		await page.waitForFunction((id) => document.querySelector(`#job-${id} [role=switch]`)
		    .getAttribute("aria-checked") === "false", ids.weekly);
		eq(await page.evaluate(() => window.__marker), "same page", "toggled without a reload");
		ok(/Disabled/.test(await page.locator("[data-flash]").innerText()), "a flash says so");
		eq((await api("GET", "/jobs/" + ids.weekly)).json.enabled, false, "stored disabled");
		ok(/Disabled/.test(await page.locator(`#job-${ids.weekly} [data-next]`).innerText()),
		    "the next run cell follows");
		await sw.click();
		await page.waitForFunction((id) => document.querySelector(`#job-${id} [role=switch]`)
		    .getAttribute("aria-checked") === "true", ids.weekly);
		eq((await api("GET", "/jobs/" + ids.weekly)).json.enabled, true, "and enabled again");
		ok(await page.locator("svg.tl .tl-mark").count() > 0, "the timeline shows runs");
		await shot(page, "jobs", true);
	});

	// ---- run now, watch the run reach success with its counters ----
	await step("run now", async () => {
		await page.goto(BASE + "/");
		await Promise.all([page.waitForLoadState("load"),
		    page.click(`#job-${ids.manual} button:has-text("Run now")`)]);
		ok(/will run now/.test(await page.locator("[data-flash]").innerText()),
		    "run now says the run is on its way");
		await page.goto(BASE + `/jobs/${ids.manual}`);
		await page.waitForSelector("tr[data-run-status=success]", { timeout: 60000 });
		const row = page.locator("tr[data-run-status=success]").first();
		eq(await row.locator("[data-counter=profiles_visited]").innerText(), "50",
		    "the run's counter shows (profiles visited)");
		ok(/manual/.test(await row.innerText()), "the trigger shows");
		ok(await page.locator("svg.chart rect.status-success").count() === 1,
		    "the chart draws the run");
		await shot(page, "job-history", true);
	});

	// ---- a failing run shows its error ----
	await step("failed run", async () => {
		await page.goto(BASE + `/jobs/${ids.daily}/edit`);
		await page.fill("#p-birthday-bot_mode", "fail");
		await submitForm(page);
		await page.click('button:has-text("Run now")');
		await page.waitForSelector("tr[data-run-status=failed]", { timeout: 60000 });
		ok((await page.locator("tr[data-run-status=failed] .error-text").innerText()).length > 0,
		    "a failed run shows its error");
	});

	// ---- XSS: a job named like a script shows as text ----
	await step("xss", async () => {
		const name = "<script>alert(1)</script>";
		await page.goto(BASE + "/jobs/new");
		await fillJob(page, { name, description: "<img src=x onerror=alert(2)>",
		    type: "manual" });
		await submitForm(page);
		const id = jobIdOf(page.url());
		ok((await page.locator("h1").innerText()).includes(name), "the name shows as text");
		await page.goto(BASE + "/");
		ok((await page.locator(`#job-${id} .job-name`).innerText()) === name,
		    "the list shows it as text");
		await page.goto(BASE + `/jobs/${id}/delete`);
		ok((await page.locator("h1").innerText()).includes(name), "the confirmation too");
		eq(seen.dialogs.length, 0, "no script ran (no alert)");
		eq(await page.locator("main script, main img").count(), 0, "no element was injected");
		ids.xss = id;
	});

	// ---- delete with confirmation ----
	await step("delete", async () => {
		await page.goto(BASE + "/");
		await page.click(`#job-${ids.xss} a:has-text("Delete")`);
		ok(/Delete/.test(await page.locator("h1").innerText()), "delete asks first");
		await shot(page, "confirm");
		await Promise.all([page.waitForURL(/done=deleted/),
		    page.click('button:has-text("Delete the job")')]);
		ok(/Deleted/.test(await page.locator("[data-flash]").innerText()), "a flash says so");
		eq(await page.locator(`#job-${ids.xss}`).count(), 0, "the job is gone from the list");
		eq((await api("GET", "/jobs/" + ids.xss)).status, 404, "and from the store");
	});

	// ---- search, filters and pages ----
	await step("filters and pages", async () => {
		for (let i = 0; i < 30; i++)
			await api("POST", "/jobs", { name: `Bulk ${String(i).padStart(2, "0")}`,
			    bot_type: "visitor", schedule_type: "manual" });
		await page.goto(BASE + "/");
		eq(await page.locator("table.jobs tbody tr").count(), 25, "the first page has 25 jobs");
		await page.click("a[rel=next]");
		ok(page.url().includes("page=2"), "the next page", page.url());
		ok(await page.locator("table.jobs tbody tr").count() >= 10, "page 2 has the rest");
		await page.goto(BASE + "/");
		await page.fill("#f-q", "bulk 1");
		await Promise.all([page.waitForLoadState("load"), page.click(".filters button")]);
		eq(await page.locator("table.jobs tbody tr").count(), 10, "search by name");
		await page.goto(BASE + "/?bot_type=birthday");
		eq(await page.locator("table.jobs tbody tr").count(), 2, "filter by bot type");
		await page.goto(BASE + "/?status=success");
		eq(await page.locator("table.jobs tbody tr").count(), 1, "filter by last status");
		await page.goto(BASE + "/?enabled=no");
		ok(await page.locator(".empty").isVisible(), "a filter matching nothing says so");
	});

	await step("phone", async () => {
		const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
		    isMobile: true, hasTouch: true, storageState: await ctx.storageState() });
		const p = await phone.newPage();
		await p.goto(BASE + "/?bot_type=birthday");
		const w = await p.evaluate(() => document.documentElement.scrollWidth);
		ok(w <= 390, "the list fits a phone's width", w);
		await shot(p, "phone-jobs", true);
		await p.goto(BASE + `/jobs/${ids.daily}/edit`);
		await shot(p, "phone-form");
		await phone.close();
	});

	eq(seen.errors.filter((e) => !/status of 4\d\d/.test(e)).length, 0,
	    "no script error or CSP violation in the pages", seen.errors.join("\n"));

	// ---- sign out ----
	await step("sign out", async () => {
		await page.goto(BASE + "/");
		await Promise.all([page.waitForURL(/\/login/), page.click(".top button")]);
		ok(/Signed out/.test(await page.locator("[data-flash]").innerText()), "signed out");
		await page.goto(BASE + "/");
		ok(page.url().startsWith(BASE + "/login"), "and the pages need signing in again");
	});

	// ---- JavaScript off: the same core flows ----
	const nojs = await browser.newContext({ javaScriptEnabled: false });
	const np = await nojs.newPage();
	await step("no javascript", async () => {
		await signIn(np);
		await np.goto(BASE + "/jobs/new");
		ok(await np.locator("fieldset[data-sched=cron]").isVisible() &&
		    await np.locator("fieldset[data-sched=daily]").isVisible(),
		    "no JS: every schedule's fields show");
		await fillJob(np, { name: "Plain HTML", bot: "visitor", type: "cron",
		    cron: "0 9 * * *" });
		await Promise.all([np.waitForLoadState("load"),
		    np.click("button[data-preview-button]")]);
		ok(/09:00/.test(await np.locator("#preview").innerText()) &&
		    await np.inputValue("#name") === "Plain HTML",
		    "no JS: the preview button shows the next runs and keeps the input");
		await submitForm(np);
		const id = jobIdOf(np.url());
		ok(id !== null, "no JS: create", np.url());
		await np.goto(BASE + "/");
		await Promise.all([np.waitForLoadState("load"),
		    np.click(`#job-${id} [role=switch]`)]);
		ok(/Disabled/.test(await np.locator("[data-flash]").innerText()),
		    "no JS: toggle posts, redirects and says so");
		eq((await api("GET", "/jobs/" + id)).json.enabled, false, "no JS: stored disabled");
		await Promise.all([np.waitForLoadState("load"),
		    np.click(`#job-${id} button:has-text("Run now")`)]);
		ok(/will run now/.test(await np.locator("[data-flash]").innerText()), "no JS: run now");
		await np.goto(BASE + `/jobs/${id}/edit`);
		await np.fill("#cron_expression", "0 25 * * *");
		await submitForm(np);
		ok(await np.locator("#cron_expression-error").isVisible(), "no JS: errors show");
		await np.goto(BASE + `/jobs/${id}`);
		await np.click('a:has-text("Delete")');
		await Promise.all([np.waitForLoadState("load"),
		    np.click('button:has-text("Delete the job")')]);
		ok(/Deleted/.test(await np.locator("[data-flash]").innerText()), "no JS: delete");
		eq((await api("GET", "/jobs/" + id)).status, 404, "no JS: the job is gone");
		await shot(np, "nojs-jobs");
	});
	// ---- the banners: workers behind, Redis down, then schedd stopped ----
	await step("workers behind", async () => {
		await ask("STOP WORKER");
		const job = (await api("POST", "/jobs", { name: "Waits for a worker",
		    bot_type: "visitor", schedule_type: "manual" })).json;
		const run = (await api("POST", `/jobs/${job.id}/run`)).json;
		let queued = false;
		for (let i = 0; i < 100 && !queued; i++) {
			const h = (await api("GET", `/jobs/${job.id}/history`)).json;
			queued = h.some((r) => r.id === run.execution_id && r.status === "queued");
			if (!queued)
				await new Promise((res) => setTimeout(res, 100));
		}
		ok(queued, "with no worker, a run stays queued");
		await ask("AGE QUEUED");	// its queued_at 7 minutes back
		await np.goto(BASE + "/");
		const b = np.locator(".banner");
		ok(await b.count() === 1 && /Workers are behind: 1 run waiting, the oldest for 7 min/
		    .test(await b.innerText()), "a banner says the workers are behind, and by how much",
		    await b.count() ? await b.innerText() : "no banner");
		await shot(np, "banner-workers-behind");
		eq((await api("DELETE", `/jobs/${job.id}`)).status, 204,
		    "the job is deleted and its queued run taken back");
		await np.goto(BASE + "/");
		eq(await np.locator(".banner").count(), 0, "no banner once nothing waits");
	});
	await step("banners", async () => {
		await ask("STOP REDIS");
		await np.goto(BASE + "/");
		const b1 = np.locator(".banner");
		ok(await b1.count() === 1 && /Redis is unreachable since \w{3} \d+ \w{3} \d{4}/
		    .test(await b1.innerText()), "a banner says since when Redis is unreachable",
		    await b1.count() ? await b1.innerText() : "no banner");
		await ask("STOP SCHEDD");
		await np.goto(BASE + "/");
		const b2 = np.locator(".banner");
		ok(await b2.count() === 1 && /scheduler is not running since/.test(
		    await b2.innerText()), "a banner says since when the scheduler is stopped",
		    await b2.count() ? await b2.innerText() : "no banner");
		await shot(np, "banner");
	});
	await nojs.close();
	await ctx.close();
	await anon.close();
} finally {
	await browser.close();
	lines.close();
}
process.exit(failed() ? 1 : 0);
