{{%AUTOESCAPE context="HTML"}}<div class="head">
<h1>Jobs</h1>
<div class="actions">
<a class="btn" href="{{REFRESH_URL}}" data-refresh>Refresh</a>
<a class="btn btn-primary" href="{{BASE}}/jobs/new">New job</a>
</div>
</div>

<form method="get" action="{{BASE}}/" class="filters" role="search" aria-label="Find jobs">
<div class="field"><label for="f-q">Name</label>
<input id="f-q" name="q" type="search" value="{{Q}}" maxlength="200" placeholder="Search by name"></div>
<div class="field"><label for="f-bot">Bot type</label>
<select id="f-bot" name="bot_type"><option value="">Any</option>{{#BOT_OPT}}<option value="{{VALUE}}"{{#SEL}} selected{{/SEL}}>{{VALUE}}</option>{{/BOT_OPT}}</select></div>
<div class="field"><label for="f-enabled">State</label>
<select id="f-enabled" name="enabled">{{#ENABLED_OPT}}<option value="{{VALUE}}"{{#SEL}} selected{{/SEL}}>{{LABEL}}</option>{{/ENABLED_OPT}}</select></div>
<div class="field"><label for="f-status">Last status</label>
<select id="f-status" name="status">{{#STATUS_OPT}}<option value="{{VALUE}}"{{#SEL}} selected{{/SEL}}>{{LABEL}}</option>{{/STATUS_OPT}}</select></div>
<div class="field field-button"><button type="submit" class="btn">Filter</button>
{{#FILTERED}}<a class="btn btn-quiet" href="{{BASE}}/">Clear</a>{{/FILTERED}}</div>
</form>

<details class="card pause-box"{{#PAUSE_OPEN}} open{{/PAUSE_OPEN}}>
<summary>Pause the bots</summary>
<form method="post" action="{{BASE}}/pauses" class="filters" aria-label="Pause the bots">
<input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="/">
<div class="field"><label for="p-bot">Which</label>
<select id="p-bot" name="bot_type"><option value="">Every bot</option>{{#PAUSE_BOT}}<option value="{{VALUE}}">{{VALUE}}</option>{{/PAUSE_BOT}}</select></div>
<div class="field"><label for="p-note">Note <span class="muted">(why, for the others)</span></label>
<input id="p-note" name="note" type="text" maxlength="500" placeholder="The site warned us"></div>
<div class="field"><label for="p-until">Until <span class="muted">(optional, {{PAUSE_TZ}})</span></label>
<input id="p-until" name="until" type="datetime-local"></div>
<div class="field field-button"><button type="submit" class="btn btn-danger-quiet">Pause</button></div>
</form>
<p class="muted small">While paused, fire times are recorded as skipped and nothing is caught up afterwards; runs not yet taken by a worker are taken back out of their queue. Run now asks before it runs.</p>
</details>

{{#TIMELINE}}
<section class="card timeline" aria-labelledby="tl-title">
<h2 id="tl-title">Next 24 hours</h2>
<p class="muted">{{SUMMARY}} Times on the axis are in {{AXIS_TZ}}.</p>
<svg class="tl" viewBox="0 0 {{W}} {{H}}" width="100%" role="img" aria-labelledby="tl-title tl-desc">
<desc id="tl-desc">{{SUMMARY}}</desc>
{{#TICK}}<line class="tl-grid" x1="{{X}}" y1="0" x2="{{X}}" y2="{{GRID_H}}"></line><text class="tl-tick" x="{{X}}" y="{{LABEL_Y}}">{{LABEL}}</text>{{/TICK}}
{{#LANE}}<text class="tl-name" x="4" y="{{TEXT_Y}}">{{NAME}}</text><line class="tl-lane" x1="{{X0}}" y1="{{Y}}" x2="{{W}}" y2="{{Y}}"></line>{{#MARK}}<circle class="tl-mark {{CLASS}}" cx="{{X}}" cy="{{Y}}" r="5"><title>{{TITLE}}</title></circle>{{/MARK}}{{#MORE}}<text class="tl-more" x="{{W}}" y="{{TEXT_Y}}">+{{N}}</text>{{/MORE}}
{{/LANE}}
</svg>
</section>
{{/TIMELINE}}

{{#EMPTY}}
<section class="card empty">
<h2>No jobs yet</h2>
<p>A job runs one of your bots on a schedule: every day at a time, on some days of the week, every few hours, by a cron expression, or only when you press Run now.</p>
<p><a class="btn btn-primary" href="{{BASE}}/jobs/new">Create your first job</a></p>
</section>
{{/EMPTY}}
{{#NOMATCH}}
<section class="card empty"><p>No job matches these filters. <a href="{{BASE}}/">Show all jobs</a>.</p></section>
{{/NOMATCH}}

{{#TABLE}}
<table class="jobs">
<caption class="sr-only">Jobs, {{TOTAL}} in all</caption>
<thead><tr><th scope="col">On</th><th scope="col">Job</th><th scope="col">Schedule</th><th scope="col">Next run</th><th scope="col">Last run</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>
{{#JOB}}
<tr id="job-{{ID}}" data-job="{{ID}}">
<td data-label="On">
<form method="post" action="{{BASE}}/jobs/{{ID}}/toggle" class="inline" id="f-{{ID}}" data-toggle>
<input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="{{BACK}}"><input type="hidden" name="enabled" value="{{WANT}}">
<button type="submit" class="switch" role="switch" aria-checked="{{CHECKED}}" aria-label="Enabled: {{NAME}}"><span></span></button>
</form>
</td>
<td data-label="Job"><a class="job-name" href="{{BASE}}/jobs/{{ID}}">{{NAME}}</a> <span class="badge badge-bot">{{BOT_TYPE}}</span>{{#PAUSED}} <span class="badge badge-paused" title="{{REASON}}">paused</span>{{/PAUSED}}
{{#DESC}}<div class="muted small">{{TEXT}}</div>{{/DESC}}</td>
<td data-label="Schedule">{{SCHEDULE}}</td>
<td data-label="Next run" data-next>{{#NEXT}}<time datetime="{{ISO}}">{{LOCAL}}</time><div class="muted small" data-rel="{{ISO}}">{{REL}}</div>{{/NEXT}}{{#NO_NEXT}}<span class="muted">{{TEXT}}</span>{{/NO_NEXT}}</td>
<td data-label="Last run">{{#LAST}}<span class="badge status-{{STATUS}}">{{STATUS}}</span> <span class="muted small" data-rel="{{ISO}}">{{REL}}</span>{{#ERR}}<div class="small error-text" title="{{TEXT}}">{{SHORT}}</div>{{/ERR}}{{/LAST}}{{#NO_LAST}}<span class="muted">Never ran</span>{{/NO_LAST}}</td>
<td class="row-actions">
{{#PAUSED}}<button type="submit" form="f-{{ID}}" formaction="{{BASE}}/jobs/{{ID}}/resume" class="btn btn-small" aria-label="Resume {{NAME}}">Resume</button>{{/PAUSED}}
<button type="submit" form="f-{{ID}}" formaction="{{BASE}}/jobs/{{ID}}/run" class="btn btn-small" aria-label="Run {{NAME}} now">Run now</button>
<a class="btn btn-small" href="{{BASE}}/jobs/{{ID}}/edit" aria-label="Edit {{NAME}}">Edit</a>
<a class="btn btn-small btn-danger-quiet" href="{{BASE}}/jobs/{{ID}}/delete" aria-label="Delete {{NAME}}">Delete</a>
</td>
</tr>
{{/JOB}}
</tbody>
</table>
<nav class="pager" aria-label="Pages">
<span>{{FROM}}–{{TO}} of {{TOTAL}}</span>
{{#PREV}}<a class="btn btn-small" href="{{URL}}" rel="prev">Previous</a>{{/PREV}}
{{#NEXT_PAGE}}<a class="btn btn-small" href="{{URL}}" rel="next">Next</a>{{/NEXT_PAGE}}
</nav>
{{/TABLE}}
