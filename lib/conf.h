/*
 * autosched: the configuration file and the bot types it declares (conf.c), in the model
 * layer: what every program reads at start, and how a Redis address is written.
 */
#ifndef CONF_H
#define CONF_H

#include <jansson.h>

#include "base.h"


#define CONF_DEFAULT_PATH	"/etc/autosched/autosched.conf"
/* Redis's own unix socket on Debian (unixsocket in redis.conf): no TCP, no password needed. */
#define CONF_REDIS_DEFAULT	"unix:/run/redis/redis-server.sock"

enum param_type {
	PARAM_BOOL,
	PARAM_INT,
	PARAM_STRING
};

/* One declared parameter of a bot type, which a job's bot_config may set. */
struct param {
	char		*name;
	enum param_type	 type;
	json_t		*def;		/* default value, or NULL */
	int64_t		 min, max;	/* int */
	size_t		 max_len;	/* string, in characters */
	char		**choices;	/* string: allowed values, when nchoices > 0 */
	size_t		 nchoices;
};

enum serializer {
	SERIALIZER_JSON,
	SERIALIZER_PICKLE
};

/* A bot type: the RQ function that runs it and how. */
struct bot {
	char		*name;
	char		*function;	/* dotted Python path */
	char		*queue;
	char		*description;
	int64_t		 timeout;	/* seconds */
	int64_t		 result_ttl;
	int64_t		 failure_ttl;
	enum serializer	 serializer;
	struct param	*params;
	size_t		 nparams;
};

/* schedd's settings ([schedd]). */
struct schedd_conf {
	char		*redis;			/* "unix:/path", "host:port", "redis://..." */
	char		*redis_shown;		/* the same with its password as "***", for logs */
	char		*redis_username;	/* AUTH with a user (Redis 6 ACL), or NULL */
	char		*redis_password;	/* AUTH, or NULL */
	int64_t		 redis_db;		/* SELECT, 0 by default */
	char		*notify_socket;		/* where the web tier nudges schedd */
	int64_t		 poll_interval_ms;
	int64_t		 heartbeat_interval;	/* seconds */
	int64_t		 history_max_runs;	/* kept per job */
	int64_t		 history_max_days;
	int64_t		 worker_lost_after;	/* seconds without a worker heartbeat */
	int64_t		 queued_timeout;	/* seconds a run may wait for a worker */
	int64_t		 workers_behind_after;	/* seconds: longer is "workers are behind" */
	int64_t		 max_catchup;		/* owed runs made at once for one job */
};

/* The dashboard's settings ([web]). */
/* An address or a network: 10.0.0.0/8, 2001:db8::/32, 127.0.0.1 (all bits). */
struct conf_net {
	int		 family;		/* AF_INET, AF_INET6 */
	unsigned char	 addr[16];
	int		 bits;
};

struct web_conf {
	char		*templates;		/* folder of the .tpl files */
	char		*static_url;		/* where the web server serves static/ */
	int64_t		 session_hours;
	int		 trust_remote_user;	/* the web server signs people in */
	int		 secure_cookies;	/* always mark cookies Secure */
	struct conf_net	*trusted_proxies;	/* whose X-Forwarded-For is believed */
	size_t		 ntrusted_proxies;
};

struct conf {
	char		*path;		/* of the file itself */
	char		*db_path;
	int		 busy_timeout_ms;
	char		*default_tz;
	struct bot	*bots;
	size_t		 nbots;
	struct schedd_conf schedd;
	struct web_conf	 web;
};

/* The configuration file's path: $AUTOSCHED_CONF, else CONF_DEFAULT_PATH (borrowed). */
const char	*conf_default_path(void);
/*
 * Reads the configuration file into *c. Returns 0, or -1 with a message for people in err
 * (then *c holds nothing to release).
 */
int		 conf_load(struct conf *c, const char *path, struct buf *err);
void		 conf_release(struct conf *);
/* Returns the bot type called name (borrowed), or NULL. */
const struct bot *conf_bot(const struct conf *, const char *name);
/*
 * Checks one value against a parameter's declaration. Returns NULL when it fits, else a
 * message (in buf[sz], or a static string).
 */
const char	*conf_param_check(const struct param *, const json_t *v, char *buf, size_t sz);
/*
 * Checks a job's bot_config (borrowed) against its bot type: only declared parameters, each
 * of its declared type and range. Adds every problem to errs under "<prefix>.<key>".
 * Returns 0, or -1.
 */
int		 conf_bot_config_check(const struct bot *, const json_t *cfg, const char *prefix,
		    struct verrs *errs);

/*
 * Whether the address (text, IPv4 or IPv6) is one of [web] trusted_proxies. An address that
 * does not parse is not.
 */
int		 conf_proxy_trusted(const struct conf *, const char *addr);
/* Whether text is an IPv4 or IPv6 address. */
int		 conf_addr_valid(const char *addr);

/* A Redis address, parsed: a unix socket path, or host and port; credentials; database. */
struct redis_addr {
	char		 path[108];	/* unix socket, "" for TCP */
	char		 host[256];
	int		 port;
	char		 user[128];	/* from redis://USER:PASSWORD@..., "" when absent */
	char		 password[256];
	int		 db;		/* redis://host/DB, 0 when absent */
};
/*
 * Parses "unix:/path", "host[:port]" or "redis://[[USER]:PASSWORD@]host[:port][/DB]".
 * Returns 0, or -1 with a message in err.
 */
int		 conf_redis_parse(const char *spec, struct redis_addr *out, struct buf *err);
/* A copy of a Redis address for logs: redis://USER:PASSWORD@... as redis://USER:***@... */
char		*conf_redis_redacted(const char *spec);
/* Whether two configurations reach Redis the same way (address, user, password, db). */
int		 conf_redis_same(const struct schedd_conf *, const struct schedd_conf *);

#endif /* CONF_H */
