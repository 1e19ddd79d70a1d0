/*
 * autosched: the administration commands: check-config, init (create or upgrade the
 * database), user (dashboard users and their passwords) and apikey.
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cmd_check_config(int argc, char **argv)
{
	struct conf	 c;
	struct stat	 st;
	size_t		 i;

	(void)argv;
	if (argc != 1) {
		cli_usage(stderr);
		return 2;
	}
	if (cli_load_conf(&c) == -1)
		return 1;
	printf("%s: ok\n  database: %s\n  default timezone: %s\n  bot types:", c.path,
	    c.db_path, c.default_tz);
	for (i = 0; i < c.nbots; i++)
		printf(" %s", c.bots[i].name);
	printf("%s\n", c.nbots ? "" : " none");
	printf("  redis: %s\n", c.schedd.redis_shown);
	/* a Redis password in a file others may read is worth a word */
	if ((c.schedd.redis_password != NULL || strcmp(c.schedd.redis,
	    c.schedd.redis_shown) != 0) && stat(c.path, &st) == 0 && (st.st_mode & 0004))
		fprintf(stderr, "autosched: warning: %s holds a Redis password and every user "
		    "may read it (chmod 640 it, group of the programs)\n", c.path);
	conf_release(&c);
	return 0;
}

/*
 * Creates the database, or brings an existing one to this build's schema (db_open upgrades
 * it step by step, in one transaction, keeping every row). Running it again is harmless.
 */
int
cmd_init(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	struct stat	 st;
	int		 existed;

	(void)argv;
	if (argc != 1) {
		cli_usage(stderr);
		return 2;
	}
	if (cli_load_conf(&c) == -1)
		return 1;
	existed = stat(c.db_path, &st) == 0 && st.st_size > 0;
	if ((db = db_open(c.db_path, 1, c.busy_timeout_ms)) == NULL) {
		fprintf(stderr, "autosched: cannot open the database '%s'\n", c.db_path);
		conf_release(&c);
		return 1;
	}
	/* every statement the programs will use, checked against the schema now */
	if (db_prepare_all(db) == -1) {
		fprintf(stderr, "autosched: the database '%s' does not have the schema this "
		    "build needs\n", c.db_path);
		db_close(db);
		conf_release(&c);
		return 1;
	}
	printf("database %s: %sschema version %d\n", c.db_path, existed ? "" : "created, ",
	    db_schema_version(db));
	db_close(db);
	conf_release(&c);
	return 0;
}

static void
print_key(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

#define PASSWORD_MIN	8
#define PASSWORD_MAX	1024

static void
print_user(const char *name, int64_t created, void *arg)
{
	char	 iso[CAL_ISO_LEN];

	(void)arg;
	printf("%-32s created %s\n", name, cal_iso((time_t)created, iso));
}

/* Reads a password from the first line of standard input into pw[PASSWORD_MAX + 2]. */
static int
read_password(char *pw)
{
	size_t	 n;

	if (fgets(pw, PASSWORD_MAX + 2, stdin) == NULL) {
		fprintf(stderr, "autosched: give the password on standard input\n");
		return -1;
	}
	n = strcspn(pw, "\r\n");
	if (pw[n] == '\0' && n > PASSWORD_MAX) {
		fprintf(stderr, "autosched: a password is at most %d bytes\n", PASSWORD_MAX);
		return -1;
	}
	pw[n] = '\0';
	if (n < PASSWORD_MIN) {
		fprintf(stderr, "autosched: a password is at least %d characters\n",
		    PASSWORD_MIN);
		return -1;
	}
	return 0;
}

int
cmd_user(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 pw[PASSWORD_MAX + 2], hash[AUTH_HASH_MAX];
	enum db_res	 res;
	int		 rc = 1, add;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "list") != 0) {
		if (!auth_name_valid(argv[2])) {
			fprintf(stderr, "autosched: a user name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", AUTH_NAME_MAX);
			return 2;
		}
	}
	add = strcmp(argv[1], "add") == 0;
	if (!add && strcmp(argv[1], "passwd") != 0 && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "delete") != 0) {
		cli_usage(stderr);
		return 2;
	}
	if ((add || strcmp(argv[1], "passwd") == 0) && read_password(pw) == -1)
		return 2;
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	if (add || strcmp(argv[1], "passwd") == 0) {
		if (auth_password_hash(pw, hash, sizeof(hash)) == -1)
			goto out;
		res = db_user_set(db, argv[2], hash, add, time(NULL));
		/* a new password ends the old sessions and lifts a sign-in lockout */
		if (res == DB_OK && !add)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a user named '%s' exists already\n", argv[2]);
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the user\n");
	} else if (strcmp(argv[1], "delete") == 0) {
		res = db_user_delete(db, argv[2]);
		if (res == DB_OK)
			res = db_user_signout(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else
			fprintf(stderr, "autosched: no user named '%s'\n", argv[2]);
	} else
		rc = db_user_list(db, print_user, NULL) == DB_OK ? 0 : 1;
out:
	explicit_bzero(pw, sizeof(pw));
	db_close(db);
	conf_release(&c);
	return rc;
}

int
cmd_apikey(int argc, char **argv)
{
	struct conf	 c;
	struct db	*db;
	char		 key[KEY_TEXT_LEN];
	unsigned char	 hash[KEY_HASH_LEN];
	enum db_res	 res;
	int		 rc = 1;

	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2 : argc != 3)) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "create") == 0 || strcmp(argv[1], "revoke") == 0) {
		if (!auth_name_valid(argv[2])) {
			fprintf(stderr, "autosched: a key name is 1 to %d letters, digits, "
			    "'_', '.', '@' or '-'\n", AUTH_NAME_MAX);
			return 2;
		}
	} else if (strcmp(argv[1], "list") != 0) {
		cli_usage(stderr);
		return 2;
	}
	if ((db = cli_open_db(&c, 0)) == NULL)
		return 1;
	if (strcmp(argv[1], "create") == 0) {
		key_generate(key);
		key_hash(key, strlen(key), hash);
		res = db_apikey_insert(db, argv[2], hash, time(NULL));
		if (res == DB_OK) {
			printf("%s\n", key);
			rc = 0;
		} else if (res == DB_CONFLICT)
			fprintf(stderr, "autosched: a key named '%s' exists already\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot store the key\n");
	} else if (strcmp(argv[1], "revoke") == 0) {
		res = db_apikey_delete(db, argv[2]);
		if (res == DB_OK)
			rc = 0;
		else if (res == DB_NOTFOUND)
			fprintf(stderr, "autosched: no key named '%s'\n", argv[2]);
		else
			fprintf(stderr, "autosched: cannot revoke the key\n");
	} else
		rc = db_apikey_list(db, print_key, NULL) == DB_OK ? 0 : 1;
	db_close(db);
	conf_release(&c);
	return rc;
}
