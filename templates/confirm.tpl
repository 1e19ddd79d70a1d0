{{%AUTOESCAPE context="HTML"}}<section class="card narrow">
<h1>Delete “{{NAME}}”?</h1>
<p>The job and its run history ({{RUNS}} run{{RUNS_S}}) will be deleted. Nothing more will fire: runs waiting in the queue are taken back before a worker starts them, and a run a worker has already started finishes, its outcome dropped. This cannot be undone.</p>
<form method="post" action="{{BASE}}/jobs/{{ID}}/delete" class="actions">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit" class="btn btn-danger">Delete the job</button>
<a class="btn" href="{{BASE}}/jobs/{{ID}}">Cancel</a>
</form>
</section>
