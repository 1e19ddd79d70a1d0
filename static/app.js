/*
 * autosched dashboard: what JavaScript adds to pages that work without it. Toggles a job
 * without reloading, previews a schedule as it is typed, keeps "in 3 h" up to date, shows
 * only the fields of the chosen schedule type and bot, and refreshes a job's history while
 * a run is under way. No framework; no HTML is built from strings.
 */
(function () {
	"use strict";

	var base = document.body.getAttribute("data-base") || "";

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}

	/* "in 3 h", "5 min ago": the server's words, computed again as time passes */
	function relative(t) {
		var d = Math.round((t - Date.now()) / 1000), a = Math.abs(d), s;
		if (a < 60) return d >= 0 ? "in less than a minute" : "just now";
		if (a < 3600) s = Math.floor(a / 60) + " min";
		else if (a < 48 * 3600) s = Math.floor(a / 3600) + " h";
		else s = Math.floor(a / 86400) + " days";
		return d > 0 ? "in " + s : s + " ago";
	}

	function tick() {
		var list = document.querySelectorAll("[data-rel]"), i, t;
		for (i = 0; i < list.length; i++) {
			t = Date.parse(list[i].getAttribute("data-rel"));
			if (!isNaN(t)) list[i].textContent = relative(t);
		}
	}

	/* A message in the page's live region, as the server's flash messages are. */
	function flash(text, kind) {
		var main = document.getElementById("main"), old = main.querySelector("[data-flash]");
		var f = el("div", "flash flash-" + (kind || "ok"), text);
		f.setAttribute("role", "status");
		f.setAttribute("data-flash", "");
		if (old) old.parentNode.replaceChild(f, old);
		else main.insertBefore(f, main.firstChild);
	}

	function post(form, accept) {
		return fetch(form.action, {
			method: "POST",
			headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams(new FormData(form)).toString(),
			credentials: "same-origin"
		});
	}

	/* The enable switch of the list, without a reload. */
	function toggles() {
		var forms = document.querySelectorAll("form[data-toggle]"), i;
		for (i = 0; i < forms.length; i++) {
			forms[i].addEventListener("submit", function (ev) {
				var form = ev.currentTarget, button = form.querySelector("[role=switch]");
				/* the row's Run now button posts this form elsewhere: let it go */
				if (ev.submitter && ev.submitter !== button) return;
				var want = button.getAttribute("aria-checked") !== "true";
				var field = form.querySelector("input[name=enabled]");
				ev.preventDefault();
				if (!field) {
					field = el("input");
					field.type = "hidden";
					field.name = "enabled";
					form.appendChild(field);
				}
				field.value = want ? "1" : "0";
				button.setAttribute("aria-busy", "true");
				post(form, "application/json").then(function (r) {
					if (!r.ok) throw new Error("HTTP " + r.status);
					return r.json();
				}).then(function (j) {
					var row = form.closest("tr"), cell = row && row.querySelector("[data-next]");
					button.setAttribute("aria-checked", j.enabled ? "true" : "false");
					if (cell) {
						cell.textContent = "";
						if (j.next_run_at) {
							var t = el("time", null, j.next_run_local);
							t.setAttribute("datetime", j.next_run_at);
							var rel = el("div", "muted small", j.next_run_rel);
							rel.setAttribute("data-rel", j.next_run_at);
							cell.appendChild(t);
							cell.appendChild(rel);
						} else {
							cell.appendChild(el("span", "muted", j.next_run_text));
						}
					}
					flash(j.message, "ok");
				}).catch(function () {
					/* the page way still works */
					form.submit();
				}).finally(function () {
					button.removeAttribute("aria-busy");
				});
			});
		}
	}

	/* The job form: only the chosen schedule's and bot's fields, and a live preview. */
	function jobForm(form) {
		var timer = null, seq = 0;
		var box = form.querySelector("[data-preview]");
		var button = form.querySelector("[data-preview-button]");

		function checked(name) {
			var c = form.querySelector("input[name=" + name + "]:checked");
			return c ? c.value : "";
		}
		function val(name) {
			var f = form.elements[name];
			return f ? f.value : "";
		}
		function show() {
			var type = checked("schedule_type"), bot = val("bot_type"), i;
			var s = form.querySelectorAll("fieldset[data-sched]");
			for (i = 0; i < s.length; i++) s[i].hidden = s[i].getAttribute("data-sched") !== type;
			var p = form.querySelectorAll("fieldset[data-bot]");
			for (i = 0; i < p.length; i++) p[i].hidden = p[i].getAttribute("data-bot") !== bot;
		}
		function query() {
			var type = checked("schedule_type"), q = new URLSearchParams(), t, days = [], i;
			q.set("schedule_type", type);
			if (val("timezone")) q.set("timezone", val("timezone"));
			if (type === "daily" || type === "weekly") {
				t = val(type + "_time").split(":");
				if (t.length >= 2) {
					q.set("hour", String(parseInt(t[0], 10)));
					q.set("minute", String(parseInt(t[1], 10)));
				}
			}
			if (type === "weekly") {
				var boxes = form.querySelectorAll("input[name=days]:checked");
				for (i = 0; i < boxes.length; i++) days.push(boxes[i].value);
				q.set("day_of_week", days.join(","));
			}
			if (type === "interval") {
				q.set("hours", val("hours") || "0");
				q.set("minutes", val("minutes") || "0");
			}
			if (type === "cron") q.set("cron_expression", val("cron_expression"));
			if (type === "date") q.set("run_at", val("run_at"));
			/* the windows as people write them: "mon,tue 09:00-18:00; sat 10:00-12:00" */
			var wins = [], rows = form.querySelectorAll("[data-window]");
			for (i = 0; i < rows.length; i++) {
				var n = i + 1, d = [], b = rows[i].querySelectorAll("input[type=checkbox]:checked"), k;
				for (k = 0; k < b.length; k++) d.push(b[k].value);
				var a = val("w" + n + "_start"), z = val("w" + n + "_end");
				if (!a && !z && !d.length) continue;
				wins.push((d.length ? d.join(",") : "mon") + " " + a + "-" + z);
			}
			if (wins.length) q.set("windows", wins.join("; "));
			var jm = parseFloat(val("jitter_minutes"));
			if (jm > 0) q.set("jitter_seconds", String(Math.round(jm * 60)));
			return q;
		}
		function local(iso) {
			/* "2026-03-29T03:00:00+02:00": the wall clock there, as the server writes it */
			var m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):\d\d([+-]\d\d:\d\d)$/.exec(iso);
			if (!m) return iso;
			var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
			var wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
			var mo = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			    "Nov", "Dec"][+m[2] - 1];
			return wd + " " + (+m[3]) + " " + mo + " " + m[1] + ", " + m[4] + ":" + m[5] +
			    " (UTC" + m[6] + ")";
		}
		function clock(iso) {
			/* "09:07", or "09:07:12": the wall clock of an ISO time as the server writes it */
			var m = /T(\d\d):(\d\d):(\d\d)/.exec(iso);
			return m ? m[1] + ":" + m[2] + (m[3] !== "00" ? ":" + m[3] : "") : iso;
		}
		function render(j) {
			box.textContent = "";
			box.appendChild(el("h3", null, "Next runs"));
			box.appendChild(el("p", "words", j.description + ", " + j.timezone + " time."));
			if (!j.next_runs.length) {
				box.appendChild(el("p", "muted", j.schedule_type === "manual" ?
				    "Runs only when started by hand." : "This schedule never fires."));
				return;
			}
			var ol = el("ol", "runs");
			j.next_runs.forEach(function (r) {
				var li = el("li"), t = el("time", null, local(r.local));
				t.setAttribute("datetime", r.at);
				li.appendChild(t);
				if (r.dst) {
					li.appendChild(document.createTextNode(" "));
					li.appendChild(el("span", "badge badge-dst", r.dst === "moved" ?
					    "moved by DST" : r.dst === "first_of_two" ? "DST: fires once" :
					    "DST: repeated hour"));
				}
				if (r.latest) {
					li.appendChild(document.createTextNode(" "));
					li.appendChild(el("span", "muted small", "jitter: between " +
					    clock(r.local) + " and " + clock(r.latest)));
				}
				ol.appendChild(li);
			});
			box.appendChild(ol);
		}
		function refresh() {
			var mine = ++seq;
			fetch(base + "/preview.json?" + query().toString(), {
				headers: { "Accept": "application/json" }, credentials: "same-origin"
			}).then(function (r) {
				return r.json().then(function (j) { return { ok: r.ok, j: j }; });
			}).then(function (x) {
				if (mine !== seq) return;
				if (x.ok) return render(x.j);
				box.textContent = "";
				var msg = x.j && x.j.detail && x.j.detail.length ? x.j.detail[0].msg : "not valid";
				box.appendChild(el("p", "muted", "The schedule is not complete: " + msg + "."));
			}).catch(function () { /* keep the last preview */ });
		}
		function later() {
			clearTimeout(timer);
			timer = setTimeout(refresh, 250);
		}
		show();
		if (button) button.hidden = true;
		form.addEventListener("change", function (ev) {
			show();
			if (ev.target.name !== "name" && ev.target.name !== "description") later();
		});
		form.addEventListener("input", function (ev) {
			var n = ev.target.name;
			if (n === "cron_expression" || n === "hours" || n === "minutes" || n === "timezone" ||
			    n === "run_at" || n === "jitter_minutes" || /_time$/.test(n) ||
			    /^w\d+_(start|end)$/.test(n)) later();
		});
		var errors = document.getElementById("errors");
		if (errors) errors.focus();
	}

	/* A job page with a run under way: fetch it again until the run is over. */
	function follow() {
		if (!document.querySelector("[data-run-status=pending],[data-run-status=queued]," +
		    "[data-run-status=running]")) return;
		setTimeout(function again() {
			if (document.hidden) return setTimeout(again, 2000);
			fetch(location.href, { credentials: "same-origin" }).then(function (r) {
				return r.text();
			}).then(function (html) {
				var doc = new DOMParser().parseFromString(html, "text/html");
				var fresh = doc.querySelectorAll("[data-live]"), old = document.querySelectorAll("[data-live]"), i;
				if (fresh.length !== old.length) return;
				for (i = 0; i < old.length; i++) old[i].replaceWith(document.importNode(fresh[i], true));
				tick();
				follow();
			}).catch(function () { setTimeout(again, 5000); });
		}, 2000);
	}

	document.documentElement.classList.add("js");
	toggles();
	var form = document.querySelector("form[data-job-form]");
	if (form) jobForm(form);
	tick();
	setInterval(tick, 30000);
	follow();
})();
