{{%AUTOESCAPE context="HTML"}}<p class="crumbs"><a href="{{BASE}}/">Jobs</a> ›</p>
<div class="head">
<h1>{{NAME}} <span class="badge badge-bot">{{BOT_TYPE}}</span> {{#IS_ENABLED}}<span class="badge status-enabled">enabled</span>{{/IS_ENABLED}}{{#IS_DISABLED}}<span class="badge status-disabled">disabled</span>{{/IS_DISABLED}}{{#IS_PAUSED}} <span class="badge badge-paused">paused</span>{{/IS_PAUSED}}</h1>
<div class="actions">
<form method="post" action="{{BASE}}/jobs/{{ID}}/run" class="inline">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="back" value="{{BACK}}">
<button type="submit" class="btn btn-primary">Run now</button>
</form>
<form method="post" action="{{BASE}}/jobs/{{ID}}/toggle" class="inline">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<input type="hidden" name="back" value="{{BACK}}">
<input type="hidden" name="enabled" value="{{TOGGLE_WANT}}">
<button type="submit" class="btn">{{TOGGLE_LABEL}}</button>
</form>
<a class="btn" href="{{BASE}}/jobs/{{ID}}/edit">Edit</a>
<a class="btn btn-danger-quiet" href="{{BASE}}/jobs/{{ID}}/delete">Delete</a>
</div>
</div>
{{#DESC}}<p class="lead">{{TEXT}}</p>{{/DESC}}
{{#PAUSED}}<div class="flash flash-warn paused-note" role="status" data-paused><strong>Paused{{#UNTIL}} until {{WHEN}}{{/UNTIL}}:</strong> {{REASON}} <span class="muted small">(since {{SINCE}})</span>
<form method="post" action="{{BASE}}/jobs/{{ID}}/resume" class="inline"><input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="btn">Resume</button></form>
<form method="post" action="{{BASE}}/jobs/{{ID}}/run" class="inline"><input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="{{BACK}}"><input type="hidden" name="force" value="1"><button type="submit" class="btn btn-quiet">Run anyway</button></form></div>{{/PAUSED}}
{{#HELD}}<div class="flash flash-warn" role="status">{{TEXT}}
<form method="post" action="{{BASE}}/jobs/{{ID}}/run" class="inline"><input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="{{BACK}}"><input type="hidden" name="force" value="1"><button type="submit" class="btn btn-quiet">Run anyway</button></form></div>{{/HELD}}

<div class="grid">
<section class="card" aria-labelledby="settings-title">
<h2 id="settings-title">Settings</h2>
<dl class="settings">
<dt>Schedule</dt><dd>{{SCHEDULE}}</dd>
<dt>Time zone</dt><dd>{{TIMEZONE}}</dd>
<dt>Runs at once</dt><dd>{{MAX_INSTANCES}}</dd>
<dt>Grace for late runs</dt><dd>{{GRACE}} s</dd>
<dt>Coalesce</dt><dd>{{COALESCE}}</dd>
<dt>Pause after failures</dt><dd>{{PAUSE_AFTER}}</dd>
{{#PARAM}}<dt>{{NAME}}</dt><dd><code>{{VALUE}}</code></dd>{{/PARAM}}
<dt>Created</dt><dd>{{CREATED}}{{#BY}} by {{USER}}{{/BY}}</dd>
<dt>Updated</dt><dd>{{UPDATED}}</dd>
<dt>Id</dt><dd><code>{{ID}}</code></dd>
</dl>
</section>

<section class="card" aria-labelledby="next-title">
<h2 id="next-title">Next runs</h2>
{{#RUNS}}<ol class="runs">{{#RUN}}<li><time datetime="{{AT}}">{{LOCAL}}</time> <span class="muted small" data-rel="{{AT}}">{{REL}}</span>{{#DST}} <span class="badge badge-dst" title="{{TITLE}}">{{TEXT}}</span>{{/DST}}{{#JITTER}} <span class="muted small">{{TEXT}}</span>{{/JITTER}}</li>{{/RUN}}</ol>{{/RUNS}}
{{#NO_RUNS}}<p class="muted">{{TEXT}}</p>{{/NO_RUNS}}
</section>
</div>

<section class="card" aria-labelledby="chart-title" data-live>
<h2 id="chart-title">Recent runs</h2>
{{#CHART}}
<svg class="chart" viewBox="0 0 {{W}} {{H}}" width="100%" role="img" aria-labelledby="chart-title chart-desc">
<desc id="chart-desc">{{SUMMARY}}</desc>
<line class="axis" x1="{{X0}}" y1="{{BASE_Y}}" x2="{{W}}" y2="{{BASE_Y}}"></line>
<text class="axis-label" x="{{LABEL_X}}" y="12">{{MAX_LABEL}}</text>
<text class="axis-label" x="{{LABEL_X}}" y="{{BASE_Y}}">0 s</text>
{{#BAR}}<rect class="bar status-{{STATUS}}" x="{{X}}" y="{{Y}}" width="{{BW}}" height="{{BH}}"><title>{{TITLE}}</title></rect>{{/BAR}}
</svg>
<p class="legend small"><span class="key status-success"></span> success <span class="key status-failed"></span> failed <span class="key status-missed"></span> missed <span class="key status-running"></span> waiting or running · height: how long it ran</p>
{{/CHART}}
{{#NO_CHART}}<p class="muted">No runs yet. Press Run now to try the job.</p>{{/NO_CHART}}
</section>

<section class="card" aria-labelledby="history-title" data-live>
<h2 id="history-title">History</h2>
{{#HISTORY}}
<div class="scroll">
<table class="history">
<thead><tr><th scope="col">Scheduled for</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Messages</th><th scope="col">Profiles</th><th scope="col">Error</th></tr></thead>
<tbody>
{{#ROW}}<tr id="run-{{ID}}" data-run-status="{{STATUS}}"><td><time datetime="{{AT}}">{{LOCAL}}</time></td><td>{{TRIGGER}}</td><td><span class="badge status-{{STATUS}}">{{STATUS}}</span></td><td>{{DURATION}}</td><td data-counter="messages_sent">{{MESSAGES}}</td><td data-counter="profiles_visited">{{PROFILES}}</td><td class="error-text">{{ERROR}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>
<nav class="pager" aria-label="History pages">
<span>{{FROM}}–{{TO}} of {{TOTAL}}</span>
{{#NEWER}}<a class="btn btn-small" href="{{URL}}" rel="prev">Newer</a>{{/NEWER}}
{{#OLDER}}<a class="btn btn-small" href="{{URL}}" rel="next">Older</a>{{/OLDER}}
</nav>
{{/HISTORY}}
{{#NO_HISTORY}}<p class="muted">No runs yet.</p>{{/NO_HISTORY}}
</section>
