{{%AUTOESCAPE context="HTML"}}<section class="card narrow">
<h1>Sign in</h1>
{{#ERROR}}<p class="error-summary" role="alert" id="login-error">{{TEXT}}</p>{{/ERROR}}
<form method="post" action="{{BASE}}/login" class="stack">
<input type="hidden" name="_csrf" value="{{LOGIN_TOKEN}}">
<input type="hidden" name="next" value="{{NEXT}}">
<label for="user">User name</label>
<input id="user" name="user" type="text" autocomplete="username" required autofocus value="{{USER}}" maxlength="255">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit" class="btn btn-primary">Sign in</button>
</form>
</section>
