/*
 * autosched: what the files of bin/autosched share, as git's builtin.h does for its
 * commands: each command is `int cmd_NAME(int argc, char **argv)` (argv[0] is the command's
 * name) in a file of its group, main.c holds the table of them, and the helpers below are
 * in cli.c, table.c and file.c. Exit status: 0 success, 1 failure, 2 bad usage or input.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "base.h"
#include "conf.h"
#include "db.h"
#include "jobs.h"
#include "sched.h"

/* main.c */
/* The configuration file given with -c (NULL: $AUTOSCHED_CONF, else the default). */
extern const char *cli_conf_path;
/* Prints every command's usage line to f. */
void		 cli_usage(FILE *f);

/* The commands */
int		 cmd_next(int, char **);		/* next.c */
int		 cmd_init(int, char **);		/* admin.c */
int		 cmd_apikey(int, char **);
int		 cmd_user(int, char **);
int		 cmd_check_config(int, char **);
int		 cmd_jobs(int, char **);		/* list.c */
int		 cmd_export(int, char **);		/* export.c */
int		 cmd_import(int, char **);
int		 cmd_import_crontab(int, char **);	/* crontab.c */
int		 cmd_backup(int, char **);		/* backup.c */
int		 cmd_pause(int, char **);		/* pause.c */
int		 cmd_resume(int, char **);

/* cli.c */
/* Loads the configuration, or says why not. Returns 0, or -1. */
int		 cli_load_conf(struct conf *c);
/*
 * Loads the configuration into *c and opens its database (creating it when asked). Returns
 * the handle (db_close it, then conf_release c), or NULL after a message (nothing to free).
 */
struct db	*cli_open_db(struct conf *c, int create);
/* Returns the value of option `name` at argv[*i] ("--tz X" or "--tz=X"), or NULL. */
const char	*cli_optval(int argc, char **argv, int *i, const char *name, int *bad);
/* Whether arg asks for help; prints the usage if so. */
int		 cli_wants_help(const char *arg);
/*
 * Arguments of the form [FLAG] [FILE]: sets *file (NULL when absent) and *flag_set.
 * FLAG may be NULL (no flag). Returns 0, 1 after --help was answered, 2 after a usage
 * message.
 */
int		 cli_file_args(int argc, char **argv, const char *flag, int *flag_set,
		    const char **file);
/* Appends an instant as "Sun 2026-03-29 03:00 CEST (+02:00)" in zone z. */
void		 cli_add_local(struct buf *b, const struct tz *z, time_t t);
/* Appends when a job runs next, in its own zone ("-" for none). */
void		 cli_add_next_run(struct buf *b, const char *zone, int64_t next);
/* Every job, newest first, as db_job_list gives them. Returns 0, or -1 after a message. */
int		 cli_all_jobs(struct db *db, struct job **jobs, size_t *n);
void		 cli_free_jobs(struct job *jobs, size_t n);
/* Prints every failure in e from index `from` as "autosched: WHERE: FIELD: MESSAGE". */
void		 cli_print_verrs(const char *where, const struct verrs *e, size_t from);
/*
 * The job service on behalf of the Unix user running the command (db may be NULL for
 * checking only). The returned context borrows c, db and a static user name.
 */
struct jobs_ctx	 cli_jobs_ctx(struct db *db, const struct conf *c);
/* Says what a failed change of the job service means, as "autosched: WHAT: WHY". */
void		 cli_jobs_failed(const char *what, enum jobs_res res);

/* table.c: rows printed in aligned columns, the last column unpadded */
#define TABLE_MAX_COLS	8
struct table {
	char		**cell;		/* row after row, ncols cells each */
	size_t		 ncols, n, alloc;
};
/* Adds a row of t->ncols strings (copied). */
void		 table_add(struct table *t, ...);
void		 table_print(const struct table *t, FILE *f);
void		 table_release(struct table *t);

/* file.c */
/* Reads all of path ("-" or NULL: standard input) into b. Returns 0, or -1 after a message. */
int		 file_read_all(const char *path, struct buf *b);
/*
 * Writes data to path through path.tmp and a rename, so that path is either the old file
 * or the whole new one. Returns 0, or -1 after a message.
 */
int		 file_write(const char *path, const char *data, size_t len);
/* Flushes and syncs fd, then closes it. Returns 0, or -1 with errno set. */
int		 file_sync_close(int fd);
/* Syncs the folder holding path, so that a rename in it survives a crash. */
void		 file_sync_dir(const char *path);

#endif /* CLI_H */
