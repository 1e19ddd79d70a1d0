{{%AUTOESCAPE context="HTML"}}<section class="card narrow">
<h1>{{TITLE}}</h1>
<p>{{MESSAGE}}</p>
<p class="muted">HTTP {{STATUS}}</p>
<p><a class="btn" href="{{BASE}}/">Back to the jobs</a></p>
</section>
