{{%AUTOESCAPE context="HTML"}}<div class="head">
<h1>{{HEADING}}</h1>
</div>
{{#ERRORS}}
<div class="error-summary" role="alert" tabindex="-1" id="errors">
<h2>The job was not saved</h2>
<ul>{{#ITEM}}<li><a href="#{{FOR}}">{{LABEL}}</a>: {{TEXT}}</li>{{/ITEM}}</ul>
</div>
{{/ERRORS}}
<form method="post" action="{{ACTION}}" class="job-form" novalidate data-job-form>
<input type="hidden" name="_csrf" value="{{CSRF}}">

<section class="card">
<h2>The job</h2>
<div class="field{{#E_name}} has-error{{/E_name}}">
<label for="name">Name</label>
<input id="name" name="name" type="text" value="{{NAME}}" required maxlength="{{NAME_MAX}}" aria-describedby="name-error">
{{#E_name}}<p class="field-error" id="name-error">{{TEXT}}</p>{{/E_name}}
</div>
<div class="field{{#E_description}} has-error{{/E_description}}">
<label for="description">Description <span class="muted">(optional)</span></label>
<textarea id="description" name="description" rows="2" maxlength="{{DESC_MAX}}" aria-describedby="description-error">{{DESCRIPTION}}</textarea>
{{#E_description}}<p class="field-error" id="description-error">{{TEXT}}</p>{{/E_description}}
</div>
<div class="field{{#E_bot_type}} has-error{{/E_bot_type}}">
<label for="bot_type">Bot</label>
<select id="bot_type" name="bot_type" aria-describedby="bot_type-help bot_type-error">
{{#BOT_OPT}}<option value="{{VALUE}}"{{#SEL}} selected{{/SEL}}>{{VALUE}}: {{DESC}}</option>{{/BOT_OPT}}
</select>
{{#E_bot_type}}<p class="field-error" id="bot_type-error">{{TEXT}}</p>{{/E_bot_type}}
</div>
<div class="field check">
<input id="enabled" name="enabled" type="checkbox" value="1"{{#ENABLED}} checked{{/ENABLED}}>
<label for="enabled">Enabled: fire on schedule</label>
</div>
</section>

<section class="card">
<h2>When it runs</h2>
<fieldset class="field{{#E_schedule_type}} has-error{{/E_schedule_type}}" id="schedule_type">
<legend>Schedule</legend>
<div class="radios">
{{#ST_OPT}}<label class="radio"><input type="radio" name="schedule_type" value="{{VALUE}}"{{#SEL}} checked{{/SEL}} data-sched-type> {{LABEL}}</label>{{/ST_OPT}}
</div>
{{#E_schedule_type}}<p class="field-error">{{TEXT}}</p>{{/E_schedule_type}}
{{#E_schedule_config}}<p class="field-error" id="schedule-error">{{TEXT}}</p>{{/E_schedule_config}}
</fieldset>

<fieldset class="sched" data-sched="daily">
<legend>Daily</legend>
<div class="field{{#E_daily_time}} has-error{{/E_daily_time}}">
<label for="daily_time">Time of day</label>
<input id="daily_time" name="daily_time" type="time" value="{{DAILY_TIME}}" aria-describedby="daily_time-error">
{{#E_daily_time}}<p class="field-error" id="daily_time-error">{{TEXT}}</p>{{/E_daily_time}}
</div>
</fieldset>

<fieldset class="sched" data-sched="weekly">
<legend>Weekly</legend>
<fieldset class="field{{#E_days}} has-error{{/E_days}}" id="days">
<legend>Days</legend>
<div class="days">
{{#DAY}}<label class="day"><input type="checkbox" name="days" value="{{VALUE}}"{{#SEL}} checked{{/SEL}}> <abbr title="{{LONG}}">{{LABEL}}</abbr></label>{{/DAY}}
</div>
{{#E_days}}<p class="field-error">{{TEXT}}</p>{{/E_days}}
</fieldset>
<div class="field{{#E_weekly_time}} has-error{{/E_weekly_time}}">
<label for="weekly_time">Time of day</label>
<input id="weekly_time" name="weekly_time" type="time" value="{{WEEKLY_TIME}}" aria-describedby="weekly_time-error">
{{#E_weekly_time}}<p class="field-error" id="weekly_time-error">{{TEXT}}</p>{{/E_weekly_time}}
</div>
</fieldset>

<fieldset class="sched" data-sched="interval">
<legend>Every</legend>
<div class="row">
<div class="field{{#E_hours}} has-error{{/E_hours}}">
<label for="hours">Hours</label>
<input id="hours" name="hours" type="number" min="0" max="8784" inputmode="numeric" value="{{HOURS}}" aria-describedby="hours-error">
{{#E_hours}}<p class="field-error" id="hours-error">{{TEXT}}</p>{{/E_hours}}
</div>
<div class="field{{#E_minutes}} has-error{{/E_minutes}}">
<label for="minutes">Minutes</label>
<input id="minutes" name="minutes" type="number" min="0" max="527040" inputmode="numeric" value="{{MINUTES}}" aria-describedby="minutes-error">
{{#E_minutes}}<p class="field-error" id="minutes-error">{{TEXT}}</p>{{/E_minutes}}
</div>
</div>
<p class="muted small">Counted from when the schedule was last saved.</p>
</fieldset>

<fieldset class="sched" data-sched="cron">
<legend>Cron expression</legend>
<div class="field{{#E_cron_expression}} has-error{{/E_cron_expression}}">
<label for="cron_expression">Expression <span class="muted">(minute hour day-of-month month day-of-week)</span></label>
<input id="cron_expression" name="cron_expression" type="text" value="{{CRON}}" maxlength="256" spellcheck="false" autocapitalize="off" placeholder="0 8 * * 1-5" aria-describedby="cron_expression-error">
{{#E_cron_expression}}<p class="field-error" id="cron_expression-error">{{TEXT}}</p>{{/E_cron_expression}}
</div>
</fieldset>

<fieldset class="sched" data-sched="date">
<legend>Once</legend>
<div class="field{{#E_run_at}} has-error{{/E_run_at}}">
<label for="run_at">Date and time</label>
<input id="run_at" name="run_at" type="datetime-local" value="{{RUN_AT}}" aria-describedby="run_at-help run_at-error">
<p class="muted small" id="run_at-help">A wall-clock time in the time zone below. The job fires once, then waits to be run by hand.</p>
{{#E_run_at}}<p class="field-error" id="run_at-error">{{TEXT}}</p>{{/E_run_at}}
</div>
</fieldset>

<fieldset class="sched" data-sched="manual">
<legend>Manual</legend>
<p class="muted">Never fires by itself: it runs when you press Run now, or through the API.</p>
</fieldset>

<div class="field{{#E_timezone}} has-error{{/E_timezone}}">
<label for="timezone">Time zone</label>
<input id="timezone" name="timezone" type="text" list="zones" value="{{TIMEZONE}}" maxlength="64" spellcheck="false" autocapitalize="off" aria-describedby="timezone-help timezone-error">
<datalist id="zones">{{#ZONE}}<option value="{{NAME}}"></option>{{/ZONE}}</datalist>
<p class="muted small" id="timezone-help">An IANA name such as Europe/Paris. Times above are wall-clock times there; daylight saving time is handled for you.</p>
{{#E_timezone}}<p class="field-error" id="timezone-error">{{TEXT}}</p>{{/E_timezone}}
</div>

<fieldset class="field windows{{#E_windows}} has-error{{/E_windows}}" id="windows" aria-describedby="windows-help">
<legend>Active windows <span class="muted">(optional)</span></legend>
<p class="muted small" id="windows-help">Fire only within these hours; a fire time outside every window is passed over. A window that ends before it starts runs past midnight. Leave empty to fire at any time.</p>
{{#WIN}}
<div class="window{{#HAS_ERR}} has-error{{/HAS_ERR}}" data-window>
<div class="days" role="group" id="w{{N}}_days" tabindex="-1" aria-label="Days of window {{N}}">
{{#WDAY}}<label class="day"><input type="checkbox" name="{{NAME}}" value="{{VALUE}}"{{#SEL}} checked{{/SEL}}> <abbr title="{{LONG}}">{{LABEL}}</abbr></label>{{/WDAY}}
</div>
<label for="w{{N}}_start">From</label> <input id="w{{N}}_start" name="w{{N}}_start" type="time" value="{{START}}">
<label for="w{{N}}_end">to</label> <input id="w{{N}}_end" name="w{{N}}_end" type="time" value="{{END}}">
{{#ERR}}<p class="field-error">{{TEXT}}</p>{{/ERR}}
</div>
{{/WIN}}
{{#E_windows}}<p class="field-error">{{TEXT}}</p>{{/E_windows}}
</fieldset>

<div class="field{{#E_jitter_minutes}} has-error{{/E_jitter_minutes}}">
<label for="jitter_minutes">Jitter, minutes <span class="muted">(optional)</span></label>
<input id="jitter_minutes" name="jitter_minutes" type="number" min="0" max="{{MAX_JITTER_MIN}}" step="any" inputmode="decimal" value="{{JITTER}}" aria-describedby="jitter-help jitter-error">
<p class="muted small" id="jitter-help">Start each run up to this much later, at random, so that it does not look like clockwork. It always starts before the next run is due and before its window closes.</p>
{{#E_jitter_minutes}}<p class="field-error" id="jitter-error">{{TEXT}}</p>{{/E_jitter_minutes}}
</div>

<section class="preview" id="preview" aria-live="polite" data-preview>
{{#PREVIEW}}
<h3>Next runs</h3>
<p class="words">{{WORDS}}</p>
{{#RUNS}}<ol class="runs">{{#RUN}}<li><time datetime="{{AT}}">{{LOCAL}}</time>{{#DST}} <span class="badge badge-dst" title="{{TITLE}}">{{TEXT}}</span>{{/DST}}{{#JITTER}} <span class="muted small">{{TEXT}}</span>{{/JITTER}}</li>{{/RUN}}</ol>{{/RUNS}}
{{#NO_RUNS}}<p class="muted">{{TEXT}}</p>{{/NO_RUNS}}
{{/PREVIEW}}
{{#PREVIEW_ERROR}}<p class="muted">{{TEXT}}</p>{{/PREVIEW_ERROR}}
</section>
<button type="submit" name="preview" value="1" class="btn" data-preview-button>Preview the next runs</button>
</section>

<section class="card">
<h2>Bot settings</h2>
{{#BOT}}
<fieldset class="params" data-bot="{{NAME}}">
<legend>{{NAME}}</legend>
{{#PARAM}}
<div class="field{{#IS_BOOL}} check{{/IS_BOOL}}{{#ERR}} has-error{{/ERR}}">
{{#IS_BOOL}}<input type="hidden" name="{{FIELD}}" value="0"><input id="{{FID}}" name="{{FIELD}}" type="checkbox" value="1"{{#ON}} checked{{/ON}}> <label for="{{FID}}">{{LABEL}}</label>{{/IS_BOOL}}
{{#IS_INT}}<label for="{{FID}}">{{LABEL}}</label><input id="{{FID}}" name="{{FIELD}}" type="number" inputmode="numeric" min="{{MIN}}" max="{{MAX}}" value="{{VALUE}}">{{/IS_INT}}
{{#IS_CHOICE}}<label for="{{FID}}">{{LABEL}}</label><select id="{{FID}}" name="{{FIELD}}">{{#OPT}}<option value="{{VALUE}}"{{#SEL}} selected{{/SEL}}>{{VALUE}}</option>{{/OPT}}</select>{{/IS_CHOICE}}
{{#IS_TEXT}}<label for="{{FID}}">{{LABEL}}</label><input id="{{FID}}" name="{{FIELD}}" type="text" maxlength="{{MAXLEN}}" value="{{VALUE}}">{{/IS_TEXT}}
{{#HINT}}<p class="muted small">{{TEXT}}</p>{{/HINT}}
{{#ERR}}<p class="field-error">{{TEXT}}</p>{{/ERR}}
</div>
{{/PARAM}}
{{#NO_PARAM}}<p class="muted">This bot takes no settings.</p>{{/NO_PARAM}}
</fieldset>
{{/BOT}}
</section>

<details class="card advanced"{{#ADV_OPEN}} open{{/ADV_OPEN}}>
<summary>Advanced</summary>
<div class="row">
<div class="field{{#E_max_instances}} has-error{{/E_max_instances}}">
<label for="max_instances">Runs at once (max_instances)</label>
<input id="max_instances" name="max_instances" type="number" min="1" max="{{MAX_INST}}" value="{{MAX_INSTANCES}}" aria-describedby="max_instances-help">
<p class="muted small" id="max_instances-help">A run due while this many are still pending, queued or running is recorded as missed.</p>
{{#E_max_instances}}<p class="field-error">{{TEXT}}</p>{{/E_max_instances}}
</div>
<div class="field{{#E_misfire_grace_time}} has-error{{/E_misfire_grace_time}}">
<label for="misfire_grace_time">Grace for late runs, seconds (misfire_grace_time)</label>
<input id="misfire_grace_time" name="misfire_grace_time" type="number" min="0" max="{{MAX_GRACE}}" value="{{GRACE}}" aria-describedby="grace-help">
<p class="muted small" id="grace-help">After a stop, a run owed for longer than this is recorded as missed instead of run late.</p>
{{#E_misfire_grace_time}}<p class="field-error">{{TEXT}}</p>{{/E_misfire_grace_time}}
</div>
</div>
<div class="field{{#E_pause_after_failures}} has-error{{/E_pause_after_failures}}">
<label for="pause_after_failures">Pause after this many failed runs in a row (pause_after_failures)</label>
<input id="pause_after_failures" name="pause_after_failures" type="number" min="0" max="{{MAX_PAUSE_AFTER}}" value="{{PAUSE_AFTER}}" aria-describedby="pause-help">
<p class="muted small" id="pause-help">The job pauses itself, and waits for you to resume it, instead of failing on and on against a site that refuses it. 0: never.</p>
{{#E_pause_after_failures}}<p class="field-error">{{TEXT}}</p>{{/E_pause_after_failures}}
</div>
<div class="field check">
<input id="coalesce" name="coalesce" type="checkbox" value="1"{{#COALESCE}} checked{{/COALESCE}}>
<label for="coalesce">Coalesce: after a stop, run owed runs once, not once each</label>
</div>
</details>

<div class="actions sticky">
<button type="submit" class="btn btn-primary">{{SUBMIT}}</button>
<a class="btn btn-quiet" href="{{CANCEL}}">Cancel</a>
</div>
</form>
