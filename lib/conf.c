/*
 * autosched: the configuration file (INI, read with inih), and the bot types it declares.
 *
 * One file configures every program; its path comes from $AUTOSCHED_CONF or defaults to
 * CONF_DEFAULT_PATH. Every key is documented in docs/CONFIG.md. Unknown sections and keys
 * are errors, so a typo never silently leaves a default in place. Relative paths are taken
 * relative to the folder of the configuration file.
 *
 * A bot type is a section [bot.NAME] naming the RQ function, its queue and timeouts, and its
 * parameters ("param.limit = int, range 1-1000, default 50"), against which each job's
 * bot_config is validated.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "conf.h"
#include "tz.h"

#define BOT_NAME_MAX	32
#define PARAM_NAME_MAX	64
#define QUEUE_NAME_MAX	64
#define PARAM_STR_MAX	1000	/* default max_length of a string parameter */

struct loader {
	struct conf	*conf;
	struct buf	*err;
	char		*dir;		/* folder of the file, for relative paths */
};

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static char *
abs_path(const struct loader *l, const char *v)
{
	if (*v == '/' || l->dir == NULL)
		return xstrdup(v);
	return xasprintf("%s/%s", l->dir, v);
}

static int
conf_int(struct loader *l, const char *section, const char *key, const char *v,
    int64_t min, int64_t max, int64_t *out)
{
	if (util_parse_int64(v, min, max, out) == -1) {
		buf_addf(l->err, "[%s] %s: '%s' is not a whole number from %lld to %lld",
		    section, key, v, (long long)min, (long long)max);
		return -1;
	}
	return 0;
}

static int
conf_bool(struct loader *l, const char *section, const char *key, const char *v, int *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else {
		buf_addf(l->err, "[%s] %s: '%s' is not true or false", section, key, v);
		return -1;
	}
	return 0;
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int
valid_ident(const char *s, size_t max)
{
	size_t	 n = 0;

	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++, n++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-') || n >= max)
			return 0;
	return 1;
}

static struct bot *
bot_get_or_add(struct conf *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nbots; i++)
		if (strcmp(c->bots[i].name, name) == 0)
			return &c->bots[i];
	c->bots = xrealloc(c->bots, (c->nbots + 1) * sizeof(*c->bots));
	memset(&c->bots[c->nbots], 0, sizeof(c->bots[0]));
	c->bots[c->nbots].name = xstrdup(name);
	c->bots[c->nbots].queue = xstrdup("default");
	c->bots[c->nbots].timeout = 3600;
	c->bots[c->nbots].result_ttl = 7 * 86400;
	c->bots[c->nbots].failure_ttl = 30 * 86400;
	c->bots[c->nbots].serializer = SERIALIZER_JSON;
	return &c->bots[c->nbots++];
}

/*
 * Parses a parameter declaration: "TYPE[, default V][, range A-B][, max_length N]
 * [, choices a|b|c]". Returns 0, or -1 with the reason in l->err.
 */
static int
param_parse(struct loader *l, const char *section, const char *key, const char *v,
    struct param *p)
{
	char		*copy = xstrdup(v), *part, *save = NULL, *arg;
	const char	*word;
	int		 first = 1, rc = -1, b;
	int64_t		 n;

	p->min = INT64_MIN;
	p->max = INT64_MAX;
	p->max_len = PARAM_STR_MAX;
	for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		word = skip_space(part);
		arg = (char *)word + strcspn(word, " \t");
		if (*arg)
			*arg++ = '\0';
		arg = (char *)skip_space(arg);
		while (*arg && strchr(" \t", arg[strlen(arg) - 1]))
			arg[strlen(arg) - 1] = '\0';
		if (first) {
			first = 0;
			if (*arg)
				goto bad;
			if (strcmp(word, "bool") == 0)
				p->type = PARAM_BOOL;
			else if (strcmp(word, "int") == 0)
				p->type = PARAM_INT;
			else if (strcmp(word, "string") == 0)
				p->type = PARAM_STRING;
			else {
				buf_addf(l->err, "[%s] %s: type '%s' is not bool, int or string",
				    section, key, word);
				goto out;
			}
			continue;
		}
		if (strcmp(word, "default") == 0 && *arg) {
			json_decref(p->def);
			p->def = NULL;
			if (p->type == PARAM_BOOL && conf_bool(l, section, key, arg, &b) == 0)
				p->def = json_boolean(b);
			else if (p->type == PARAM_INT &&
			    conf_int(l, section, key, arg, INT64_MIN, INT64_MAX, &n) == 0)
				p->def = json_integer(n);
			else if (p->type == PARAM_STRING)
				p->def = json_string(arg);
			if (p->def == NULL)
				goto out;
		} else if (strcmp(word, "range") == 0 && p->type == PARAM_INT) {
			char *dash = strchr(arg + 1, '-');
			if (dash == NULL)
				goto bad;
			*dash = '\0';
			if (conf_int(l, section, key, arg, INT64_MIN, INT64_MAX, &p->min) == -1 ||
			    conf_int(l, section, key, dash + 1, p->min, INT64_MAX, &p->max) == -1)
				goto out;
		} else if (strcmp(word, "max_length") == 0 && p->type == PARAM_STRING) {
			if (conf_int(l, section, key, arg, 1, 100000, &n) == -1)
				goto out;
			p->max_len = (size_t)n;
		} else if (strcmp(word, "choices") == 0 && p->type == PARAM_STRING && *arg) {
			char *c, *s2 = NULL;
			for (c = strtok_r(arg, "|", &s2); c; c = strtok_r(NULL, "|", &s2)) {
				p->choices = xrealloc(p->choices, (p->nchoices + 1) *
				    sizeof(*p->choices));
				p->choices[p->nchoices++] = xstrdup(skip_space(c));
			}
		} else
			goto bad;
	}
	if (first)
		goto bad;
	if (p->def != NULL && conf_param_check(p, p->def, NULL, 0) != NULL) {
		buf_addf(l->err, "[%s] %s: the default %s", section, key,
		    conf_param_check(p, p->def, NULL, 0));
		goto out;
	}
	rc = 0;
	goto out;
bad:
	buf_addf(l->err, "[%s] %s: '%s' is not a parameter declaration such as \"int, range "
	    "1-1000, default 50\"", section, key, v);
out:
	free(copy);
	return rc;
}

static int
bot_key(struct loader *l, struct bot *b, const char *section, const char *key, const char *v)
{
	struct param	*p;
	size_t		 i;

	if (strcmp(key, "function") == 0) {
		/* a dotted Python path: module.function */
		if (strchr(v, '.') == NULL || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") != strlen(v)) {
			buf_addf(l->err, "[%s] function: '%s' is not a dotted Python path such as "
			    "bots.birthday.run", section, v);
			return -1;
		}
		set_str(&b->function, v);
	} else if (strcmp(key, "queue") == 0) {
		if (!valid_ident(v, QUEUE_NAME_MAX)) {
			buf_addf(l->err, "[%s] queue: '%s' is not a queue name", section, v);
			return -1;
		}
		set_str(&b->queue, v);
	} else if (strcmp(key, "description") == 0)
		set_str(&b->description, v);
	else if (strcmp(key, "timeout") == 0)
		return conf_int(l, section, key, v, 1, 7 * 86400, &b->timeout);
	else if (strcmp(key, "result_ttl") == 0)
		return conf_int(l, section, key, v, -1, 365 * 86400, &b->result_ttl);
	else if (strcmp(key, "failure_ttl") == 0)
		return conf_int(l, section, key, v, -1, 365 * 86400, &b->failure_ttl);
	else if (strcmp(key, "serializer") == 0) {
		if (strcmp(v, "json") == 0)
			b->serializer = SERIALIZER_JSON;
		else if (strcmp(v, "pickle") == 0)
			b->serializer = SERIALIZER_PICKLE;
		else {
			buf_addf(l->err, "[%s] serializer: '%s' is not json or pickle", section, v);
			return -1;
		}
	} else if (strncmp(key, "param.", 6) == 0) {
		if (!valid_ident(key + 6, PARAM_NAME_MAX)) {
			buf_addf(l->err, "[%s] %s: '%s' is not a parameter name", section, key,
			    key + 6);
			return -1;
		}
		for (i = 0; i < b->nparams; i++)
			if (strcmp(b->params[i].name, key + 6) == 0) {
				buf_addf(l->err, "[%s] %s: declared twice", section, key);
				return -1;
			}
		b->params = xrealloc(b->params, (b->nparams + 1) * sizeof(*b->params));
		p = &b->params[b->nparams++];
		memset(p, 0, sizeof(*p));
		p->name = xstrdup(key + 6);
		return param_parse(l, section, key, v, p);
	} else {
		buf_addf(l->err, "[%s] %s: unknown key", section, key);
		return -1;
	}
	return 0;
}

/* Reads one address or network ("10.1.2.3", "10.0.0.0/8", "::1") into *n. Returns 0 or -1. */
static int
net_parse(const char *text, struct conf_net *n)
{
	char		 addr[INET6_ADDRSTRLEN + 1];
	const char	*slash = strchr(text, '/');
	size_t		 len = slash ? (size_t)(slash - text) : strlen(text);
	int64_t		 bits;

	memset(n, 0, sizeof(*n));
	if (len == 0 || len >= sizeof(addr))
		return -1;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, n->addr) == 1)
		n->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, n->addr) == 1)
		n->family = AF_INET6;
	else
		return -1;
	n->bits = n->family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		if (util_parse_int64(slash + 1, 0, n->bits, &bits) == -1)
			return -1;
		n->bits = (int)bits;
	}
	return 0;
}

/* A list of addresses and networks, separated by commas or blanks. Returns 0 or -1. */
static int
nets_parse(struct loader *l, const char *section, const char *key, const char *v,
    struct conf_net **out, size_t *n)
{
	char	*copy = xstrdup(v), *item, *save;
	int	 rc = 0;

	free(*out);
	*out = NULL;
	*n = 0;
	for (item = strtok_r(copy, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save)) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		if (net_parse(item, &(*out)[*n]) == -1) {
			buf_addf(l->err, "[%s] %s: '%s' is not an address or a network such as "
			    "10.0.0.0/8", section, key, item);
			rc = -1;
			break;
		}
		(*n)++;
	}
	free(copy);
	return rc;
}

static int
handler(void *user, const char *section, const char *key, const char *v)
{
	struct loader	*l = user;
	struct conf	*c = l->conf;
	const char	*why;
	int64_t		 n;

	if (l->err->len)
		return 0;
	if (strcmp(section, "database") == 0) {
		if (strcmp(key, "path") == 0) {
			free(c->db_path);
			c->db_path = abs_path(l, v);
		} else if (strcmp(key, "busy_timeout_ms") == 0) {
			if (conf_int(l, section, key, v, 0, 600000, &n) == -1)
				return 0;
			c->busy_timeout_ms = (int)n;
		} else
			goto unknown;
	} else if (strcmp(section, "api") == 0) {
		if (strcmp(key, "default_timezone") == 0) {
			if (tz_get(v, &why) == NULL) {
				buf_addf(l->err, "[api] default_timezone: '%s' %s", v, why);
				return 0;
			}
			set_str(&c->default_tz, v);
		} else
			goto unknown;
	} else if (strcmp(section, "web") == 0) {
		struct web_conf *w = &c->web;
		if (strcmp(key, "templates") == 0) {
			free(w->templates);
			w->templates = abs_path(l, v);
		} else if (strcmp(key, "static_url") == 0)
			set_str(&w->static_url, v);
		else if (strcmp(key, "session_hours") == 0)
			return conf_int(l, section, key, v, 1, 24 * 90, &w->session_hours) == 0;
		else if (strcmp(key, "trust_remote_user") == 0)
			return conf_bool(l, section, key, v, &w->trust_remote_user) == 0;
		else if (strcmp(key, "secure_cookies") == 0)
			return conf_bool(l, section, key, v, &w->secure_cookies) == 0;
		else if (strcmp(key, "trusted_proxies") == 0)
			return nets_parse(l, section, key, v, &w->trusted_proxies,
			    &w->ntrusted_proxies) == 0;
		else
			goto unknown;
	} else if (strcmp(section, "schedd") == 0) {
		struct schedd_conf *sc = &c->schedd;
		if (strcmp(key, "redis") == 0) {
			struct redis_addr	 ra;
			struct buf		 e = BUF_INIT;

			if (conf_redis_parse(v, &ra, &e) == -1) {
				buf_addf(l->err, "[%s] %s: %s", section, key, e.data);
				buf_release(&e);
				return 0;
			}
			set_str(&sc->redis, v);
			free(sc->redis_shown);
			sc->redis_shown = conf_redis_redacted(v);
		} else if (strcmp(key, "redis_username") == 0)
			set_str(&sc->redis_username, v);
		else if (strcmp(key, "redis_password") == 0)
			set_str(&sc->redis_password, v);
		else if (strcmp(key, "redis_db") == 0)
			return conf_int(l, section, key, v, 0, 65535, &sc->redis_db) == 0;
		else if (strcmp(key, "notify_socket") == 0) {
			free(sc->notify_socket);
			sc->notify_socket = abs_path(l, v);
		} else if (strcmp(key, "poll_interval_ms") == 0)
			return conf_int(l, section, key, v, 10, 60000, &sc->poll_interval_ms) == 0;
		else if (strcmp(key, "heartbeat_interval") == 0)
			return conf_int(l, section, key, v, 1, 3600, &sc->heartbeat_interval) == 0;
		else if (strcmp(key, "history_max_runs") == 0)
			return conf_int(l, section, key, v, 1, 1000000, &sc->history_max_runs) == 0;
		else if (strcmp(key, "history_max_days") == 0)
			return conf_int(l, section, key, v, 1, 36500, &sc->history_max_days) == 0;
		else if (strcmp(key, "worker_lost_after") == 0)
			return conf_int(l, section, key, v, 5, 86400, &sc->worker_lost_after) == 0;
		else if (strcmp(key, "queued_timeout") == 0)
			return conf_int(l, section, key, v, 5, 30 * 86400, &sc->queued_timeout) ==
			    0;
		else if (strcmp(key, "workers_behind_after") == 0)
			return conf_int(l, section, key, v, 10, 30 * 86400,
			    &sc->workers_behind_after) == 0;
		else if (strcmp(key, "max_catchup") == 0)
			return conf_int(l, section, key, v, 1, 100000, &sc->max_catchup) == 0;
		else
			goto unknown;
	} else if (strncmp(section, "bot.", 4) == 0) {
		if (!valid_ident(section + 4, BOT_NAME_MAX)) {
			buf_addf(l->err, "[%s]: '%s' is not a bot type name (letters, digits, _ "
			    "and -, at most %d)", section, section + 4, BOT_NAME_MAX);
			return 0;
		}
		if (bot_key(l, bot_get_or_add(c, section + 4), section, key, v) == -1)
			return 0;
	} else {
		buf_addf(l->err, "[%s]: unknown section", section);
		return 0;
	}
	return 1;
unknown:
	buf_addf(l->err, "[%s] %s: unknown key", section, key);
	return 0;
}

static void
param_release(struct param *p)
{
	size_t	 i;

	free(p->name);
	json_decref(p->def);
	for (i = 0; i < p->nchoices; i++)
		free(p->choices[i]);
	free(p->choices);
}

void
conf_release(struct conf *c)
{
	size_t	 i, j;

	for (i = 0; i < c->nbots; i++) {
		free(c->bots[i].name);
		free(c->bots[i].function);
		free(c->bots[i].queue);
		free(c->bots[i].description);
		for (j = 0; j < c->bots[i].nparams; j++)
			param_release(&c->bots[i].params[j]);
		free(c->bots[i].params);
	}
	free(c->bots);
	free(c->path);
	free(c->db_path);
	free(c->default_tz);
	free(c->schedd.redis);
	free(c->schedd.redis_shown);
	free(c->schedd.redis_username);
	if (c->schedd.redis_password != NULL) {
		explicit_bzero(c->schedd.redis_password, strlen(c->schedd.redis_password));
		free(c->schedd.redis_password);
	}
	free(c->schedd.notify_socket);
	free(c->web.templates);
	free(c->web.static_url);
	free(c->web.trusted_proxies);
	memset(c, 0, sizeof(*c));
}

const char *
conf_default_path(void)
{
	const char	*p = getenv("AUTOSCHED_CONF");

	return p && *p ? p : CONF_DEFAULT_PATH;
}

int
conf_load(struct conf *c, const char *path, struct buf *err)
{
	struct loader	 l;
	char		*slash;
	size_t		 i;
	int		 rc;
	FILE		*f;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->busy_timeout_ms = 5000;
	c->default_tz = xstrdup("Europe/Paris");
	c->schedd.redis = xstrdup(CONF_REDIS_DEFAULT);
	c->schedd.redis_shown = xstrdup(CONF_REDIS_DEFAULT);
	c->schedd.notify_socket = xstrdup("/run/autosched/schedd.sock");
	c->schedd.poll_interval_ms = 1000;
	c->schedd.heartbeat_interval = 5;
	c->schedd.history_max_runs = 1000;
	c->schedd.history_max_days = 90;
	c->schedd.worker_lost_after = 300;
	c->schedd.queued_timeout = 86400;
	c->schedd.workers_behind_after = 120;
	c->schedd.max_catchup = 1000;
	c->web.templates = xstrdup("/usr/local/share/autosched/templates");
	c->web.static_url = xstrdup("/static");
	c->web.session_hours = 12;
	l.conf = c;
	l.err = err;
	l.dir = xstrdup(path);
	if ((slash = strrchr(l.dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(l.dir);
		l.dir = NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	rc = ini_parse_file(f, handler, &l);
	fclose(f);
	if (err->len) {
		char *msg = buf_detach(err);
		buf_addf(err, "%s: %s", path, msg);
		free(msg);
		goto fail;
	}
	if (rc != 0) {
		buf_addf(err, "%s:%d: not an INI line", path, rc);
		goto fail;
	}
	if (c->db_path == NULL) {
		buf_addf(err, "%s: [database] path is missing", path);
		goto fail;
	}
	for (i = 0; i < c->nbots; i++)
		if (c->bots[i].function == NULL) {
			buf_addf(err, "%s: [bot.%s] function is missing", path, c->bots[i].name);
			goto fail;
		}
	free(l.dir);
	return 0;
fail:
	free(l.dir);
	conf_release(c);
	return -1;
}

const struct bot *
conf_bot(const struct conf *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nbots; i++)
		if (strcmp(c->bots[i].name, name) == 0)
			return &c->bots[i];
	return NULL;
}

/* Bot parameters */

const char *
conf_param_check(const struct param *p, const json_t *v, char *buf, size_t sz)
{
	static char	 msg[256];
	const char	*s;
	size_t		 i;

	if (buf == NULL) {
		buf = msg;
		sz = sizeof(msg);
	}
	switch (p->type) {
	case PARAM_BOOL:
		if (!json_is_boolean(v))
			return "must be true or false";
		return NULL;
	case PARAM_INT:
		if (!json_is_integer(v))
			return "must be an integer";
		if (json_integer_value(v) < p->min || json_integer_value(v) > p->max) {
			if (p->max == INT64_MAX)
				snprintf(buf, sz, "must be at least %lld", (long long)p->min);
			else if (p->min == INT64_MIN)
				snprintf(buf, sz, "must be at most %lld", (long long)p->max);
			else
				snprintf(buf, sz, "must be between %lld and %lld",
				    (long long)p->min, (long long)p->max);
			return buf;
		}
		return NULL;
	case PARAM_STRING:
		if (!json_is_string(v))
			return "must be a string";
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			return "must not contain NUL characters";
		if (utf8_chars(s) > p->max_len) {
			snprintf(buf, sz, "must be at most %zu characters", p->max_len);
			return buf;
		}
		if (p->nchoices == 0)
			return NULL;
		for (i = 0; i < p->nchoices; i++)
			if (strcmp(s, p->choices[i]) == 0)
				return NULL;
		snprintf(buf, sz, "must be one of:");
		for (i = 0; i < p->nchoices; i++) {
			size_t len = strlen(buf);
			/* whole choices only, so that no character is cut */
			if (len + strlen(p->choices[i]) + 2 + 5 > sz) {
				snprintf(buf + len, sz - len, " \xe2\x80\xa6");
				break;
			}
			snprintf(buf + len, sz - len, "%s %s", i ? "," : "", p->choices[i]);
		}
		return buf;
	}
	return "has an unknown type";
}

int
conf_bot_config_check(const struct bot *b, const json_t *cfg, const char *prefix,
    struct verrs *errs)
{
	const char	*key, *why;
	json_t		*v;
	char		 msg[256];
	size_t		 i, nerr = errs->n;
	struct buf	 names = BUF_INIT, path = BUF_INIT;

	if (!json_is_object(cfg)) {
		verrs_addt(errs, "type_error.dict", prefix, "must be an object");
		return -1;
	}
	json_object_foreach((json_t *)cfg, key, v) {
		buf_reset(&path);
		buf_addf(&path, "%s.%s", prefix, key);
		for (i = 0; i < b->nparams; i++)
			if (strcmp(key, b->params[i].name) == 0)
				break;
		if (i == b->nparams) {
			buf_reset(&names);
			for (i = 0; i < b->nparams; i++)
				buf_addf(&names, "%s%s", i ? ", " : "", b->params[i].name);
			verrs_addt(errs, "value_error.extra", path.data, "unknown parameter: %s bots "
			    "take %s", b->name, b->nparams ? names.data : "no parameters");
			continue;
		}
		if ((why = conf_param_check(&b->params[i], v, msg, sizeof(msg))) != NULL)
			verrs_add(errs, path.data, "%s", why);
	}
	buf_release(&names);
	buf_release(&path);
	return errs->n > nerr ? -1 : 0;
}

/* Redis addresses */

int
conf_redis_parse(const char *spec, struct redis_addr *out, struct buf *err)
{
	const char	*a = spec, *at, *slash, *colon;
	char		*shown = conf_redis_redacted(spec);	/* messages never show a password */
	size_t		 n;
	int64_t		 v;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	out->port = 6379;
	if (strncmp(a, "unix:", 5) == 0) {
		a += 5;
		if (*a != '/' || strlen(a) >= sizeof(out->path)) {
			buf_addf(err, "'%s': unix: needs an absolute socket path", shown);
			goto out;
		}
		memcpy(out->path, a, strlen(a) + 1);
		rc = 0;
		goto out;
	}
	if (strncmp(a, "redis://", 8) == 0) {
		a += 8;
		/* [[user]:password@]host[:port][/db] */
		if ((at = strrchr(a, '@')) != NULL) {
			colon = memchr(a, ':', (size_t)(at - a));
			if (colon == NULL) {
				buf_addf(err, "'%s': write the password as redis://:PASSWORD@host "
				    "(or USER:PASSWORD@)", shown);
				goto out;
			}
			n = (size_t)(colon - a);
			if (n >= sizeof(out->user) || (size_t)(at - colon - 1) >=
			    sizeof(out->password)) {
				buf_addf(err, "'%s': user name or password too long", shown);
				goto out;
			}
			memcpy(out->user, a, n);
			memcpy(out->password, colon + 1, (size_t)(at - colon - 1));
			a = at + 1;
		}
		if ((slash = strchr(a, '/')) != NULL) {
			if (slash[1] != '\0' && util_parse_int64(slash + 1, 0, 65535, &v) == -1) {
				buf_addf(err, "'%s': the database after '/' is a number 0-65535", shown);
				goto out;
			}
			out->db = slash[1] != '\0' ? (int)v : 0;
			n = (size_t)(slash - a);
		} else
			n = strlen(a);
	} else
		n = strlen(a);
	colon = memchr(a, ':', n);
	if (colon != NULL) {
		char	port[8];
		size_t	pn = n - (size_t)(colon - a) - 1;

		if (pn == 0 || pn >= sizeof(port)) {
			buf_addf(err, "'%s' is not host:port, redis://host:port or unix:/path", shown);
			goto out;
		}
		memcpy(port, colon + 1, pn);
		port[pn] = '\0';
		if (util_parse_int64(port, 1, 65535, &v) == -1) {
			buf_addf(err, "'%s': the port is a number 1-65535", shown);
			goto out;
		}
		out->port = (int)v;
		n = (size_t)(colon - a);
	}
	if (n == 0 || n >= sizeof(out->host)) {
		buf_addf(err, "'%s': no host name", shown);
		goto out;
	}
	memcpy(out->host, a, n);
	rc = 0;
out:
	free(shown);
	return rc;
}

char *
conf_redis_redacted(const char *spec)
{
	const char	*at, *colon;

	if (strncmp(spec, "redis://", 8) != 0 || (at = strrchr(spec + 8, '@')) == NULL)
		return xstrdup(spec);
	/* redis://USER:PASSWORD@: the user stays; without the colon, all of it may be secret */
	if ((colon = memchr(spec + 8, ':', (size_t)(at - spec - 8))) == NULL)
		return xasprintf("redis://***%s", at);
	return xasprintf("%.*s:***%s", (int)(colon - spec), spec, at);
}

static int
same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int
conf_redis_same(const struct schedd_conf *a, const struct schedd_conf *b)
{
	return same_str(a->redis, b->redis) && same_str(a->redis_username, b->redis_username) &&
	    same_str(a->redis_password, b->redis_password) && a->redis_db == b->redis_db;
}

/* Addresses */

int
conf_addr_valid(const char *addr)
{
	struct conf_net	 n;

	return strchr(addr, '/') == NULL && net_parse(addr, &n) == 0;
}

int
conf_proxy_trusted(const struct conf *c, const char *addr)
{
	const struct conf_net *t;
	struct conf_net	 a;
	size_t		 i;
	int		 k, full, rest;

	if (strchr(addr, '/') != NULL || net_parse(addr, &a) == -1)
		return 0;
	for (i = 0; i < c->web.ntrusted_proxies; i++) {
		t = &c->web.trusted_proxies[i];
		if (t->family != a.family)
			continue;
		full = t->bits / 8;
		rest = t->bits % 8;
		for (k = 0; k < full && t->addr[k] == a.addr[k]; k++)
			;
		if (k < full)
			continue;
		if (rest == 0 || ((t->addr[full] ^ a.addr[full]) & (0xff << (8 - rest))) == 0)
			return 1;
	}
	return 0;
}
