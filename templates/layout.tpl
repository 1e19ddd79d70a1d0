{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · autosched</title>
<link rel="stylesheet" href="{{STATIC}}/app.css">
<link rel="icon" href="{{STATIC}}/favicon.svg" type="image/svg+xml">
<script src="{{STATIC}}/app.js" defer></script>
</head>
<body data-base="{{BASE}}">
<a class="skip" href="#main">Skip to the content</a>
<header class="top">
<a class="brand" href="{{BASE}}/">autosched</a>
{{#SIGNED_IN}}
<nav class="user" aria-label="Account">
<span class="who">Signed in as <strong>{{USER}}</strong></span>
<form method="post" action="{{BASE}}/logout" class="inline">
<input type="hidden" name="_csrf" value="{{CSRF}}">
<button type="submit" class="btn btn-quiet">Sign out</button>
</form>
</nav>
{{/SIGNED_IN}}
</header>
{{#BANNER}}<div class="banner" role="alert"><strong>Attention:</strong> {{TEXT}}</div>{{/BANNER}}
{{#PAUSE}}<div class="banner banner-pause" role="alert" data-pause="{{ID}}"><strong>Paused:</strong> {{TEXT}}. Fire times are recorded as skipped until it ends.
<form method="post" action="{{BASE}}/pauses/{{ID}}/resume" class="inline"><input type="hidden" name="_csrf" value="{{CSRF}}"><input type="hidden" name="back" value="{{BACK}}"><button type="submit" class="btn">Resume</button></form></div>{{/PAUSE}}
<main id="main" tabindex="-1">
{{#FLASH}}<div class="flash flash-{{KIND}}" role="status" data-flash>{{TEXT}}</div>{{/FLASH}}
{{>CONTENT}}
</main>
</body>
</html>
